"""Load benchmark: Locust's simulated users against the real server on the national preset.

    python manage.py generate_synthetic --preset national        # into its own database first
    DATABASE_URL=postgres://.../iro_national REDIS_URL=redis://127.0.0.1:6379/3 \\
        make bench-load                                          # or, with Locust installed:
    .venv/bin/python benchmarks/bench_load.py --locust .venv-load/bin/locust \\
        [--users 25] [--minutes 5] [--web-workers 3] [--json out.json]

Starts what a deployment runs, pointed at the configured database and Redis: gunicorn (the
Docker Compose file's command, ``--web-workers`` processes) and a Celery worker. Gives the
personas of ``benchmarks/locustfile.py`` accounts of their own (``load-iro`` takes the caseload
of the IRO with the most children), works out the pages of their day from the database, then
runs Locust headless: ``--users`` users (IROs, business support, managers and REST clients in
the proportions 10, 6, 4 and 5), started five a second, for ``--minutes``. Prints, per page and
endpoint, the requests, failures, p50, p95 and p99 in milliseconds and the requests a second,
as JSON; the servers are stopped at the end. It writes to the database (the accounts, a token,
the access log of every page): point it at a database of synthetic children, never a
council's. It refuses one of fewer than 100,000 children unless ``--any-size`` is given (to try
the script on the demo county)."""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import socket
import subprocess  # nosec B404: starts this project's own servers and Locust
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iro_service.settings.local")
BIN = Path(sys.executable).parent

from bench_figures import HAND_SQL  # noqa: E402 (this folder is on the path: it is the script's)

PASSWORD = "load-benchmark-password-not-for-use"  # nosec B105: a synthetic database's accounts
PERSONAS = {"iro": "IRO", "support": "Business support", "manager": "IRO manager", "api": "API client"}
# The headline figures of the catalogue's benchmark, which writes them by hand as SQL.
HEADLINE = list(HAND_SQL)
SMALLEST = 100_000


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _accounts() -> dict:
    """A user for each persona, with the role's group; the IRO, manager and business support
    are members of staff with the most work of their kind."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db.models import Count, Q
    from django.utils import timezone

    from iro_service.people.codes import JobRole
    from iro_service.people.models import StaffMember

    today = timezone.localdate()
    open_now = Q(allocations__start_date__lte=today) & (
        Q(allocations__end_date__isnull=True) | Q(allocations__end_date__gt=today)
    )
    busiest = {
        "iro": StaffMember.objects.filter(job_role=JobRole.IRO)
        .annotate(children=Count("allocations", filter=open_now))
        .order_by("-children", "pk")
        .first(),
        "manager": StaffMember.objects.filter(job_role=JobRole.IRO_MANAGER).order_by("pk").first(),
        "support": StaffMember.objects.filter(job_role=JobRole.BUSINESS_SUPPORT).order_by("pk").first(),
    }
    accounts = {}
    for persona, role in PERSONAS.items():
        user, _ = get_user_model().objects.get_or_create(username=f"load-{persona}")
        user.set_password(PASSWORD)
        user.save()
        user.groups.set([Group.objects.get(name=role)])
        staff = busiest.get(persona)
        if staff is not None and staff.user_id in (None, user.pk):
            StaffMember.objects.filter(user=user).exclude(pk=staff.pk).update(user=None)
            staff.user = user
            staff.save(update_fields=["user"])
        accounts[persona] = {"username": user.username, "password": PASSWORD, "user": user, "staff": staff}
    return accounts


def _plan(accounts: dict, year_end: int) -> dict:
    """The pages of each persona's day, named by their URL names, with real records."""
    from django.urls import reverse
    from django.utils import timezone

    from conferences.models import Family
    from iro_service.audit.services import api_token_issue
    from iro_service.people.models import Child
    from reports.figures import REGISTRY
    from reviews.codes import MeetingStatus
    from reviews.models import LacReview, ReviewMeeting

    iro = accounts["iro"]["staff"]
    today = timezone.localdate()
    children = list(
        Child.objects.filter(iro_allocations__iro=iro, iro_allocations__end_date__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:20]
    )
    reviews = list(
        LacReview.objects.filter(child_id__in=children)
        .order_by("-review_date")
        .values_list("pk", flat=True)[:20]
    )
    meetings = list(
        ReviewMeeting.objects.filter(period__child_id__in=children, status=MeetingStatus.BOOKED).values_list(
            "pk", flat=True
        )[:10]
    )
    families = list(Family.objects.order_by("-pk").values_list("pk", flat=True)[:20])

    def pages(names: list[str]) -> list[list[str]]:
        return [[name, reverse(name)] for name in names]

    def of(name: str, pks: list[int]) -> list[list[str]]:
        return [[name, reverse(name, args=[pk])] for pk in pks]

    _, token = api_token_issue(user=accounts["api"]["user"], name="Load benchmark", scopes=["figures"])
    start, end = date(year_end - 1, 4, 1), date(year_end, 3, 31)
    one_year = f"start={start}&end={end}"
    figures = reverse("figures")
    return {
        "accounts": {
            persona: {"username": a["username"], "password": a["password"]} for persona, a in accounts.items()
        },
        "pages": {
            "iro": pages(
                ["home", "reviews:children-in-care", "conferences:mine", "qa_alerts:mine", "reports:my-page"]
            )
            + of("reviews:care-record", children)
            + of("people:child-detail", children)
            + of("reviews:review-edit", reviews)
            + of("consultations:meeting", meetings),
            "support": pages(
                [
                    "home",
                    "reviews:to-book",
                    "reviews:records-to-distribute",
                    "conferences:to-book",
                    "conferences:reports-outstanding",
                    "conferences:records-to-distribute",
                    "reports:business-support",
                ]
            )
            + of("conferences:family-detail", families),
            "manager": pages(
                ["home", "reports:dashboard", "reports:caseloads", "qa_alerts:board", "conferences:index"]
            )
            + [
                ["reports:dashboard-figure", reverse("reports:dashboard-figure", args=[key])]
                for key in ["lac_reviews_on_time", "cp_plans_at_end"]
            ],
        },
        "api": [
            ["api figures: headline, one year", f"{figures}?keys={','.join(HEADLINE)}&{one_year}"],
            ["api figures: whole catalogue, one year", f"{figures}?keys={','.join(REGISTRY)}&{one_year}"],
        ],
        "api_token": token,
        "records": {
            "children": len(children),
            "reviews": len(reviews),
            "meetings": len(meetings),
            "families": len(families),
            "as_of": today.isoformat(),
        },
    }


