"""Benchmark of the dashboards on the demo county: each page's median and 95th percentile.

    DATABASE_URL=... .venv/bin/python benchmarks/bench_dashboards.py [--repeat 20]
    DATABASE_URL=... .venv/bin/python benchmarks/bench_dashboards.py --users-prefix load- \
        --only "Business support dashboard" --repeat 5     # the national preset

Reads the configured database, which must hold the demo county (``make run`` or
``manage.py load_demo``); it changes nothing but the access log (a drill-down and the pages that
name children log each view, as they do for anyone). Pages are fetched through Django's test
client as the demo's manager, business support and IRO, for 2016-17, the demo's year. The
first request of each page is left out: it fills the caches (timescale settings, drawn charts).
Not part of the test suite: speed is measured here, query counts are asserted in the tests."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iro_service.settings.local")

PAGES = [
    ("manager", "Performance dashboard, 2016-17", "/reports/dashboards/performance/?year=2017"),
    ("manager", "Performance dashboard, one team", "/reports/dashboards/performance/?year=2017&team={team}"),
    (
        "manager",
        "Trend, reviews on time, 24 months",
        "/reports/dashboards/performance/lac_reviews_on_time/?year=2017&months=24",
    ),
    (
        "manager",
        "Trend, multiple categories (quarters)",
        "/reports/dashboards/performance/cp_multiple_categories/?year=2017",
    ),
    (
        "manager",
        "Drill-down, reviews held (1,404 rows)",
        "/reports/dashboards/performance/lac_reviews_held/records/?year=2017",
    ),
    (
        "manager",
        "Drill-down, late reviews, Excel",
        "/reports/dashboards/performance/lac_reviews_late/records/?year=2017&download=xlsx&table=records",
    ),
    ("manager", "IRO caseloads", "/reports/dashboards/caseloads/?year=2017"),
    ("manager", "Targets", "/reports/targets/?year=2017"),
    ("manager", "Comparators", "/reports/comparators/?year=2017"),
    ("support", "Business support dashboard", "/reports/dashboards/business-support/"),
    ("support", "Conferences to book", "/conferences/to-book/"),
    ("iro", "IRO's own page", "/reports/dashboards/my-page/"),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    # On the national preset, after bench_load.py has made its accounts: --users-prefix load-
    parser.add_argument(
        "--users-prefix", default="", help="the accounts are named PREFIX + manager, support, iro"
    )
    parser.add_argument("--only", action="append", default=[], help="a page's name (as printed); repeatable")
    arguments = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from iro_service.people.models import StaffMember

    settings.ALLOWED_HOSTS = ["testserver"]
    users = get_user_model().objects
    team = StaffMember.objects.iros().order_by("team__name").first().team_id
    clients = {}
    for username in ("manager", "support", "iro"):
        client = Client()
        client.force_login(users.get(username=arguments.users_prefix + username))
        clients[username] = client
    print(f"{'page':<44} {'median':>10} {'p95':>10}   (n={arguments.repeat}, first request left out)")
    for username, name, url in PAGES:
        if arguments.only and name not in arguments.only:
            continue
        url = url.format(team=team)
        client = clients[username]
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        samples = []
        for _ in range(arguments.repeat):
            started = time.perf_counter()
            client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
        samples.sort()
        p95 = samples[max(0, round(len(samples) * 0.95) - 1)]
        print(f"{name:<44} {statistics.median(samples):8.0f} ms {p95:8.0f} ms")


if __name__ == "__main__":
    main()
