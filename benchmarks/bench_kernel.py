"""Benchmark of the shared kernel: the working-day functions and the Children pages.

    .venv/bin/python benchmarks/bench_kernel.py [--children 5000]

Creates its own throw-away database (``bench_iro_kernel``) on the configured server, fills it
with synthetic children, and prints timings. Not part of the test suite: speed is measured here,
query counts are asserted in the tests."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iro_service.settings.test")


def timed(function, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def report(name: str, samples: list[float]) -> None:
    samples = sorted(samples)
    p95 = samples[max(0, int(len(samples) * 0.95) - 1)]
    print(f"{name:<48} median {statistics.median(samples):8.2f} ms   p95 {p95:8.2f} ms   (n={len(samples)})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=30)
    arguments = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, connections
    from django.test.utils import setup_databases, teardown_databases

    connections["default"].settings_dict["TEST"]["NAME"] = "bench_iro_kernel"
    settings.ALLOWED_HOSTS = ["testserver"]
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from django.test import Client

        from iro_service.core.roles import Role
        from iro_service.people.models import Child, IroAllocation, StaffMember
        from iro_service.timescales.dates import add_months, add_working_days, working_days_before
        from tests.factories import StaffMemberFactory, UserFactory

        start = date(2016, 12, 16)
        report(
            "add_working_days(d, 20) x1000",
            timed(lambda: [add_working_days(start + timedelta(days=i % 400), 20) for i in range(1000)], 10),
        )
        report(
            "working_days_before(d, 3) x1000",
            timed(lambda: [working_days_before(start + timedelta(days=i % 400), 3) for i in range(1000)], 10),
        )
        report(
            "add_months(d, 6) x1000",
            timed(lambda: [add_months(start + timedelta(days=i % 400), 6) for i in range(1000)], 10),
        )

        iros = [StaffMemberFactory() for _ in range(14)]
        children = Child.objects.bulk_create(
            Child(
                local_child_id=f"B{n:07d}",
                first_name=f"First{n % 97}",
                last_name=f"Last{n % 389}",
                date_of_birth=date(2000, 1, 1) + timedelta(days=n % 6000),
                sex="MF"[n % 2],
                ethnicity="WBRI",
            )
            for n in range(arguments.children)
        )
        IroAllocation.objects.bulk_create(
            IroAllocation(child=child, iro=iros[n % 14], start_date=date(2016, 4, 1))
            for n, child in enumerate(children)
        )
        user = UserFactory(username="bench", role=Role.IRO_MANAGER)
        client = Client()
        client.force_login(user)
        print(
            f"\n{arguments.children} children, {StaffMember.objects.count()} IROs, "
            f"PostgreSQL {connection.pg_version}"
        )
        for label, url in [
            ("GET /children/ (first page)", "/children/"),
            ("GET /children/?page=100", "/children/?page=100"),
            ("GET /children/?q=last12 (search)", "/children/?q=last12"),
            ("GET /children/?sort=-iro", "/children/?sort=-iro"),
            (f"GET /children/{children[0].pk}/", f"/children/{children[0].pk}/"),
            (f"GET /children/{children[0].pk}/history/", f"/children/{children[0].pk}/history/"),
        ]:
            client.get(url)  # warm up
            report(label, timed(lambda url=url: client.get(url), arguments.repeat))
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
