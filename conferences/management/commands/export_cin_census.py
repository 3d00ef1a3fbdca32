"""python manage.py export_cin_census --year 2017 FILE.xml

Writes the child protection module of the CIN census for the year ending 31 March YEAR, then runs
the DfE's validation rules of the year on it and lists the rules that fail (--check: exit 3 if
any does)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from conferences.cin_census import export_cin_census
from iro_service.core.commands import add_dfe_arguments, add_user_argument, report_dfe, user_from


class Command(BaseCommand):
    help = "Export the CIN census (child protection module) for the year ending 31 March YEAR."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="e.g. 2017 for April 2016 to March 2017")
        parser.add_argument("file", help="The XML file to write")
        add_user_argument(parser)
        add_dfe_arguments(parser)

    def handle(self, *args, **options):
        year = options["year"]
        if not 2000 <= year <= 2100:
            raise CommandError(
                f"--year {year} is not a collection year: give the year of the 31 March, e.g. 2017.",
                returncode=2,
            )
        path = Path(options["file"])
        if not path.parent.is_dir():
            raise CommandError(
                f"{path.parent} is not a folder: cannot write {path.name} there.", returncode=2
            )
        tally = export_cin_census(year=year, destination=path, user=user_from(options))
        exported = {kind: counts.get("exported", 0) for kind, counts in tally.as_dict().items()}
        self.stdout.write(
            f"Wrote {path} for the year ending 31 March {year}: "
            + (", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in exported.items()) or "no children")
        )
        report_dfe(self, tally.exchange, options)
