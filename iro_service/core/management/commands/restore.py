"""``manage.py restore PATH``: put a dump made by ``manage.py backup`` back (``make restore``)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from iro_service.core.backups import BackupError, database_connection, database_restore


class Command(BaseCommand):
    help = (
        "Restore a dump made by `manage.py backup` with pg_restore, replacing the tables of the "
        "database (in one transaction: a failed restore changes nothing)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The dump to restore.")
        parser.add_argument(
            "--database", help="Restore into this database on the same server instead of the configured one."
        )
        parser.add_argument(
            "--no-input", action="store_true", help="Do not ask for confirmation (for scripts)."
        )

    def handle(self, *args, path, database=None, no_input=False, **options):
        target = database or database_connection().name
        if not no_input:
            answer = input(f"This replaces every table of the database {target!r}. Type its name to go on: ")
            if answer.strip() != target:
                raise CommandError("Nothing was restored.")
        try:
            database_restore(path=path, database=database)
        except BackupError as error:
            raise CommandError(f"Nothing was restored: {error}") from error
        self.stdout.write(f"Restored {path} into {target}")
