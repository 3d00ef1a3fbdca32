"""Lost updates on the records of the care history that two people may change at once: a
Children's Guardian's end and handover, a legal advice referral's outcome, and the cancelling or
moving of a review meeting. The page and the API carry the version (``updated_at``) the editor
started from; a change made from a stale version is refused with nothing changed, on the page in
the GOV.UK error summary and through the API as a 409 naming ``version``."""

import html
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from iro_service.audit.services import api_token_issue
from iro_service.people.codes import JobRole
from reviews import services
from reviews.codes import MeetingStatus
from reviews.models import CafcassInvolvement, LegalAdviceReferral, ReviewMeeting
from tests.factories import ChildFactory, StaffMemberFactory
from tests.factories.reviews import period_of_care, review

pytestmark = pytest.mark.django_db

CAFCASS = "/api/v1/cafcass-involvements/"
LEGAL = "/api/v1/legal-advice-referrals/"
MEETINGS = "/api/v1/review-meetings/"
RELOAD = "Reload the page to see their changes, then make yours again."


@pytest.fixture
def period():
    """Amy in care since 4 April 2016."""
    child = ChildFactory(first_name="Amy", last_name="Smith", date_of_birth=date(2008, 1, 1))
    return period_of_care(child=child, start_date=date(2016, 4, 4))


@pytest.fixture
def guardian(period):
    return services.cafcass_involvement_record(
        child=period.child, guardian_name="Ruth Okafor", start_date=date(2016, 4, 10)
    )


@pytest.fixture
def referral(period):
    return services.legal_advice_referral_record(
        child=period.child, date_referred=date(2016, 6, 1), reason="Contact with siblings refused"
    )


@pytest.fixture
def meeting(period):
    """Amy's next review booked a fortnight from today."""
    return services.review_meeting_book(period=period, on=timezone.localdate() + timedelta(days=14))