def _start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    with log.open("ab") as out:
        return subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=out, start_new_session=True)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def _wait_for(port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"Nothing answered on port {port} in {seconds} s")


def _read_stats(prefix: str) -> list[dict]:
    rows = []
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        for row in csv.DictReader(stats):
            rows.append(
                {
                    "name": row["Name"],
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "p50_ms": float(row["50%"] or 0),
                    "p95_ms": float(row["95%"] or 0),
                    "p99_ms": float(row["99%"] or 0),
                    "per_second": round(float(row["Requests/s"] or 0), 2),
                }
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--locust", required=True, help="The locust command (make bench-load installs one)")
    parser.add_argument("--users", type=int, default=25)
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument("--year-end", type=int, default=2026, help="The March the API's year ends in")
    parser.add_argument("--any-size", action="store_true", help="Allow a database of fewer children")
    parser.add_argument("--json", help="Also write the results to this file")
    arguments = parser.parse_args()

    import django

    django.setup()
    from iro_service.people.models import Child

    children = Child.objects.count()
    if children < SMALLEST and not arguments.any_size:
        sys.exit(f"The database holds {children:,} children: load the national preset first.")
    plan = _plan(_accounts(), arguments.year_end)

    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    (work / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "DJANGO"))}
    env.update(
        DJANGO_SETTINGS_MODULE="iro_service.settings.local",
        DEBUG="false",
        DATABASE_CONN_MAX_AGE="60",  # as the Docker Compose file deploys it
        LOG_LEVEL="WARNING",
        LOAD_PLAN=str(work / "plan.json"),
    )
    port = _free_port()
    web = _start(
        [
            str(BIN / "gunicorn"),
            "iro_service.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(arguments.web_workers),
        ],
        env,
        work / "web.log",
    )
    worker = _start(
        [str(BIN / "celery"), "-A", "iro_service", "worker", "--concurrency", "1", "--loglevel", "WARNING"],
        env,
        work / "worker.log",
    )
    try:
        _wait_for(port, 60)
        prefix = str(work / "locust")
        started = time.perf_counter()
        subprocess.run(  # nosec B603: our own command line
            [
                arguments.locust,
                "-f",
                str(ROOT / "benchmarks" / "locustfile.py"),
                "--headless",
                "--host",
                f"http://127.0.0.1:{port}",
                "--users",
                str(arguments.users),
                "--spawn-rate",
                "5",
                "--run-time",
                f"{int(arguments.minutes * 60)}s",
                "--csv",
                prefix,
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env=env,
            cwd=ROOT,
            check=False,
        )
        results = {
            "children": children,
            "users": arguments.users,
            "minutes": arguments.minutes,
            "web_workers": arguments.web_workers,
            "wall_seconds": round(time.perf_counter() - started),
            "records_in_the_plan": plan["records"],
            "pages": _read_stats(prefix),
        }
    finally:
        _stop(web)
        _stop(worker)
    text = json.dumps(results, indent=2)
    print(text)
    if arguments.json:
        Path(arguments.json).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
