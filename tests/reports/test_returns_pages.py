"""The managers' statutory returns page: upload an SSDA903 return, see every problem when it is
rejected, export a year, and the history of every import and export."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from iro_service.audit.models import AccessChannel, AccessLog, DataExchange, QueuedUpload
from iro_service.core.roles import Role
from iro_service.people.models import Child
from reviews.models import LacReview
from reviews.ssda903.tables import EPISODES_COLUMNS, HEADER_COLUMNS, REVIEWS_COLUMNS
from tests.reviews.test_ssda903 import (
    EPISODE_ROWS,
    HEADER_ROWS,
    REVIEW_ROWS,
    _csv,
)

pytestmark = pytest.mark.django_db


def uploads(episodes=None):
    return {
        "ssda903-header": SimpleUploadedFile("header.csv", _csv(HEADER_COLUMNS, HEADER_ROWS).encode()),
        "ssda903-episodes": SimpleUploadedFile(
            "episodes.csv", _csv(EPISODES_COLUMNS, EPISODE_ROWS if episodes is None else episodes).encode()
        ),
        "ssda903-reviews": SimpleUploadedFile("reviews.csv", _csv(REVIEWS_COLUMNS, REVIEW_ROWS).encode()),
    }


def test_only_those_allowed_see_the_page(client, make_user):
    url = reverse("reports:returns")
    client.force_login(make_user(Role.IRO, username="an-iro"))
    assert client.get(url).status_code == 403
    client.force_login(make_user(Role.SENIOR_MANAGER, username="a-senior"))
    page = client.get(url)
    assert page.status_code == 200
    assert b"Import an SSDA903 return" not in page.content  # history only
    assert client.post(reverse("reports:returns-import-903"), uploads()).status_code == 403
    assert Child.objects.count() == 0


def test_a_manager_imports_a_return_and_sees_the_counts(
    client, manager_user, django_capture_on_commit_callbacks
):
    client.force_login(manager_user)
    # The import is queued after the upload commits; Celery runs eagerly in the tests.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:returns-import-903"), uploads())
    run = DataExchange.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:returns-detail", args=[run.pk])
    assert LacReview.objects.count() == 5
    assert (run.outcome, run.user, run.run_by) == ("imported", manager_user, "manager-persona")
    assert run.files == "header.csv, episodes.csv, reviews.csv"
    # The uploaded copy of the return is gone once imported.
    assert QueuedUpload.objects.count() == 0
    detail = client.get(response["Location"]).content.decode()
    assert "The return was imported." in detail
    assert "5 created" in detail


def test_a_rejected_upload_lists_every_problem_and_writes_nothing(
    client, manager_user, django_capture_on_commit_callbacks
):
    episodes = [list(row) for row in EPISODE_ROWS]
    episodes[0][3] = "ZZ"
    episodes[3][5] = "QQ"
    client.force_login(manager_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:returns-import-903"), uploads(episodes=episodes))
    text = client.get(response["Location"]).content.decode()
    assert "The file was not imported: 2 problems found" in text
    assert "&#x27;ZZ&#x27; is not a LS code" in text
    assert "&#x27;QQ&#x27; is not a PLACE code" in text
    assert Child.objects.count() == 0
    assert QueuedUpload.objects.count() == 0
    run = DataExchange.objects.get()
    assert (run.outcome, run.problem_count) == ("rejected", 2)


def test_a_queued_import_shows_as_not_finished_and_runs_once(client, manager_user):
    """Without the commit (a worker has not picked it up yet) the page says so; running the job
    twice imports once."""
    from reports.services import statutory_return_import_queued

    client.force_login(manager_user)
    response = client.post(reverse("reports:returns-import-903"), uploads())
    run = DataExchange.objects.get()
    assert (run.outcome, QueuedUpload.objects.count()) == ("queued", 3)
    assert "The import has not finished yet" in client.get(response["Location"]).content.decode()
    assert statutory_return_import_queued(exchange_pk=run.pk) == "imported"
    assert statutory_return_import_queued(exchange_pk=run.pk) == "imported"
    assert LacReview.objects.count() == 5
    assert DataExchange.objects.count() == 1


def test_a_dry_run_upload_reports_what_it_would_write(
    client, manager_user, django_capture_on_commit_callbacks
):
    client.force_login(manager_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:returns-import-903"), {**uploads(), "ssda903-dry_run": "on"})
    text = client.get(response["Location"]).content.decode()
    assert "No problems found: nothing was imported (check only)." in text
    assert "Records it would write" in text
    assert Child.objects.count() == 0


def test_a_missing_file_is_named(client, manager_user):
    client.force_login(manager_user)
    files = uploads()
    del files["ssda903-episodes"]
    response = client.post(reverse("reports:returns-import-903"), files)
    assert response.status_code == 200
    assert "Choose the episodes table (episodes.csv)" in response.content.decode()
    assert DataExchange.objects.count() == 0


def test_export_downloads_the_three_tables_and_logs_each_child(
    client, manager_user, django_capture_on_commit_callbacks
):
    client.force_login(manager_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:returns-import-903"), uploads())
    response = client.post(
        reverse("reports:returns-export"), {"export-data_format": "ssda903", "export-year": "2017"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="ssda903-2017.zip"'
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["episodes.csv", "header.csv", "reviews.csv"]
    assert archive.read("reviews.csv").decode() == _csv(REVIEWS_COLUMNS, REVIEW_ROWS)
    logged = AccessLog.objects.filter(channel=AccessChannel.EXPORT, user=manager_user)
    assert sorted(logged.values_list("child__local_child_id", flat=True)) == ["A1", "A2", "A3"]


def test_export_refuses_a_bad_year_naming_the_field(client, manager_user):
    client.force_login(manager_user)
    response = client.post(
        reverse("reports:returns-export"), {"export-data_format": "ssda903", "export-year": "1990"}
    )
    assert response.status_code == 200
    assert "Enter a year from 2004 to" in response.content.decode()


def test_the_page_runs_the_same_queries_whatever_the_history(client, manager_user, tmp_path):
    from reviews.ssda903 import export_903

    client.force_login(manager_user)
    export_903(year=2017, directory=tmp_path / "one")
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("reports:returns")).status_code == 200
    for number in range(12):
        export_903(year=2017, directory=tmp_path / f"more{number}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("reports:returns")).status_code == 200
    assert len(few) == len(many)


def test_a_manager_imports_a_cin_census(client, manager_user, django_capture_on_commit_callbacks):
    from pathlib import Path

    census = Path(__file__).parents[1] / "conferences" / "data" / "cin_2017_small.xml"
    client.force_login(manager_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:returns-import-cin"),
            {"cin-census": SimpleUploadedFile("cin-2017.xml", census.read_bytes())},
        )
    run = DataExchange.objects.get()
    assert (run.data_format, run.outcome, run.files) == ("cin_census", "imported", "cin-2017.xml")
    # Five children in the hand-made census (tests/conferences/test_cin_census.py).
    assert run.counts["children"]["created"] == 5
    assert "The return was imported." in client.get(response["Location"]).content.decode()


def test_the_sweep_requeues_imports_never_started_and_fails_those_whose_worker_died(
    client, manager_user, django_capture_on_commit_callbacks
):
    """An import queued 20 minutes ago that no worker took (broker down) is run by the sweep;
    one "running" for 2 hours lost its worker: it is marked failed and its files deleted."""
    from datetime import timedelta

    from django.utils import timezone

    from reports.services import statutory_returns_sweep

    client.force_login(manager_user)
    client.post(reverse("reports:returns-import-903"), uploads())
    client.post(reverse("reports:returns-import-903"), uploads())
    never_started, died = DataExchange.objects.order_by("pk")
    long_ago = timezone.now() - timedelta(hours=2)
    DataExchange.objects.filter(pk=never_started.pk).update(started_at=timezone.now() - timedelta(minutes=20))
    DataExchange.objects.filter(pk=died.pk).update(
        outcome="running", started_at=long_ago, finished_at=long_ago
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert statutory_returns_sweep() == {"requeued": 1, "failed": 1}
    never_started.refresh_from_db()
    died.refresh_from_db()
    assert never_started.outcome == "imported"  # the test settings run the job eagerly
    assert (died.outcome, died.problem_count) == ("failed", 1)
    assert QueuedUpload.objects.count() == 0
    assert (
        "The import failed" in client.get(reverse("reports:returns-detail", args=[died.pk])).content.decode()
    )


def test_managers_home_page_shows_the_latest_imports_in_fixed_queries(
    client, manager_user, make_user, tmp_path
):
    from reviews.ssda903 import export_903

    client.force_login(make_user(Role.IRO, username="plain-iro"))
    export_903(year=2017, directory=tmp_path / "first")
    assert "Statutory returns" not in client.get(reverse("home")).content.decode()
    client.force_login(manager_user)
    with CaptureQueriesContext(connection) as few:
        page = client.get(reverse("home")).content.decode()
    assert "Export SSDA903 (children looked after)" in page
    for number in range(6):
        export_903(year=2017, directory=tmp_path / f"more{number}")
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("home")).content.decode()
    assert page.count("Export SSDA903 (children looked after)") == 3
    assert len(few) == len(many)


def test_the_problems_of_a_rejected_import_download_as_csv(client, manager_user, make_user):
    episodes = [list(row) for row in EPISODE_ROWS]
    episodes[3][5] = "QQ"
    client.force_login(manager_user)
    response = client.post(reverse("reports:returns-import-903"), uploads(episodes=episodes))
    run = DataExchange.objects.get()
    from reports.services import statutory_return_import_queued

    statutory_return_import_queued(exchange_pk=run.pk)
    url = reverse("reports:returns-problems-csv", args=[run.pk])
    assert url in client.get(response["Location"]).content.decode()
    download = client.get(url)
    assert download["Content-Disposition"] == f'attachment; filename="import-{run.pk}-problems.csv"'
    lines = download.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "File,Where,Field,Problem"
    assert lines[1].startswith("episodes.csv,row 5,PLACE,'QQ' is not a PLACE code")
    client.force_login(make_user(Role.IRO, username="not-a-manager"))
    assert client.get(url).status_code == 403