def _uk(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _opened(client, url) -> str:
    """Open the page and return the version it carries in its hidden field, as a browser would
    send it back."""
    response = client.get(url)
    assert response.status_code == 200
    found = re.search(r'name="updated_at" value="([^"]+)"', response.content.decode())
    assert found, "the page carries no version"
    return html.unescape(found.group(1))


def _error_summary(response) -> str:
    """The text of the page's GOV.UK error summary ('' if it has none)."""
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    if 'class="govuk-error-summary"' not in page:
        return ""
    summary = page.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    return html.unescape(re.sub(r"<[^>]+>", " ", summary))


# --- Children's Guardian: end and handover (page) -----------------------------------------------


def test_a_guardians_dates_saved_from_the_page_as_opened_are_kept(client, iro_user, guardian):
    client.force_login(iro_user)
    url = reverse("reviews:guardian-update", args=[guardian.pk])
    version = _opened(client, url)
    response = client.post(
        url, {"end_date": "01/10/2016", "handover_date": "05/10/2016", "updated_at": version}
    )
    assert response.status_code == 302
    guardian.refresh_from_db()
    assert (guardian.end_date, guardian.handover_date) == (date(2016, 10, 1), date(2016, 10, 5))
    assert CafcassInvolvement.history.filter(id=guardian.pk).count() == 2  # recorded, changed


def test_a_guardians_dates_saved_from_a_stale_page_are_refused_and_nothing_changes(
    client, iro_user, guardian
):
    """GIVEN Ruth Okafor's page 'end and handover' open on an IRO's screen
    WHEN a colleague records the handover on 5 October 2016, and the IRO then saves an end of
    1 October (and no handover) from the page opened before
    THEN the page says someone else changed the record, in the error summary, and the record
    keeps only the colleague's change: no end date, handover 5 October, one change in history."""
    client.force_login(iro_user)
    url = reverse("reviews:guardian-update", args=[guardian.pk])
    version = _opened(client, url)
    services.cafcass_involvement_update(involvement=guardian, end_date=None, handover_date=date(2016, 10, 5))

    response = client.post(url, {"end_date": "01/10/2016", "handover_date": "", "updated_at": version})

    summary = _error_summary(response)
    assert "Someone else changed this Children's Guardian's record while you were editing." in summary
    assert RELOAD in summary
    guardian.refresh_from_db()
    assert (guardian.end_date, guardian.handover_date) == (None, date(2016, 10, 5))
    assert CafcassInvolvement.history.filter(id=guardian.pk).count() == 2  # recorded, colleague's


def test_a_page_with_a_garbled_version_says_to_reload_and_changes_nothing(client, iro_user, guardian):
    client.force_login(iro_user)
    url = reverse("reviews:guardian-update", args=[guardian.pk])
    response = client.post(url, {"end_date": "01/10/2016", "updated_at": "yesterday-ish"})
    assert "This page is out of date. Reload it, then make your change again." in _error_summary(response)
    guardian.refresh_from_db()
    assert guardian.end_date is None


def test_a_review_page_with_a_garbled_version_says_to_reload_not_a_server_error(client, iro_user, period):
    """The review page shares the hidden version field: a garbled one is a message, not a 500."""
    chair = StaffMemberFactory(user=iro_user, job_role=JobRole.IRO)
    held = review(child=period.child, parts=date(2016, 4, 28), chair=chair)
    client.force_login(iro_user)
    data = {
        "part-TOTAL_FORMS": "1",
        "part-INITIAL_FORMS": "1",
        "part-MIN_NUM_FORMS": "1",
        "part-MAX_NUM_FORMS": "10",
        "part-0-date": "28/04/2016",
        "chair": chair.pk,
        "record_completed": "12/05/2016",
        "updated_at": "2016-13-45T99:00",
    }
    response = client.post(reverse("reviews:review-edit", args=[held.pk]), data)
    assert "This page is out of date. Reload it, then make your change again." in _error_summary(response)
    held.refresh_from_db()
    assert held.record_completed is None


# --- legal advice referral: outcome (page) ------------------------------------------------------


def test_a_referrals_outcome_saved_from_the_page_as_opened_is_kept(client, iro_user, referral):
    client.force_login(iro_user)
    url = reverse("reviews:legal-advice-update", args=[referral.pk])
    version = _opened(client, url)
    response = client.post(url, {"outcome": "Solicitor appointed", "updated_at": version})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.outcome == "Solicitor appointed"


def test_a_referrals_outcome_saved_from_a_stale_page_is_refused_and_nothing_changes(
    client, iro_user, referral
):
    """GIVEN the outcome page of Amy's referral open on an IRO's screen
    WHEN a colleague records 'Solicitor appointed' and the IRO then saves 'No action' from the
    page opened before
    THEN the page says someone else changed the referral and the colleague's outcome stands."""
    client.force_login(iro_user)
    url = reverse("reviews:legal-advice-update", args=[referral.pk])
    version = _opened(client, url)
    services.legal_advice_referral_update(referral=referral, outcome="Solicitor appointed")

    response = client.post(url, {"outcome": "No action", "updated_at": version})

    summary = _error_summary(response)
    assert "Someone else changed this referral for legal advice while you were editing." in summary
    assert RELOAD in summary
    referral.refresh_from_db()
    assert referral.outcome == "Solicitor appointed"
    assert LegalAdviceReferral.history.filter(id=referral.pk).count() == 2  # recorded, colleague's


# --- review meeting: cancel or move (page) ------------------------------------------------------


def test_a_meeting_moved_from_the_page_as_opened_is_moved(client, support_user, meeting):
    client.force_login(support_user)
    url = reverse("reviews:meeting-cancel", args=[meeting.pk])
    version = _opened(client, url)
    three_weeks = timezone.localdate() + timedelta(days=21)
    response = client.post(
        url, {"reason": "Social worker on leave", "new_date": _uk(three_weeks), "updated_at": version}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.reason) == (MeetingStatus.REBOOKED, "Social worker on leave")
    assert ReviewMeeting.objects.get(status=MeetingStatus.BOOKED).date == three_weeks


def test_a_meeting_cancelled_from_a_stale_page_is_refused_and_nothing_changes(client, support_user, meeting):
    """GIVEN Amy's review meeting in a fortnight, open on the 'cancel or move' page
    WHEN a colleague moves it to three weeks away, and the page opened before then cancels it
    THEN the page says someone else changed the meeting (not that it is no longer booked: the
    person learns why), and the colleague's move stands: the first meeting rebooked with their
    reason, the new one booked, nothing cancelled."""
    client.force_login(support_user)
    url = reverse("reviews:meeting-cancel", args=[meeting.pk])
    version = _opened(client, url)
    three_weeks = timezone.localdate() + timedelta(days=21)
    services.review_meeting_cancel(meeting=meeting, reason="Chair ill", new_date=three_weeks)

    response = client.post(url, {"reason": "Family on holiday", "updated_at": version})

    summary = _error_summary(response)
    assert "Someone else changed this review meeting while you were editing." in summary
    assert RELOAD in summary
    rows = list(ReviewMeeting.objects.order_by("pk").values_list("status", "reason", "date"))
    assert rows == [
        (MeetingStatus.REBOOKED, "Chair ill", meeting.date),
        (MeetingStatus.BOOKED, "", three_weeks),
    ]


def test_recording_the_review_changes_the_booked_meetings_version(client, support_user):
    """GIVEN Ben, in care since five days ago, his first review booked for today and open on
    the 'cancel or move' page
    WHEN the review is recorded as held today (which marks the meeting held)
    THEN the page opened before is refused as stale: the meeting's version changed with it."""
    today = timezone.localdate()
    period = period_of_care(child=ChildFactory(first_name="Ben"), start_date=today - timedelta(days=5))
    booked = services.review_meeting_book(period=period, on=today)
    client.force_login(support_user)
    url = reverse("reviews:meeting-cancel", args=[booked.pk])
    version = _opened(client, url)
    services.lac_review_record(child=period.child, parts=[services.PartInput(date=today)], chair=None)

    response = client.post(url, {"reason": "Family on holiday", "updated_at": version})

    assert "Someone else changed this review meeting" in _error_summary(response)
    booked.refresh_from_db()
    assert (booked.status, booked.reason) == (MeetingStatus.HELD, "")


# --- the API: PATCH guardians and referrals, POST .../cancel/ meetings --------------------------


@pytest.fixture
def iro_api(iro_user):
    _, plain = api_token_issue(user=iro_user, name="Case system", scopes=["read", "write"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {plain}")
    return client


@pytest.fixture
def support_api(support_user):
    _, plain = api_token_issue(user=support_user, name="Booking system", scopes=["read", "write"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {plain}")
    return client


def test_api_guardian_change_with_a_stale_version_is_409_and_changes_nothing(iro_api, guardian):
    """GIVEN a client that read Ruth Okafor's record
    WHEN another change (the handover on 5 Oct 2016) is saved, and the client then sends an end
    of 1 Oct with the version it read
    THEN 409 naming `version`, and the record keeps only the other change; with the version read
    again, the client's change is saved."""
    url = f"{CAFCASS}{guardian.pk}/"
    read = iro_api.get(url).json()["version"]
    services.cafcass_involvement_update(involvement=guardian, end_date=None, handover_date=date(2016, 10, 5))

    response = iro_api.patch(url, {"end_date": "2016-10-01", "version": read}, format="json")

    assert (response.status_code, list(response.json())) == (409, ["version"])
    assert "Someone else changed this Children's Guardian's record" in response.json()["version"][0]
    guardian.refresh_from_db()
    assert (guardian.end_date, guardian.handover_date) == (None, date(2016, 10, 5))
    assert CafcassInvolvement.history.filter(id=guardian.pk).count() == 2

    fresh = iro_api.get(url).json()["version"]
    response = iro_api.patch(url, {"end_date": "2016-10-01", "version": fresh}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["end_date"], response.json()["handover_date"]) == ("2016-10-01", "2016-10-05")
    assert response.json()["version"] != fresh


def test_api_referral_outcome_with_a_stale_version_is_409_and_changes_nothing(iro_api, referral):
    url = f"{LEGAL}{referral.pk}/"
    read = iro_api.get(url).json()["version"]
    services.legal_advice_referral_update(referral=referral, outcome="Solicitor appointed")

    response = iro_api.patch(url, {"outcome": "No action", "version": read}, format="json")

    assert (response.status_code, list(response.json())) == (409, ["version"])
    referral.refresh_from_db()
    assert referral.outcome == "Solicitor appointed"

    fresh = iro_api.get(url).json()["version"]
    response = iro_api.patch(url, {"outcome": "Advice given", "version": fresh}, format="json")
    assert (response.status_code, response.json()["outcome"]) == (200, "Advice given")


def test_api_meeting_cancel_with_a_stale_version_is_409_and_changes_nothing(support_api, meeting):
    """GIVEN a client that read Amy's booked meeting
    WHEN a colleague moves it to three weeks away, and the client then cancels it with the
    version it read
    THEN 409 naming `version`, and the colleague's move stands (nothing cancelled)."""
    url = f"{MEETINGS}{meeting.pk}/cancel/"
    read = support_api.get(f"{MEETINGS}{meeting.pk}/").json()["version"]
    three_weeks = timezone.localdate() + timedelta(days=21)
    services.review_meeting_cancel(meeting=meeting, reason="Chair ill", new_date=three_weeks)

    response = support_api.post(url, {"reason": "Family on holiday", "version": read}, format="json")

    assert (response.status_code, list(response.json())) == (409, ["version"])
    assert "Someone else changed this review meeting" in response.json()["version"][0]
    assert list(ReviewMeeting.objects.order_by("pk").values_list("status", "reason")) == [
        (MeetingStatus.REBOOKED, "Chair ill"),
        (MeetingStatus.BOOKED, ""),
    ]


def test_api_meeting_cancel_with_the_version_read_cancels_it(support_api, meeting):
    read = support_api.get(f"{MEETINGS}{meeting.pk}/").json()["version"]
    response = support_api.post(
        f"{MEETINGS}{meeting.pk}/cancel/", {"reason": "Family on holiday", "version": read}, format="json"
    )
    assert (response.status_code, response.json()["status"]) == (200, "cancelled")
    meeting.refresh_from_db()
    assert (meeting.status, meeting.reason) == (MeetingStatus.CANCELLED, "Family on holiday")


@pytest.mark.parametrize("version", [None, "", "not a date"])
def test_api_meeting_cancel_without_a_usable_version_is_400_naming_it(support_api, meeting, version):
    body = {"reason": "Family on holiday"} | ({} if version is None else {"version": version})
    response = support_api.post(f"{MEETINGS}{meeting.pk}/cancel/", body, format="json")
    assert (response.status_code, list(response.json())) == (400, ["version"])
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.BOOKED
