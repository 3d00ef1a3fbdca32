"""Benchmark of the nightly jobs, the DfE rule checks and the annual report on a database that
holds the national preset.

    python manage.py generate_synthetic --preset national        # into its own database first
    DATABASE_URL=postgres://.../iro_national .venv/bin/python benchmarks/bench_national.py \\
        [--year-end 2026] [--skip nightly,rules,annual] [--json out.json]

Reads the configured database and, for the nightly jobs, writes to it as the jobs do at night
(due dates, reminders sent, alert stages, pruning): point it at a throw-away database of
synthetic children, never a council's. It refuses a database of fewer than 100,000 children.
Measured, each once (a night runs each once):

- every nightly job of the beat schedule, in the order of the schedule, in this process (the
  worker's own code, without the broker): wall time and what it returned, for two nights
  running (the first after loading, then a night like most);
- the DfE rules of the return quality page, SSDA903 and CIN census, for the collection year of
  ``--year-end``'s March, for the whole country (no team or IRO filter): wall time and rows;
- the annual report for the year ending in March of ``--year-end``, assembled as the
  background job does (every section's figures, the HTML, Word and PDF documents).

Prints one JSON document with the peak resident memory of this process. Not part of the tests:
query counts are asserted there, speed is measured here."""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
# The test settings: email is kept in memory (the reminders go nowhere) and tasks run here.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iro_service.settings.test")

PARTS = ("nightly", "rules", "annual")
SMALLEST = 100_000


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def _timed(function) -> tuple[float, object]:
    started = time.perf_counter()
    result = function()
    return round(time.perf_counter() - started, 2), result


def _nightly() -> list[dict]:
    """The beat schedule's jobs that run once a night (one hour), in the order they run."""
    from iro_service.celery import app

    app.loader.import_default_modules()
    nightly = sorted(
        (min(entry["schedule"].hour), min(entry["schedule"].minute), name, entry["task"])
        for name, entry in app.conf.beat_schedule.items()
        if len(entry["schedule"].hour) == 1
    )
    results = []
    for hour, minute, name, task in nightly:
        seconds, returned = _timed(app.tasks[task].run)
        results.append(
            {"job": name, "at": f"{hour:02d}:{minute:02d}", "seconds": seconds, "returned": returned}
        )
        print(f"{name}: {seconds} s", file=sys.stderr)
    return results


def _rules(today: date) -> dict:
    from django.contrib.auth import get_user_model

    from conferences.selectors import cin_return_quality_rows
    from reviews.selectors import return_quality_rows

    # Someone with no restriction of their own: every child is checked.
    reader, _ = get_user_model().objects.get_or_create(username="benchmark-reader")
    ssda903_seconds, ssda903 = _timed(lambda: return_quality_rows(user=reader, today=today))
    cin_seconds, cin = _timed(lambda: cin_return_quality_rows(user=reader, today=today))
    return {
        "as_of": today.isoformat(),
        "ssda903": {"seconds": ssda903_seconds, "rows": len(ssda903)},
        "cin_census": {"seconds": cin_seconds, "rows": len(cin)},
    }


def _annual(year_end: int) -> dict:
    from django.core.cache import cache

    from reports.annual import selectors, services
    from reports.models import AnnualReport

    report = AnnualReport.objects.filter(year_end=year_end).first()
    version = (
        selectors.version_latest(report=report)
        if report is not None
        else services.annual_report_start(year_end=year_end, user=None)
    )
    cache.clear()  # the charts drawn afresh, as on a first run
    seconds, run = _timed(lambda: services.annual_report_generate_now(version=version))
    return {
        "year_end": year_end,
        "status": run.status,
        "error": run.error,
        "seconds": seconds,
        "job_seconds": run.seconds,
        "html_kb": round(len(run.html or b"") / 1000),
        "docx_kb": round(len(run.docx or b"") / 1000),
        "pdf_kb": round(len(run.pdf or b"") / 1000),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--year-end", type=int, default=2026, help="The March the year ends in")
    parser.add_argument("--skip", default="", help=f"Comma-separated, of {', '.join(PARTS)}")
    parser.add_argument("--json", help="Also write the results to this file")
    arguments = parser.parse_args()
    skip = {part.strip() for part in arguments.skip.split(",") if part.strip()}
    if skip - set(PARTS):
        parser.error(f"--skip takes {', '.join(PARTS)}")

    import django

    django.setup()
    from django.db import connection

    from iro_service.people.models import Child

    children = Child.objects.count()
    if children < SMALLEST:
        sys.exit(
            f"The database holds {children:,} children: load the national preset into a database of "
            "its own first (python manage.py generate_synthetic --preset national)."
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database()), version()")
        size, server = cursor.fetchone()
    results: dict = {
        "children": children,
        "database_mb": round(size / 1024 / 1024),
        "server": server.split(" on ")[0],
    }
    if "rules" not in skip:
        print("The DfE rules of the return quality page...", file=sys.stderr)
        results["dfe_rules"] = _rules(date(arguments.year_end, 3, 31))
        print(json.dumps(results["dfe_rules"]), file=sys.stderr)
    if "annual" not in skip:
        print("The annual report...", file=sys.stderr)
        results["annual_report"] = _annual(arguments.year_end)
        print(json.dumps(results["annual_report"], default=str), file=sys.stderr)
    # Last: the jobs write to the database, and the other parts read it as the preset left it.
    # Two nights: the first after loading (no sweep has finished, every reminder is new), the
    # second a night like most (the calendar unchanged, reminders already sent).
    if "nightly" not in skip:
        for night in ("first", "second"):
            print(f"The nightly jobs, {night} night...", file=sys.stderr)
            jobs = _nightly()
            results[f"nightly_jobs_{night}_night"] = jobs
            results[f"nightly_seconds_{night}_night"] = round(sum(job["seconds"] for job in jobs), 1)
    results["peak_memory_mb"] = _peak_mb()
    text = json.dumps(results, indent=2, default=str)
    print(text)
    if arguments.json:
        Path(arguments.json).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
