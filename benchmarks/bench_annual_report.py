"""Benchmark of the IRO annual report on the demo county: how long the background job takes to
assemble the 2016-17 report, in all, by section and for each document.

    .venv/bin/python benchmarks/bench_annual_report.py [--repeat 3]

Creates its own throw-away database (``bench_iro_annual``), loads the demo county into it, then
assembles the report's first draft ``--repeat`` times (the first with the chart cache empty) and
prints the wall time of each run, the slowest sections and the time to write each document, and
the peak resident memory of this process. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from io import BytesIO, StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iro_service.settings.test")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()

    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases

    connections["default"].settings_dict["TEST"]["NAME"] = "bench_iro_annual"
    old = setup_databases(verbosity=0, interactive=False)
    try:
        started = time.perf_counter()
        call_command("load_demo", "--allow-production", stdout=StringIO())
        print(f"demo county loaded in {time.perf_counter() - started:.1f} s")

        from reports.annual import selectors, services
        from reports.annual.render.docx import render_docx
        from reports.annual.render.html import render_html
        from reports.annual.render.pdf import render_pdf
        from reports.annual.sections import SECTIONS
        from reports.models import AnnualReport

        # The demo county has its 2016-17 draft, written by its managers (reports/demo.py).
        report = AnnualReport.objects.filter(year_end=2017).first()
        version = (
            selectors.version_latest(report=report)
            if report is not None
            else services.annual_report_start(year_end=2017, user=None)
        )
        cache.clear()
        for attempt in range(1, arguments.repeat + 1):
            started = time.perf_counter()
            run = services.annual_report_generate_now(version=version)
            assert run.status == "done", run.error
            print(
                f"run {attempt}: {time.perf_counter() - started:6.1f} s wall "
                f"(the job's own count: {run.seconds:.1f} s), files: html {len(run.html) / 1e3:.0f} kB, "
                f"docx {len(run.docx) / 1e3:.0f} kB, pdf {len(run.pdf) / 1e3:.0f} kB"
            )

        # Where the time goes, once more step by step.
        figures = selectors.report_figures(version=version)
        timings = []
        for section in SECTIONS:
            started = time.perf_counter()
            selectors.section_blocks(version=version, key=section.key, figures=figures)
            timings.append((time.perf_counter() - started, section.heading))
        total = sum(seconds for seconds, _ in timings)
        print(f"sections: {total:.1f} s in all; slowest:")
        for seconds, heading in sorted(timings, reverse=True)[:5]:
            print(f"    {seconds:5.2f} s  {heading}")
        document = services.run_document(
            run=run,
            sections={row.section: row.blocks for row in run.sections.all()},
            texts=run.contents["texts"],
        )
        for name, render in (
            ("html", lambda: render_html(document)),
            ("docx", lambda: render_docx(document)),
        ):
            started = time.perf_counter()
            output = render()
            print(f"{name}: {time.perf_counter() - started:5.1f} s")
        html = render_html(document)
        started = time.perf_counter()
        pdf = render_pdf(html)
        print(f"pdf:  {time.perf_counter() - started:5.1f} s")
        # pypdf is a test dependency, installed wherever the benchmarks run.
        from pypdf import PdfReader

        pages = len(PdfReader(BytesIO(pdf)).pages)
        print(f"peak memory {peak_mb():.0f} MB; {len(output)} bytes of Word, {pages} PDF pages")
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
