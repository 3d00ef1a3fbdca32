"""Benchmark of the SSDA903 import and export at county and national size.

    .venv/bin/python benchmarks/bench_903.py --size county     # 2,000 children over 10 years
    .venv/bin/python benchmarks/bench_903.py --size national   # 100,000 children, 300,000
                                                               # episodes, 500,000 reviews

Writes a synthetic return (valid by construction: three contiguous episodes a child, five
reviews inside the period of care, PN0 only under 4) to a temporary directory, creates its own
throw-away database (``bench_iro_903``), and prints for the import, a re-import of the same
files (all unchanged) and the export of one year: the wall time and the peak resident memory
of this process. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iro_service.settings.test")

SIZES = {"county": (2_000, date(2007, 4, 1)), "national": (100_000, date(2014, 4, 1))}


def dmy(day: date | None) -> str:
    return "" if day is None else day.strftime("%d/%m/%Y")


def write_return(folder: Path, children: int, first_day: date) -> None:
    """Three episodes and five reviews a child; half the children leave care (adopted)."""
    from iro_service.core.imports import SafeCsvWriter
    from reviews.due_dates import fourth_birthday
    from reviews.ssda903.tables import EPISODES_COLUMNS, HEADER_COLUMNS, REVIEWS_COLUMNS

    span = (date(2024, 3, 1) - first_day).days - 1600
    with (
        open(folder / "header.csv", "w", newline="") as header_file,
        open(folder / "episodes.csv", "w", newline="") as episodes_file,
        open(folder / "reviews.csv", "w", newline="") as reviews_file,
    ):
        header, episodes, reviews = (
            SafeCsvWriter(f, lineterminator="\r\n") for f in (header_file, episodes_file, reviews_file)
        )
        header.writerow(HEADER_COLUMNS)
        episodes.writerow(EPISODES_COLUMNS)
        reviews.writerow(REVIEWS_COLUMNS)
        for number in range(children):
            child = f"B{number:07d}"
            start = first_day + timedelta(days=(number * 7919) % span)
            born = start - timedelta(days=200 + (number * 104729) % 5500)
            header.writerow([child, "1" if number % 2 else "2", dmy(born), "WBRI", "", "", ""])
            second, third = start + timedelta(days=200), start + timedelta(days=400)
            leaves = start + timedelta(days=1500) if number % 2 else None
            episodes.writerow(
                [child, dmy(start), "S", "C1", "N1", "U1", "PR1", dmy(second), "X1", "", "", "", ""]
            )
            episodes.writerow(
                [child, dmy(second), "P", "C1", "N1", "U4", "PR1", dmy(third), "X1", "", "", "", ""]
            )
            episodes.writerow(
                [
                    child,
                    dmy(third),
                    "L",
                    "C2",
                    "N1",
                    "U4",
                    "PR1",
                    dmy(leaves),
                    "E11" if leaves else "",
                    "",
                    "",
                    "",
                    "",
                ]
            )
            fourth = fourth_birthday(born)
            for offset in (15, 100, 280, 460, 640):
                held = start + timedelta(days=offset)
                code = "PN0" if held < fourth else "PN1"
                reviews.writerow([child, dmy(born), dmy(held), code])


def time_figures() -> None:
    """The children-in-care figures at the end of 2019-20: each is one aggregate with
    correlated subqueries per period of care, so a plan that joins more than it needs shows
    here first."""
    from reports.figures.base import FigureQuery
    from reports.figures.cic.population import cic_at_end, cic_s20_at_end

    query = FigureQuery(start=date(2019, 4, 1), end=date(2020, 3, 31))
    for figure_function in (cic_at_end, cic_s20_at_end):
        started = time.perf_counter()
        value = figure_function(query)
        print(f"figure {figure_function.__name__}: {time.perf_counter() - started:7.1f} s, {value}")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", choices=SIZES, default="county")
    parser.add_argument(
        "--children", type=int, help="this many children instead, over the national size's years"
    )
    arguments = parser.parse_args()
    children, first_day = SIZES[arguments.size]
    if arguments.children:
        children, first_day = arguments.children, SIZES["national"][1]

    import django

    django.setup()
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases

    connections["default"].settings_dict["TEST"]["NAME"] = "bench_iro_903"
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from reviews.models import Episode, LacReview, PeriodOfCare
        from reviews.ssda903 import export_903, import_903

        with tempfile.TemporaryDirectory() as directory:
            folder = Path(directory)
            started = time.perf_counter()
            write_return(folder, children, first_day)
            sizes = {p.name: p.stat().st_size / 1e6 for p in folder.iterdir()}
            print(
                f"{arguments.size}: {children:,} children; files written in "
                f"{time.perf_counter() - started:.1f} s ({sizes} MB)"
            )
            files = {p.name: p for p in folder.iterdir()}
            baseline = peak_mb()

            started = time.perf_counter()
            tally = import_903(files)
            print(
                f"import:    {time.perf_counter() - started:7.1f} s, peak memory {peak_mb():7.0f} MB "
                f"(before {baseline:.0f} MB)"
            )
            print("           ", tally.as_dict())
            print(
                f"           in the database: {PeriodOfCare.objects.count():,} periods, "
                f"{Episode.objects.count():,} episodes, "
                f"{LacReview.objects.count():,} reviews"
            )
            time_figures()
            started = time.perf_counter()
            tally = import_903(files)
            print(
                f"re-import: {time.perf_counter() - started:7.1f} s, peak memory {peak_mb():7.0f} MB "
                "(all unchanged)"
            )
            print("           ", tally.as_dict())
        with tempfile.TemporaryDirectory() as directory:
            started = time.perf_counter()
            tally = export_903(year=2020, directory=Path(directory))
            print(
                f"export 2019-20: {time.perf_counter() - started:7.1f} s, peak memory {peak_mb():7.0f} MB",
                tally.as_dict(),
            )
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
