"""python manage.py export_903 --year 2017 DIR

Writes header.csv, episodes.csv and reviews.csv for the collection year ending 31 March of
--year into DIR (created if missing), then runs the DfE's validation rules of the year on them
and lists the rules that fail (--check: exit 3 if any does)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from iro_service.core.commands import add_dfe_arguments, add_user_argument, report_dfe, user_from
from iro_service.core.imports import tally_lines
from reviews.ssda903 import export_903

FIRST_YEAR = 2004


class Command(BaseCommand):
    help = "Export the SSDA903 return for a collection year into a directory."

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", required=True, help="The year the collection ends, e.g. 2017 for 2016-17"
        )
        parser.add_argument("directory", help="Where to write the three CSV files")
        add_user_argument(parser)
        add_dfe_arguments(parser)

    def handle(self, *args, year, directory, **options):
        try:
            year = int(year)
        except ValueError:
            raise CommandError(f"--year must be a year such as 2017, not '{year}'.", returncode=2) from None
        if not FIRST_YEAR <= year <= 2100:
            raise CommandError(f"--year must be between {FIRST_YEAR} and 2100.", returncode=2)
        folder = Path(directory)
        if folder.exists() and not folder.is_dir():
            raise CommandError(f"{directory} exists and is not a directory.", returncode=2)
        tally = export_903(year=year, directory=folder, user=user_from(options))
        for line in tally_lines(tally):
            self.stdout.write(line)
        self.stdout.write(f"Written to {folder}.")
        report_dfe(self, tally.exchange, options)
