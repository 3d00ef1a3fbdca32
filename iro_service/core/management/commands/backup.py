"""``manage.py backup [--output PATH]``: dump the database with pg_dump (``make backup``)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from iro_service.core.backups import BackupError, database_backup


class Command(BaseCommand):
    help = "Dump the whole database to a file (PostgreSQL's custom format) with pg_dump."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="Where to write the dump (default var/backups/<database>-<time>.dump).",
        )

    def handle(self, *args, output=None, **options):
        try:
            path = database_backup(path=output)
        except BackupError as error:
            raise CommandError(f"The backup did not finish: {error}") from error
        self.stdout.write(f"Backup written to {path}")
