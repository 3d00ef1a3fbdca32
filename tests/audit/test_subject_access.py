"""The subject access export: everything held about one child, as a PDF, itself logged."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib

import pytest
from django.apps import apps
from django.urls import reverse

from iro_service.audit.models import AccessChannel, AccessLog
from iro_service.audit.subject_access import reachable_models, subject_access_bundle
from iro_service.people.models import Child
from tests.factories.county import small_county

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(iro_user):
    return small_county(chair_user=iro_user)


def _held_text(bundle) -> str:
    return " ".join(
        [record.title for group in bundle.groups for record in group.records]
        + [value for group in bundle.groups for record in group.records for _, value in record.fields]
    )


def test_every_model_that_points_at_a_child_is_in_the_export():
    """The walk is over the models, so a new app's records about a child are in the export
    without a line here: every model with a foreign key to the child (history tables and the
    access log, which has its own part, apart) is reached."""
    pointing = {
        model
        for model in apps.get_models()
        if not model.__name__.startswith("Historical")
        and model is not AccessLog
        and any(field.is_relation and field.related_model is Child for field in model._meta.concrete_fields)
    }
    assert len(pointing) >= 12  # people, reviews, conferences, HSB and QA alert records
    assert pointing - reachable_models(Child) == set()


def test_amys_export_holds_her_records_from_every_app_and_not_her_brothers(county):
    """GIVEN the small county (Amy in care, reviewed, on a plan, referred for HSB, the subject
    of a QA alert; her brother Ben at the same conference), WHEN Amy's export is assembled,
    THEN it has a group for each kind of record about her, one per app at least, Ben's entry
    at the conference is not in it, and the response link's token is not copied out."""
    bundle = subject_access_bundle(child=county.child)
    titles = {group.title for group in bundle.groups}
    # Each kind by its model's own name (people, reviews, conferences, HSB, QA alerts).
    assert {
        "Iro allocations",
        "Periods of care",
        "Lac reviews",
        "Review parts",
        "Conference children",
        "Child protection plans",
        "HSB referrals",
        "HSB meetings",
        "Alert children",
    } <= titles
    # Amy is at two conferences (the initial and the booked first review); Ben's entry is not
    # hers, so it is not reached.
    conference_entries = next(group for group in bundle.groups if group.title == "Conference children")
    assert len(conference_entries.records) == 2
    ben = county.held_conference.children.exclude(child=county.child).get().child
    assert ben.local_child_id not in _held_text(bundle)
    assert county.response_token not in _held_text(bundle)
    assert all(
        "token" not in label.lower() for g in bundle.groups for r in g.records for label, _ in r.fields
    )
    # History: the child's own creation, and a code shown by its label, not as stored.
    assert bundle.history[0].record == "Child's details"
    changes = [change for item in bundle.history for change in item.changes]
    ratings = [(old, new) for label, old, new in changes if label == "Brook traffic light rating"]
    assert ratings == [("", "Amber")]


def test_the_export_is_a_pdf_logged_as_an_export_and_listed_in_itself(client, county, manager_user):
    client.force_login(manager_user)
    url = reverse("audit:subject-access", args=[county.child.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b"Download the export (PDF)" in page.content
    response = client.post(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert f"subject-access-{county.child.local_child_id}-" in response["Content-Disposition"]
    entry = AccessLog.objects.filter(child=county.child, user=manager_user).order_by("-pk").first()
    assert (entry.what, entry.channel) == ("Subject access export (PDF)", AccessChannel.EXPORT)
    # A tagged PDF (PDF/UA) in English, for a screen reader: the structure tree and the
    # language are in its compressed object streams.
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", response.content, re.S)
    unpacked = b"".join(_inflate(stream) for stream in streams) + response.content
    assert b"/StructTreeRoot" in unpacked
    assert b"/Lang (en-GB)" in unpacked or b"/Lang(en-GB)" in unpacked
    # Its text, as pdftotext (poppler, which .ci/run installs) reads it: the child, each part.
    assert shutil.which("pdftotext"), "install poppler-utils (.ci/run does)"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    for expected in (
        county.child.full_name,
        "The child's details",
        "Periods of care",
        "HSB referrals",
        "History of changes",
        "Access log",
        "Subject access export (PDF)",
    ):
        assert expected in text, expected
    # Logged before it was assembled: the export's own access log lists it.
    bundle = subject_access_bundle(child=county.child)
    assert bundle.access_log[-1].pk == entry.pk


def _inflate(stream: bytes) -> bytes:
    try:
        return zlib.decompress(stream)
    except zlib.error:
        return b""


def test_only_an_iro_manager_may_export(client, county, senior_user, iro_user):
    url = reverse("audit:subject-access", args=[county.child.pk])
    for user in (senior_user, iro_user):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    assert not AccessLog.objects.filter(what__startswith="Subject access").exists()
