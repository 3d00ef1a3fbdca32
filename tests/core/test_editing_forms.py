"""Every page that edits a stored record: it must be sent back the record's version (a missing
or blank one is said at the top of the form, in the error summary, and nothing is saved), and
a POST that leaves fields out keeps their stored values instead of blanking them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories.county import County, small_county

pytestmark = pytest.mark.django_db

MISSING = "This page was sent without the version of the record it changes."


@dataclass
class EditPage:
    name: str
    role: str
    record: Callable[[County], object]  # the record the page edits
    version_field: str
    change: Callable[[County], dict]  # a complete, valid change to the record
    stored: Callable[[object], tuple]  # what must not move when the POST is refused

    def url(self, county):
        return reverse(self.name, args=[self.record(county).pk])


def _uk(day):
    return day.strftime("%d/%m/%Y")


def _review_change(county):
    review = county.review
    return {
        "part-TOTAL_FORMS": "1",
        "part-INITIAL_FORMS": "1",
        "part-0-date": _uk(review.review_date),
        "chair": str(county.chair.pk),
        "participation_code": "PN2",
        "record_completed": _uk(review.review_date + timedelta(days=5)),
        "late_reason": "Changed by the second editor",
    }


PAGES = [
    EditPage(
        "reviews:review-edit",
        "iro_user",
        lambda c: c.review,
        "updated_at",
        _review_change,
        lambda r: (r.participation_code, r.record_completed, r.late_reason, r.parts.count()),
    ),
    EditPage(
        "reviews:meeting-cancel",
        "support_user",
        lambda c: c.meeting,
        "updated_at",
        lambda c: {"reason": "Child unwell"},
        lambda m: (m.status, m.date),
    ),
    EditPage(
        "reviews:guardian-update",
        "iro_user",
        lambda c: c.guardian,
        "updated_at",
        lambda c: {"end_date": "", "handover_date": ""},
        lambda g: (g.end_date, g.handover_date),
    ),
    EditPage(
        "reviews:legal-advice-update",
        "iro_user",
        lambda c: c.referral,
        "updated_at",
        lambda c: {"outcome": "Changed by the second editor"},
        lambda r: (r.outcome,),
    ),
    EditPage(
        "conferences:conference-reports",
        "support_user",
        lambda c: c.held_conference,
        "seen_updated_at",
        lambda c: {"report_to_parents_on": "", "report_to_chair_on": ""},
        lambda k: (k.report_to_parents_on, k.report_to_chair_on),
    ),
    EditPage(
        "conferences:conference-distribute",
        "support_user",
        lambda c: c.held_conference,
        "seen_updated_at",
        lambda c: {"completed_on": _uk(timezone.localdate()), "distributed_on": _uk(timezone.localdate())},
        lambda k: (k.record_completed_on, k.record_distributed_on),
    ),
    EditPage(
        "conferences:appeal-update",
        "manager_user",
        lambda c: c.appeal,
        "seen_updated_at",
        lambda c: {"stage": "2", "outcome": "upheld", "response_sent_on": _uk(timezone.localdate())},
        lambda a: (a.stage, a.outcome, a.response_sent_on),
    ),
    EditPage(
        "conferences:conference-record",
        "iro_user",
        lambda c: c.booked_conference,
        "seen_updated_at",
        lambda c: {f"child-{c.child.pk}-outcome": "plan_continued"},
        lambda k: (k.status,),
    ),
]
IDS = [page.name for page in PAGES]


@pytest.fixture
def county(iro_user):
    return small_county(chair_user=iro_user)


def _fresh(page, county):
    record = page.record(county)
    return type(record).objects.get(pk=record.pk)


def _error_summary(response) -> str:
    match = re.search(r'class="govuk-error-summary".*?</ul>', response.content.decode(), re.S)
    return match.group(0) if match else ""


@pytest.mark.parametrize("page", PAGES, ids=IDS)
@pytest.mark.parametrize("version", ["missing", "blank", "spaces"])
def test_a_change_without_the_records_version_is_refused_at_the_top_of_the_form(
    request, client, county, page, version
):
    """GIVEN a record someone else may have changed since the page was opened
    WHEN a POST makes a complete change but its version is left out or blank
    THEN nothing is saved and the error summary says the page must be reloaded.
    (It used to mean "no check", so the change overwrote the other person's.)"""
    client.force_login(request.getfixturevalue(page.role))
    before = page.stored(_fresh(page, county))
    history = type(page.record(county)).history.filter(id=page.record(county).pk).count()
    data = page.change(county)
    if version != "missing":
        data[page.version_field] = "" if version == "blank" else "   "
    response = client.post(page.url(county), data)
    assert response.status_code == 200
    assert MISSING in _error_summary(response)
    assert page.stored(_fresh(page, county)) == before
    assert type(page.record(county)).history.filter(id=page.record(county).pk).count() == history


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_a_garbled_version_is_refused_at_the_top_of_the_form(request, client, county, page):
    client.force_login(request.getfixturevalue(page.role))
    before = page.stored(_fresh(page, county))
    response = client.post(page.url(county), {**page.change(county), page.version_field: "2016-13-45T99:00"})
    assert response.status_code == 200
    assert "This page is out of date. Reload it" in _error_summary(response)
    assert page.stored(_fresh(page, county)) == before


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_a_post_with_only_the_csrf_token_and_version_blanks_nothing(request, client, county, page):
    """GIVEN a guardian with an end and a handover date, a conference with both report dates,
    and so on
    WHEN a POST sends only the CSRF token and the record's version
    THEN every stored value is as it was: a field left out is not a field sent empty."""
    client.force_login(request.getfixturevalue(page.role))
    record = _fresh(page, county)
    before = page.stored(record)
    assert all(value not in (None, "") for value in before), "the fixture must fill what is checked"
    response = client.post(
        page.url(county),
        {"csrfmiddlewaretoken": "sent-by-the-browser", page.version_field: record.updated_at.isoformat()},
    )
    assert response.status_code in (200, 302)
    assert page.stored(_fresh(page, county)) == before


def test_a_field_sent_empty_still_clears_it(client, iro_user, county):
    """Leaving a field out keeps it; sending it empty is the user clearing it, where allowed."""
    client.force_login(iro_user)
    guardian = county.guardian
    response = client.post(
        reverse("reviews:guardian-update", args=[guardian.pk]),
        {"end_date": "", "handover_date": "", "updated_at": guardian.updated_at.isoformat()},
    )
    assert response.status_code == 302
    guardian.refresh_from_db()
    assert (guardian.end_date, guardian.handover_date) == (None, None)


def test_the_version_the_page_was_opened_on_is_still_checked(client, iro_user, county):
    client.force_login(iro_user)
    referral = county.referral
    seen = referral.updated_at.isoformat()
    url = reverse("reviews:legal-advice-update", args=[referral.pk])
    assert client.post(url, {"outcome": "First editor", "updated_at": seen}).status_code == 302
    stale = client.post(url, {"outcome": "Second editor", "updated_at": seen})
    assert "Someone else changed this" in stale.content.decode()
    referral.refresh_from_db()
    assert referral.outcome == "First editor"
