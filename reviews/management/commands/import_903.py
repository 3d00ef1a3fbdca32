"""python manage.py import_903 DIR [--dry-run]

Reads header.csv, episodes.csv and (if present) reviews.csv from DIR. Prints what was created,
updated and left unchanged, or every problem found; exits 1 if the return is rejected (nothing
is written then), 2 for bad arguments."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from iro_service.core.commands import add_dfe_arguments, add_user_argument, report_dfe, user_from
from iro_service.core.imports import ImportRejected, rejection_lines, tally_lines
from reviews.ssda903 import import_903
from reviews.ssda903.tables import EPISODES, HEADER, TABLES


class Command(BaseCommand):
    help = "Import an SSDA903 return (header.csv, episodes.csv, reviews.csv) from a directory."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="The directory holding the three CSV files")
        parser.add_argument("--dry-run", action="store_true", help="Check the files only; write nothing")
        add_user_argument(parser)
        add_dfe_arguments(parser)

    def handle(self, *args, directory, dry_run, **options):
        folder = Path(directory)
        if not folder.is_dir():
            raise CommandError(f"{directory} is not a directory.", returncode=2)
        files = {name: folder / name for name in TABLES if (folder / name).is_file()}
        missing = [str(folder / name) for name in (HEADER, EPISODES) if name not in files]
        if missing:
            raise CommandError(f"{' and '.join(missing)}: no such file.", returncode=2)
        try:
            tally = import_903(files, dry_run=dry_run, user=user_from(options))
        except ImportRejected as rejected:
            for line in rejection_lines(rejected):
                self.stderr.write(line)
            report_dfe(self, getattr(rejected, "exchange", None), {**options, "check": False})
            raise CommandError("The return was rejected.", returncode=1) from None
        for line in tally_lines(tally):
            self.stdout.write(line)
        self.stdout.write(
            "Checked: no problems found; nothing written (dry run)." if dry_run else "Imported."
        )
        report_dfe(self, tally.exchange, options)
