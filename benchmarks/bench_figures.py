"""Benchmark of the figures catalogue on the synthetic county, against plain SQL written by hand.

    DATABASE_URL=... .venv/bin/python benchmarks/bench_figures.py [--repeat 7] [--json out.json]

Reads the configured database; if it holds no children it first writes the county preset
(``generate_synthetic --preset county --seed 1``, about 2,000 children over ten years). Then, for
one year (2024-25) and for the ten years (2016-17 to 2025-26), ``--repeat`` times each:

- the whole catalogue: every figure of the registry, as the API computes them;
- the headline figures (children in care at the end, started and ceased, reviews held and on
  time, children on a plan at the end, plans started, conferences held) through the registry;
- the same headline figures written by hand below as plain SQL, one statement each.

The headline figures through the registry and by hand are checked to agree, and their ratio is
worked out from medians measured in the same run. Prints one JSON document (``--json`` also
writes it to a file) with every timing's median, minimum and maximum. Not part of the tests:
query counts are asserted there, speed is measured here."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iro_service.settings.local")

PERIODS = {
    "one year (2024-25)": (date(2024, 4, 1), date(2025, 3, 31)),
    "ten years (2016-26)": (date(2016, 4, 1), date(2026, 3, 31)),
}

# The headline figures, written by hand from their definitions in docs/figures.md. %(start)s
# and %(end)s are the first and last days of the period.
HAND_SQL = {
    "cic_at_end": """SELECT count(*) FROM reviews_periodofcare
        WHERE start_date <= %(end)s AND (end_date IS NULL OR end_date > %(end)s)""",
    "cic_started": """SELECT count(*) FROM reviews_periodofcare
        WHERE start_date BETWEEN %(start)s AND %(end)s""",
    "cic_ceased": """SELECT count(*) FROM reviews_periodofcare
        WHERE end_date BETWEEN %(start)s AND %(end)s""",
    "lac_reviews_held": """SELECT count(*) FROM reviews_lacreview
        WHERE review_date BETWEEN %(start)s AND %(end)s""",
    "lac_reviews_on_time": """SELECT count(*) FILTER (WHERE review_date <= due_date), count(*)
        FROM reviews_lacreview WHERE review_date BETWEEN %(start)s AND %(end)s""",
    "cp_plans_at_end": """SELECT count(*) FROM conferences_childprotectionplan
        WHERE start_date <= %(end)s AND (end_date IS NULL OR end_date > %(end)s)""",
    "cp_plans_started": """SELECT count(*) FROM conferences_childprotectionplan
        WHERE start_date BETWEEN %(start)s AND %(end)s""",
    "cp_conferences_held": """SELECT count(*) FROM conferences_conference
        WHERE status = 'held' AND date BETWEEN %(start)s AND %(end)s""",
}


def _timed(function, repeat: int) -> tuple[dict, object]:
    seconds, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - started)
    return {
        "median_ms": round(statistics.median(seconds) * 1000, 1),
        "min_ms": round(min(seconds) * 1000, 1),
        "max_ms": round(max(seconds) * 1000, 1),
        "runs": repeat,
    }, result


def _value(figure: dict):
    """What a figure says, comparable with the hand-written SQL's row."""
    if "numerator" in figure:
        return (figure["numerator"], figure["denominator"])
    return (figure["value"],)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", help="Also write the results to this file")
    parser.add_argument(
        "--own-database",
        action="store_true",
        help="Create a throw-away database (bench_iro_figures) for the county, and drop it after",
    )
    arguments = parser.parse_args()

    import django

    django.setup()
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases

    old = None
    if arguments.own_database:
        connections["default"].settings_dict["TEST"]["NAME"] = "bench_iro_figures"
        old = setup_databases(verbosity=0, interactive=False)
    try:
        results = _measure(arguments.repeat)
    finally:
        if old is not None:
            teardown_databases(old, verbosity=0)
    text = json.dumps(results, indent=2, default=str)
    print(text)
    if arguments.json:
        Path(arguments.json).write_text(text + "\n", encoding="utf-8")


def _measure(repeat: int) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from iro_service.people.models import Child
    from reports.figures import REGISTRY, FigureQuery
    from reports.selectors import figures_compute

    if not Child.objects.exists():
        call_command("generate_synthetic", "--preset", "county", "--seed", "1", verbosity=0)
    headline = list(HAND_SQL)
    results = {"children": Child.objects.count(), "figures_in_catalogue": len(REGISTRY), "periods": {}}
    for name, (start, end) in PERIODS.items():
        query = FigureQuery(start=start, end=end)
        figures_compute(query=query, keys=list(REGISTRY))  # warm the caches (settings, plans)

        def hand(start=start, end=end):
            with connection.cursor() as cursor:
                found = {}
                for key, sql in HAND_SQL.items():
                    cursor.execute(sql, {"start": start, "end": end})
                    found[key] = tuple(cursor.fetchone())
                return found

        catalogue, _ = _timed(lambda query=query: figures_compute(query=query, keys=list(REGISTRY)), repeat)
        registry, computed = _timed(lambda query=query: figures_compute(query=query, keys=headline), repeat)
        by_hand, written = _timed(hand, repeat)
        disagree = {
            key: {"registry": _value(computed["figures"][key]), "hand_sql": written[key]}
            for key in headline
            if _value(computed["figures"][key]) != written[key]
        }
        results["periods"][name] = {
            "whole_catalogue": catalogue,
            "headline_through_registry": registry,
            "headline_by_hand_sql": by_hand,
            "ratio_registry_to_hand_sql": round(registry["median_ms"] / by_hand["median_ms"], 2),
            "headline_values": {key: written[key] for key in headline},
            "disagreements": disagree,
        }
    return results


if __name__ == "__main__":
    main()
