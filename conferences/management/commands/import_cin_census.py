"""python manage.py import_cin_census FILE.xml [--dry-run]

Imports the child protection module of a DfE CIN census file, all or nothing. Prints what was
created, updated and left unchanged, or every problem found (one a line); exits 1 if the file
is rejected (nothing is written then), 2 for bad arguments."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from conferences.cin_census import import_cin_census
from iro_service.core.commands import add_dfe_arguments, add_user_argument, report_dfe, user_from
from iro_service.core.imports import ImportRejected, rejection_lines, tally_lines


class Command(BaseCommand):
    help = "Import a CIN census XML file (child protection module); --dry-run checks it only."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CIN census XML file")
        parser.add_argument("--dry-run", action="store_true", help="Check the file; write nothing")
        add_user_argument(parser)
        add_dfe_arguments(parser)

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(
                f"{path} is not a file: give the path of the CIN census XML file.", returncode=2
            )
        try:
            tally = import_cin_census(
                path, name=path.name, dry_run=options["dry_run"], user=user_from(options)
            )
        except ImportRejected as rejected:
            for line in rejection_lines(rejected):
                self.stderr.write(line)
            report_dfe(self, getattr(rejected, "exchange", None), {**options, "check": False})
            raise CommandError(f"{path.name} was not imported: {rejected.count} problem(s).") from None
        verb = "Checked (dry run, nothing written)" if options["dry_run"] else "Imported"
        self.stdout.write(f"{verb} {path.name}:")
        for line in tally_lines(tally):
            self.stdout.write(f"  {line.replace('_', ' ')}")
        report_dfe(self, tally.exchange, options)
