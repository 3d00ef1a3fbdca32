"""python manage.py annual_report --year 2017 --out DIR

Assembles the IRO annual report for the year ending 31 March YEAR and writes report.html,
report.docx and report.pdf into DIR. It reads the year's latest version: a finalised one as it
was frozen, a draft from the records as they stand. A year with no report yet gets its first
draft."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.annual import selectors, services
from reports.models import AnnualReport, RunStatus


class Command(BaseCommand):
    help = "Write the IRO annual report for a year (ending 31 March) as HTML, Word and PDF."

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=int, required=True, help="The year ending 31 March: 2017 for 2016-17"
        )
        parser.add_argument("--out", required=True, help="The folder to write report.html, .docx and .pdf to")

    def handle(self, *args, year: int, out: str, **options):
        if not 2000 <= year <= 2100:
            raise CommandError("--year must be a year such as 2017 (the year ending 31 March).")
        folder = Path(out)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"--out: cannot write to {folder} ({error.strerror}).") from None
        report = AnnualReport.objects.filter(year_end=year).first()
        version = (
            selectors.version_latest(report=report)
            if report is not None
            else services.annual_report_start(year_end=year, user=None)
        )
        run = services.annual_report_generate_now(version=version)
        if run.status != RunStatus.DONE:
            raise CommandError(run.error)
        written = []
        for fmt in ("html", "docx", "pdf"):
            path = folder / f"report.{fmt}"
            path.write_bytes(bytes(getattr(run, fmt)))
            written.append(str(path))
        self.stdout.write(f"{version}: wrote {', '.join(written)} in {run.seconds:.1f} seconds.")
