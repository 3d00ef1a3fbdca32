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

from iro_service.audit.models import AccessChannel, AccessLog, DataExchange
from iro_service.audit.roles import Role
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


def test_a_manager_imports_a_return_and_sees_the_counts(client, manager_user):
    client.force_login(manager_user)
    response = client.post(reverse("reports:returns-import-903"), uploads(), follow=True)
    assert response.status_code == 200
    assert "SSDA903 return imported: children: 3 created" in response.content.decode()
    assert LacReview.objects.count() == 5
    run = DataExchange.objects.get()
    assert (run.user, run.run_by, run.files) == (
        manager_user,
        "manager-persona",
        "header.csv, episodes.csv, reviews.csv",
    )
    detail = client.get(reverse("reports:returns-detail", args=[run.pk]))
    assert "5 created" in detail.content.decode()


def test_a_rejected_upload_lists_every_problem_and_writes_nothing(client, manager_user):
    episodes = [list(row) for row in EPISODE_ROWS]
    episodes[0][3] = "ZZ"
    episodes[3][5] = "QQ"
    client.force_login(manager_user)
    response = client.post(reverse("reports:returns-import-903"), uploads(episodes=episodes))
    assert response.status_code == 200
    text = response.content.decode()
    assert "The file was not imported: 2 problems found" in text
    assert "&#x27;ZZ&#x27; is not a LS code" in text
    assert "&#x27;QQ&#x27; is not a PLACE code" in text
    assert Child.objects.count() == 0
    run = DataExchange.objects.get()
    assert (run.outcome, run.problem_count) == ("rejected", 2)


def test_a_missing_file_is_named(client, manager_user):
    client.force_login(manager_user)
    files = uploads()
    del files["ssda903-episodes"]
    response = client.post(reverse("reports:returns-import-903"), files)
    assert response.status_code == 200
    assert "Choose the episodes table (episodes.csv)" in response.content.decode()
    assert DataExchange.objects.count() == 0


def test_export_downloads_the_three_tables_and_logs_each_child(client, manager_user):
    client.force_login(manager_user)
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
