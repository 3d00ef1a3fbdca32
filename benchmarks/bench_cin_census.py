"""Benchmark of the CIN census import and export: a county-sized year.

    .venv/bin/python benchmarks/bench_cin_census.py [--children 2000] [--year 2017]

Creates its own throw-away database (``bench_iro_cin``) on the configured server, generates a
year of ``--children`` children (each with a section 47 enquiry, an initial conference starting a
plan, reviews at 3 and 9 months within the year, every third plan ended), then times the import,
a re-import of the same file (nothing to change), a dry run and the export, with the peak
resident memory of the process. Not part of the test suite."""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iro_service.settings.test")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=2000)
    parser.add_argument("--year", type=int, default=2017)
    arguments = parser.parse_args()

    import django

    django.setup()
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases

    connections["default"].settings_dict["TEST"]["NAME"] = "bench_iro_cin"
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from conferences.cin_census import export_cin_census, import_cin_census
        from conferences.models import ChildProtectionPlan, Conference
        from tests.conferences.test_cin_census import generated_census

        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder) / "cin.xml"
            source.write_bytes(generated_census(arguments.children, year=arguments.year))
            size = source.stat().st_size / 1_000_000
            print(f"{arguments.children} children, {size:.1f} MB of XML")

            for label, run in [
                ("import (everything new)", lambda: import_cin_census(source, name=source.name)),
                ("re-import (nothing changes)", lambda: import_cin_census(source, name=source.name)),
                ("dry run", lambda: import_cin_census(source, name=source.name, dry_run=True)),
                ("export", lambda: export_cin_census(year=arguments.year, destination=io.BytesIO())),
            ]:
                started = time.perf_counter()
                run()
                print(f"{label:<32} {time.perf_counter() - started:7.2f} s")
            print(f"{Conference.objects.count()} conferences, {ChildProtectionPlan.objects.count()} plans")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak resident memory {peak:.0f} MB")
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
