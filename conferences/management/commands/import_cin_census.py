"""python manage.py import_cin_census FILE.xml [--dry-run]

Imports the child protection module of a DfE CIN census file, all or nothing. Prints what was
created, updated and left unchanged, or every problem found (one a line) and exits non-zero."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from conferences.cin_census import import_cin_census
from iro_service.core.imports import ImportRejected


class Command(BaseCommand):
    help = "Import a CIN census XML file (child protection module); --dry-run checks it only."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CIN census XML file")
        parser.add_argument("--dry-run", action="store_true", help="Check the file; write nothing")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path} is not a file: give the path of the CIN census XML file.")
        try:
            tally = import_cin_census(path, name=path.name, dry_run=options["dry_run"])
        except ImportRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(str(problem))
            more = rejected.count - len(rejected.problems)
            if more:
                self.stderr.write(f"... and {more} more.")
            raise CommandError(
                f"{path.name} was not imported: {rejected.count} problem(s). Nothing was written."
            ) from None
        verb = "Checked (dry run, nothing written)" if options["dry_run"] else "Imported"
        self.stdout.write(f"{verb} {path.name}:")
        for kind, counts in tally.as_dict().items():
            parts = ", ".join(f"{number} {what}" for what, number in counts.items())
            self.stdout.write(f"  {kind.replace('_', ' ')}: {parts}")
