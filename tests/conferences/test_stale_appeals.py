"""Lost updates on appeals: two managers may move one appeal on at once. The page and the API
carry the version (``updated_at``) the manager started from; a change made from a stale version
is refused with nothing changed, on the page in the GOV.UK error summary and through the API as a
409 naming ``version``."""

import html
import re
from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from conferences.models import Appeal, AppealOutcome, ConferenceType
from conferences.services import (
    ChildDecision,
    appeal_record,
    appeal_update,
    conference_book,
    conference_record,
    strategy_discussion_record,
)
from iro_service.audit.services import api_token_issue
from tests.factories import StaffMemberFactory
from tests.factories.conferences import family_with_children

pytestmark = pytest.mark.django_db

APPEALS = "/api/v1/appeals/"


@pytest.fixture
def appeal():
    """Amy's mother's appeal, received on 20 June 2016, about the initial conference held on
    15 June 2016 that started Amy's plan: stage 1, pending."""
    family, (amy,) = family_with_children("Amy")
    discussion = strategy_discussion_record(family=family, on=date(2016, 6, 1), children=[amy])
    booked = conference_book(
        family=family,
        conference_type=ConferenceType.INITIAL,
        on=date(2016, 6, 15),
        chair=StaffMemberFactory(first_name="Helen", last_name="Ashworth"),
        children=[(amy, "initial")],
        strategy_discussion=discussion,
    )
    held = conference_record(conference=booked, decisions={amy.pk: ChildDecision("plan_started", ("NEG",))})
    return appeal_record(
        conference=held, appellant="parent_or_carer", received_on=date(2016, 6, 20), child=amy
    )


def _opened(client, url) -> str:
    """Open the page and return the version its hidden field carries, as a browser sends it back."""
    response = client.get(url)
    assert response.status_code == 200
    found = re.search(r'name="seen_updated_at" value="([^"]+)"', response.content.decode())
    assert found, "the page carries no version"
    return html.unescape(found.group(1))


def _error_summary(response) -> str:
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    if 'class="govuk-error-summary"' not in page:
        return ""
    summary = page.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    return html.unescape(re.sub(r"<[^>]+>", " ", summary))


def _state(appeal: Appeal) -> tuple:
    appeal.refresh_from_db()
    return (appeal.stage, appeal.outcome, appeal.response_sent_on)


# --- the page -----------------------------------------------------------------------------------


def test_an_appeal_moved_on_from_the_page_as_opened_is_saved(client, manager_user, appeal):
    client.force_login(manager_user)
    url = reverse("conferences:appeal-update", args=[appeal.pk])
    version = _opened(client, url)
    response = client.post(
        url, {"stage": 2, "outcome": "upheld", "response_sent_on": "04/07/2016", "seen_updated_at": version}
    )
    assert response.status_code == 302
    assert _state(appeal) == (2, AppealOutcome.UPHELD, date(2016, 7, 4))


def test_an_appeal_moved_on_from_a_stale_page_is_refused_and_nothing_changes(client, manager_user, appeal):
    """GIVEN the appeal's page open on a manager's screen (stage 1, pending)
    WHEN a colleague moves it to stage 2, and the manager then saves 'not upheld' at stage 1
    with the response sent on 1 July 2016 from the page opened before
    THEN the page says someone else changed the appeal, in the error summary, and the appeal
    keeps the colleague's change only: stage 2, pending, no response date."""
    client.force_login(manager_user)
    url = reverse("conferences:appeal-update", args=[appeal.pk])
    version = _opened(client, url)
    appeal_update(appeal=appeal, stage=2, outcome=AppealOutcome.PENDING, response_sent_on=None)

    response = client.post(
        url,
        {"stage": 1, "outcome": "not_upheld", "response_sent_on": "01/07/2016", "seen_updated_at": version},
    )

    summary = _error_summary(response)
    assert "Someone else changed this appeal while you were editing." in summary
    assert "Reload the page to see their changes, then make yours again." in summary
    assert _state(appeal) == (2, AppealOutcome.PENDING, None)
    assert Appeal.history.filter(id=appeal.pk).count() == 2  # recorded, the colleague's change


def test_an_appeal_page_with_a_garbled_version_says_to_reload(client, manager_user, appeal):
    client.force_login(manager_user)
    url = reverse("conferences:appeal-update", args=[appeal.pk])
    response = client.post(url, {"stage": 2, "outcome": "pending", "seen_updated_at": "last week"})
    assert "This page is out of date. Reload it, then make your change again." in _error_summary(response)
    assert _state(appeal) == (1, AppealOutcome.PENDING, None)


# --- the API ------------------------------------------------------------------------------------


@pytest.fixture
def manager_api(manager_user):
    _, plain = api_token_issue(user=manager_user, name="Complaints system", scopes=["read", "write"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {plain}")
    return client


def test_api_appeal_change_with_a_stale_version_is_409_and_changes_nothing(manager_api, appeal):
    """GIVEN a client that read the appeal (stage 1, pending)
    WHEN a colleague moves it to stage 2, and the client then sends 'withdrawn' with the version
    it read
    THEN 409 naming `version` and the appeal keeps the colleague's change; with the version read
    again the client's change is saved."""
    url = f"{APPEALS}{appeal.pk}/"
    read = manager_api.get(url).json()["version"]
    appeal_update(appeal=appeal, stage=2, outcome=AppealOutcome.PENDING, response_sent_on=None)

    response = manager_api.patch(url, {"outcome": "withdrawn", "version": read}, format="json")

    assert (response.status_code, list(response.json())) == (409, ["version"])
    assert "Someone else changed this appeal" in response.json()["version"][0]
    assert _state(appeal) == (2, AppealOutcome.PENDING, None)

    fresh = manager_api.get(url).json()["version"]
    response = manager_api.patch(url, {"outcome": "withdrawn", "version": fresh}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["stage"], response.json()["outcome"]) == (2, "withdrawn")
    assert _state(appeal) == (2, AppealOutcome.WITHDRAWN, None)


@pytest.mark.parametrize("version", [None, "", "not a date"])
def test_api_appeal_change_without_a_usable_version_is_400_naming_it(manager_api, appeal, version):
    body = {"stage": 2} | ({} if version is None else {"version": version})
    response = manager_api.patch(f"{APPEALS}{appeal.pk}/", body, format="json")
    assert (response.status_code, list(response.json())) == (400, ["version"])
    assert _state(appeal) == (1, AppealOutcome.PENDING, None)
