"""Review meetings, the IRO's contacts, permanence plans, Children's Guardians, legal advice
referrals and the distribution of review records through the API: scopes and role permissions,
writes through reviews.services (400 naming the field, nothing changed), the access log and
query counts."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework import serializers

from iro_service.audit.models import AccessChannel, AccessLog
from iro_service.people.codes import JobRole
from reviews import services
from reviews.models import (
    CafcassInvolvement,
    IroContact,
    LacReview,
    LegalAdviceReferral,
    PermanencePlan,
    ReviewMeeting,
)
from tests.factories import ChildFactory, StaffMemberFactory
from tests.factories.reviews import period_of_care, review

pytestmark = pytest.mark.django_db

MEETINGS = "/api/v1/review-meetings/"
CONTACTS = "/api/v1/iro-contacts/"
PERMANENCE = "/api/v1/permanence-plans/"
CAFCASS = "/api/v1/cafcass-involvements/"
LEGAL = "/api/v1/legal-advice-referrals/"
DISTRIBUTE = "/api/v1/reviews/distribute-records/"
NEW_LISTS = [MEETINGS, CONTACTS, PERMANENCE, CAFCASS, LEGAL]


@pytest.fixture
def iro_staff(iro_user):
    """The IRO persona's own staff record: contacts are recorded as theirs."""
    return StaffMemberFactory(user=iro_user, job_role=JobRole.IRO, first_name="Priya", last_name="Shah")


@pytest.fixture
def support(token_client, support_user):
    """Business support book meetings and distribute records."""
    return token_client("read", "write", user=support_user)


@pytest.fixture
def iro(token_client, iro_user, iro_staff):
    """IROs record contacts, permanence plans, guardians and referrals."""
    return token_client("read", "write", user=iro_user)


def _today() -> date:
    return timezone.localdate()


def _version(record) -> str:
    """The version a client read: the record's updated_at as the API shows it."""
    return serializers.DateTimeField().to_representation(record.updated_at)


def _child_in_care(start: date | None = None):
    return period_of_care(
        start_date=start or date(2016, 4, 4), child=ChildFactory(date_of_birth=date(2008, 1, 1))
    )


# --- scopes and permissions -------------------------------------------------------------------


@pytest.mark.parametrize("url", NEW_LISTS)
def test_reads_need_the_read_scope(token_client, api_client, url):
    assert api_client.get(url).status_code == 401
    assert token_client("figures").get(url).status_code == 403
    assert token_client("read").get(url).status_code == 200


@pytest.mark.parametrize(
    ("url", "persona"),
    [
        (MEETINGS, "support_user"),
        (DISTRIBUTE, "support_user"),
        (CONTACTS, "iro_user"),
        (PERMANENCE, "iro_user"),
        (CAFCASS, "iro_user"),
        (LEGAL, "iro_user"),
    ],
)
def test_writes_need_the_write_scope_and_the_roles_permission(
    token_client, api_client, request, iro_staff, url, persona
):
    user = request.getfixturevalue(persona)
    assert api_client.post(url, {}, format="json").status_code == 401
    assert token_client("figures", user=user).post(url, {}, format="json").status_code == 403
    response = token_client("read", user=user).post(url, {}, format="json")
    assert (response.status_code, response.json()["detail"]) == (
        403,
        "This token does not have the 'write' scope.",
    )
    # The API client persona's role reads only, whatever the token's scopes.
    assert token_client("read", "write").post(url, {}, format="json").status_code == 403
    # Allowed through: an empty body is then a 400 naming the missing fields.
    response = token_client("write", user=user).post(url, {}, format="json")
    assert response.status_code == 400
    assert response.json()


def test_each_role_writes_only_its_own_records(token_client, iro_user, support_user, iro_staff):
    period = _child_in_care()
    soon = (_today() + timedelta(days=14)).isoformat()
    # IROs do not book meetings or distribute records; business support do not record plans.
    as_iro = token_client("read", "write", user=iro_user)
    assert as_iro.post(MEETINGS, {"period": period.pk, "date": soon}, format="json").status_code == 403
    assert as_iro.post(DISTRIBUTE, {"reviews": [], "distributed_on": soon}, format="json").status_code == 403
    as_support = token_client("read", "write", user=support_user)
    body = {"period": period.pk, "plan_type": "adoption", "date_agreed": "2016-05-01"}
    assert as_support.post(PERMANENCE, body, format="json").status_code == 403
    assert not ReviewMeeting.objects.exists()
    assert not PermanencePlan.objects.exists()


# --- reads ------------------------------------------------------------------------------------


def test_meetings_filter_by_child_status_and_date_and_log_each_child(token_client):
    first, second = _child_in_care(), _child_in_care()
    in_a_week = _today() + timedelta(days=7)
    in_a_month = _today() + timedelta(days=30)
    services.review_meeting_book(period=first, on=in_a_week)
    moved = services.review_meeting_cancel(
        meeting=ReviewMeeting.objects.get(period=first), reason="IRO on leave", new_date=in_a_month
    )
    services.review_meeting_book(period=second, on=in_a_week)
    client = token_client("read")

    body = client.get(MEETINGS, {"child": first.child_id}).json()
    # The first child's meeting was moved: the old one (rebooked) and the new one, by date.
    assert [(row["date"], row["status"], row["reason"]) for row in body["results"]] == [
        (in_a_week.isoformat(), "rebooked", "IRO on leave"),
        (in_a_month.isoformat(), "booked", ""),
    ]
    assert {row["child"] for row in body["results"]} == {first.child_id}
    assert list(AccessLog.objects.values_list("child_id", "channel", "what")) == [
        (first.child_id, AccessChannel.API, "Review meeting (list)")
    ]

    # Booked meetings up to a week away: only the second child's (the first's moved on).
    body = client.get(MEETINGS, {"status": "booked", "on_or_before": in_a_week.isoformat()}).json()
    assert [row["child"] for row in body["results"]] == [second.child_id]
    later = client.get(MEETINGS, {"on_or_after": (in_a_week + timedelta(days=1)).isoformat()}).json()
    assert [row["id"] for row in later["results"]] == [moved.pk]


def test_every_new_record_read_is_logged_against_its_child(token_client, iro_staff):
    period = _child_in_care()
    child = period.child
    meeting = services.review_meeting_book(period=period, on=_today() + timedelta(days=7))
    contact = services.iro_contact_record(child=child, iro=iro_staff, on=date(2016, 5, 2), kind="visit")
    plan = services.permanence_plan_record(period=period, plan_type="adoption", date_agreed=date(2016, 5, 3))
    guardian = services.cafcass_involvement_record(
        child=child, guardian_name="Ruth Okafor", start_date=date(2016, 4, 10)
    )
    referral = services.legal_advice_referral_record(
        child=child, date_referred=date(2016, 6, 1), reason="Contact with siblings refused"
    )
    client = token_client("read")
    for url, row in [
        (MEETINGS, meeting),
        (CONTACTS, contact),
        (PERMANENCE, plan),
        (CAFCASS, guardian),
        (LEGAL, referral),
    ]:
        assert client.get(f"{url}{row.pk}/").json()["id"] == row.pk
    assert sorted(AccessLog.objects.values_list("what", flat=True)) == [
        "Cafcass involvement",
        "IRO contact",
        "Legal advice referral",
        "Permanence plan",
        "Review meeting",
    ]
    assert set(AccessLog.objects.values_list("child_id", flat=True)) == {child.pk}


def test_contacts_and_referrals_filter_by_date_range(token_client, iro_staff):
    child = _child_in_care().child
    for day, kind in [(date(2016, 5, 2), "visit"), (date(2016, 6, 1), "phone"), (date(2016, 7, 1), "visit")]:
        services.iro_contact_record(child=child, iro=iro_staff, on=day, kind=kind)
    client = token_client("read")
    # 2 May to 1 Jun inclusive: the visit on 2 May and the call on 1 Jun, newest first.
    body = client.get(CONTACTS, {"on_or_after": "2016-05-02", "on_or_before": "2016-06-01"}).json()
    assert [(row["date"], row["kind"], row["iro"]) for row in body["results"]] == [
        ("2016-06-01", "phone", iro_staff.pk),
        ("2016-05-02", "visit", iro_staff.pk),
    ]
    assert client.get(CONTACTS, {"kind": "visit", "iro": iro_staff.pk}).json()["count"] == 2
    services.legal_advice_referral_record(child=child, date_referred=date(2016, 6, 1), reason="x")
    assert client.get(LEGAL, {"referred_on_or_after": "2016-06-02"}).json()["count"] == 0
    assert client.get(LEGAL, {"referred_on_or_before": "2016-06-01", "child": child.pk}).json()["count"] == 1


@pytest.mark.parametrize(
    ("url", "query", "fields"),
    [
        (MEETINGS, {"status": "postponed", "on_or_after": "soon"}, {"status", "on_or_after"}),
        (CONTACTS, {"kind": "letter", "child": "Amy"}, {"kind", "child"}),
        (
            PERMANENCE,
            {"plan_type": "forever", "agreed_on_or_before": "2016-13-01"},
            {"plan_type", "agreed_on_or_before"},
        ),
        (CAFCASS, {"started_on_or_after": "April"}, {"started_on_or_after"}),
        (LEGAL, {"referred_on_or_after": "yesterday"}, {"referred_on_or_after"}),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_field(token_client, url, query, fields):
    response = token_client("read").get(url, query)
    assert response.status_code == 400
    assert set(response.json()) == fields


# --- meetings ---------------------------------------------------------------------------------


def test_booking_moving_and_cancelling_a_meeting(support, support_user):
    """GIVEN a child in care
    WHEN business support book a review meeting a fortnight away, move it a week later with a
    reason, then cancel the new one with a reason
    THEN the first meeting is 'rebooked' and the second 'cancelled', each with its reason and
    history, the booking recorded against the support user, and every response in the access log."""
    period = _child_in_care()
    fortnight, three_weeks = _today() + timedelta(days=14), _today() + timedelta(days=21)
    response = support.post(MEETINGS, {"period": period.pk, "date": fortnight.isoformat()}, format="json")
    assert response.status_code == 201, response.json()
    booked = response.json()
    assert (booked["status"], booked["child"], booked["date"]) == ("booked", period.child_id, str(fortnight))

    response = support.post(
        f"{MEETINGS}{booked['id']}/cancel/",
        {
            "reason": "Social worker on leave",
            "new_date": three_weeks.isoformat(),
            "version": booked["version"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    moved = response.json()
    assert (moved["status"], moved["date"]) == ("booked", str(three_weeks))

    response = support.post(
        f"{MEETINGS}{moved['id']}/cancel/",
        {"reason": "Child left care", "version": moved["version"]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["id"], response.json()["status"]) == (moved["id"], "cancelled")

    meetings = list(ReviewMeeting.objects.order_by("pk").values_list("status", "reason", "booked_by"))
    assert meetings == [
        ("rebooked", "Social worker on leave", support_user.pk),
        ("cancelled", "Child left care", support_user.pk),
    ]
    assert ReviewMeeting.history.filter(id=booked["id"]).count() == 2  # booked, then moved
    assert sorted(AccessLog.objects.filter(child_id=period.child_id).values_list("what", flat=True)) == [
        "Review meeting (changed)",
        "Review meeting (created)",
        "Review meeting (created)",
    ]


def test_meeting_errors_name_the_field_and_change_nothing(support):
    period = _child_in_care()
    yesterday, next_week = _today() - timedelta(days=1), _today() + timedelta(days=7)
    response = support.post(MEETINGS, {"period": period.pk, "date": yesterday.isoformat()}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["date"])
    assert not ReviewMeeting.objects.exists()

    meeting = services.review_meeting_book(period=period, on=next_week)
    # One booked meeting per period: move or cancel it instead.
    response = support.post(MEETINGS, {"period": period.pk, "date": next_week.isoformat()}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["date"])

    url = f"{MEETINGS}{meeting.pk}/cancel/"
    version = meeting.updated_at.isoformat()
    response = support.post(url, {"reason": "  ", "version": version}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["reason"])
    response = support.post(
        url, {"reason": "Moved", "new_date": yesterday.isoformat(), "version": version}, format="json"
    )
    assert (response.status_code, list(response.json())) == (400, ["new_date"])
    response = support.post(url, {"reason": "Family ill"}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["version"])
    meeting.refresh_from_db()
    assert (meeting.status, ReviewMeeting.objects.count()) == ("booked", 1)

    assert support.post(url, {"reason": "Family ill", "version": version}, format="json").status_code == 200
    # Already cancelled: a second client's cancel is refused, not applied twice: with the
    # version it read before, as stale (409); with the version read since, as not booked (400).
    response = support.post(url, {"reason": "Family ill", "version": version}, format="json")
    assert (response.status_code, list(response.json())) == (409, ["version"])
    fresh = support.get(f"{MEETINGS}{meeting.pk}/").json()["version"]
    response = support.post(url, {"reason": "Family ill", "version": fresh}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["reason"])
    assert ReviewMeeting.history.filter(id=meeting.pk).count() == 2  # booked, then cancelled once


# --- between reviews --------------------------------------------------------------------------


def test_an_iro_records_their_own_contact(iro, iro_staff):
    child = _child_in_care().child
    response = iro.post(
        CONTACTS,
        {"child": child.pk, "date": "2016-05-02", "kind": "visit", "notes": "At school"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json() == {
        "id": IroContact.objects.get().pk,
        "child": child.pk,
        "iro": iro_staff.pk,
        "date": "2016-05-02",
        "kind": "visit",
        "notes": "At school",
    }
    assert IroContact.history.count() == 1
    assert AccessLog.objects.filter(child=child, what="IRO contact (created)").exists()


def test_a_contact_in_the_future_or_of_an_unknown_kind_is_a_400(iro):
    child = _child_in_care().child
    tomorrow = (_today() + timedelta(days=1)).isoformat()
    response = iro.post(CONTACTS, {"child": child.pk, "date": tomorrow, "kind": "visit"}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["date"])
    response = iro.post(CONTACTS, {"child": child.pk, "date": "2016-05-02", "kind": "letter"}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["kind"])
    assert not IroContact.objects.exists()


def test_only_an_iro_records_a_contact(token_client, manager_user):
    # Managers may add contacts on the web only as an IRO; a manager's token is refused too.
    StaffMemberFactory(user=manager_user, job_role=JobRole.IRO_MANAGER)
    child = _child_in_care().child
    response = token_client("read", "write", user=manager_user).post(
        CONTACTS, {"child": child.pk, "date": "2016-05-02", "kind": "visit"}, format="json"
    )
    assert response.status_code == 403
    assert "Only an IRO" in response.json()["detail"]
    assert not IroContact.objects.exists()


def test_recording_a_permanence_plan(iro):
    period = _child_in_care(date(2016, 4, 4))
    body = {"period": period.pk, "plan_type": "long_term_fostering", "date_agreed": "2016-06-20"}
    response = iro.post(PERMANENCE, body, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["child"], response.json()["plan_type"]) == (
        period.child_id,
        "long_term_fostering",
    )
    # One plan a day per period: the second is refused by the model's unique constraint.
    response = iro.post(PERMANENCE, body, format="json")
    assert response.status_code == 400
    # Agreed before the child came into care on 4 Apr 2016.
    response = iro.post(PERMANENCE, {**body, "date_agreed": "2016-04-03"}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["date_agreed"])
    response = iro.post(PERMANENCE, {**body, "plan_type": "forever"}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["plan_type"])
    assert PermanencePlan.objects.count() == 1


def test_recording_a_childrens_guardian(iro):
    child = _child_in_care().child
    response = iro.post(
        CAFCASS,
        {
            "child": child.pk,
            "guardian_name": "Ruth Okafor",
            "start_date": "2016-04-10",
            "end_date": "2016-10-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["end_date"], response.json()["handover_date"]) == ("2016-10-01", None)
    tomorrow = (_today() + timedelta(days=1)).isoformat()
    response = iro.post(
        CAFCASS, {"child": child.pk, "guardian_name": "Ruth Okafor", "start_date": tomorrow}, format="json"
    )
    assert (response.status_code, list(response.json())) == (400, ["start_date"])
    assert CafcassInvolvement.objects.count() == 1


def test_recording_a_legal_advice_referral(iro):
    child = _child_in_care().child
    response = iro.post(LEGAL, {"child": child.pk, "date_referred": "2016-06-01"}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["reason"])
    response = iro.post(
        LEGAL,
        {"child": child.pk, "date_referred": "2016-06-01", "reason": "Care plan not followed"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["reason"], response.json()["outcome"]) == ("Care plan not followed", "")
    assert LegalAdviceReferral.history.count() == 1


# --- the paperwork of a review ----------------------------------------------------------------


def test_a_reviews_paperwork_from_report_to_distribution(token_client, manager_user, support):
    """GIVEN a review held on 20 Apr 2016
    WHEN the IRO's manager records through PATCH the social worker's report received on 18 Apr,
    decisions circulated on 22 Apr and the record completed on 25 Apr, and business support mark
    the record distributed on 27 Apr
    THEN the review holds all four dates and each response is in the access log."""
    period = _child_in_care()
    held = review(child=period.child, parts=date(2016, 4, 20))
    manager = token_client("read", "write", user=manager_user)
    version = manager.get(f"/api/v1/reviews/{held.pk}/").json()["version"]
    response = manager.patch(
        f"/api/v1/reviews/{held.pk}/",
        {
            "sw_report_received": "2016-04-18",
            "decisions_circulated": "2016-04-22",
            "record_completed": "2016-04-25",
            "version": version,
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    response = support.post(DISTRIBUTE, {"reviews": [held.pk], "distributed_on": "2016-04-27"}, format="json")
    assert response.status_code == 200, response.json()
    assert [(row["id"], row["record_distributed"]) for row in response.json()] == [(held.pk, "2016-04-27")]
    held.refresh_from_db()
    assert (
        held.sw_report_received,
        held.decisions_circulated,
        held.record_completed,
        held.record_distributed,
    ) == (
        date(2016, 4, 18),
        date(2016, 4, 22),
        date(2016, 4, 25),
        date(2016, 4, 27),
    )
    assert AccessLog.objects.filter(child=period.child, what="LAC review (record distributed)").exists()


def test_distributing_is_all_or_nothing(support):
    """GIVEN two reviews, one with its record completed on 25 Apr 2016 and one not completed
    WHEN business support mark both distributed on 27 Apr
    THEN it is a 400 on distributed_on that names the problem, and neither is changed."""
    completed = review(
        child=_child_in_care().child, parts=date(2016, 4, 20), record_completed=date(2016, 4, 25)
    )
    not_completed = review(child=_child_in_care().child, parts=date(2016, 4, 21))
    response = support.post(
        DISTRIBUTE,
        {"reviews": [completed.pk, not_completed.pk], "distributed_on": "2016-04-27"},
        format="json",
    )
    assert (response.status_code, list(response.json())) == (400, ["distributed_on"])
    assert "has not been completed" in response.json()["distributed_on"][0]
    assert not LacReview.objects.filter(record_distributed__isnull=False).exists()
    response = support.post(DISTRIBUTE, {"reviews": ["x"], "distributed_on": "soon"}, format="json")
    assert (response.status_code, set(response.json())) == (400, {"reviews", "distributed_on"})


def test_records_waiting_to_be_distributed_can_be_listed(token_client):
    completed = review(
        child=_child_in_care().child, parts=date(2016, 4, 20), record_completed=date(2016, 4, 25)
    )
    review(child=_child_in_care().child, parts=date(2016, 4, 21))
    body = (
        token_client("read")
        .get("/api/v1/reviews/", {"record_completed": "true", "record_distributed": "false"})
        .json()
    )
    assert [row["id"] for row in body["results"]] == [completed.pk]


# --- query counts -----------------------------------------------------------------------------


def _add_children_with_records(count: int, iro_staff) -> None:
    for _ in range(count):
        period = _child_in_care()
        child = period.child
        services.review_meeting_book(period=period, on=_today() + timedelta(days=10))
        services.iro_contact_record(child=child, iro=iro_staff, on=date(2016, 5, 2), kind="visit")
        services.permanence_plan_record(period=period, plan_type="adoption", date_agreed=date(2016, 5, 3))
        services.cafcass_involvement_record(
            child=child, guardian_name="Ruth Okafor", start_date=date(2016, 4, 10)
        )
        services.legal_advice_referral_record(child=child, date_referred=date(2016, 6, 1), reason="x")


@pytest.mark.parametrize("url", NEW_LISTS)
def test_list_query_count_does_not_grow_with_rows(token_client, iro_staff, url):
    client = token_client("read")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
            assert response.status_code == 200
        return len(captured), response.json()["count"]

    queries()  # the first request also records the token's last use
    _add_children_with_records(2, iro_staff)
    small, rows = queries()
    assert rows == 2
    _add_children_with_records(12, iro_staff)
    assert queries() == (small, 14)


# --- changing a guardian's end and handover, and a referral's outcome (PATCH) -------------------


def test_patch_records_a_guardians_end_and_handover(iro, iro_user):
    """GIVEN Ruth Okafor appointed Children's Guardian on 10 Apr 2016
    WHEN the IRO PATCHes the end of her involvement (1 Oct 2016), then only the handover (5 Oct)
    THEN both dates are kept (a field not sent keeps its value), each change is in the history
    and the access log."""
    child = _child_in_care().child
    guardian = services.cafcass_involvement_record(
        child=child, guardian_name="Ruth Okafor", start_date=date(2016, 4, 10)
    )
    url = f"{CAFCASS}{guardian.pk}/"
    response = iro.patch(url, {"end_date": "2016-10-01", "version": _version(guardian)}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["end_date"], response.json()["handover_date"]) == ("2016-10-01", None)
    response = iro.patch(
        url, {"handover_date": "2016-10-05", "version": response.json()["version"]}, format="json"
    )
    assert response.status_code == 200, response.json()
    guardian.refresh_from_db()
    assert response.json() == {
        "id": guardian.pk,
        "child": child.pk,
        "guardian_name": "Ruth Okafor",
        "start_date": "2016-04-10",
        "end_date": "2016-10-01",
        "handover_date": "2016-10-05",
        "version": _version(guardian),
    }
    # null clears a date.
    body = {"end_date": None, "version": response.json()["version"]}
    assert iro.patch(url, body, format="json").json()["end_date"] is None
    assert CafcassInvolvement.history.filter(id=guardian.pk).count() == 4  # recorded, 3 changes
    assert AccessLog.objects.filter(child=child, what="Cafcass involvement (changed)").count() == 3


def test_patch_guardian_dates_before_appointment_or_in_future_are_400_naming_the_field(iro):
    guardian = services.cafcass_involvement_record(
        child=_child_in_care().child, guardian_name="Ruth Okafor", start_date=date(2016, 4, 10)
    )
    url = f"{CAFCASS}{guardian.pk}/"
    tomorrow = (_today() + timedelta(days=1)).isoformat()
    version = _version(guardian)
    response = iro.patch(url, {"handover_date": "2016-04-09", "version": version}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["handover_date"])
    assert "on or after the guardian was appointed on 10 April 2016" in response.json()["handover_date"][0]
    body = {"end_date": tomorrow, "handover_date": "2016-04-01", "version": version}
    response = iro.patch(url, body, format="json")
    assert (response.status_code, set(response.json())) == (400, {"end_date", "handover_date"})
    response = iro.patch(url, {"end_date": "October", "version": version}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["end_date"])
    # Without the version read, a change could overwrite someone else's: 400 naming it.
    response = iro.patch(url, {"end_date": "2016-10-01"}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["version"])
    guardian.refresh_from_db()
    assert (guardian.end_date, guardian.handover_date) == (None, None)
    assert CafcassInvolvement.history.filter(id=guardian.pk).count() == 1


def test_patch_records_the_outcome_of_a_referral(iro):
    child = _child_in_care().child
    referral = services.legal_advice_referral_record(
        child=child, date_referred=date(2016, 6, 1), reason="Contact with siblings refused"
    )
    url = f"{LEGAL}{referral.pk}/"
    response = iro.patch(
        url, {"outcome": "Solicitor appointed", "version": _version(referral)}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["reason"], response.json()["outcome"]) == (
        "Contact with siblings refused",
        "Solicitor appointed",
    )
    # An empty outcome, or none sent while none is recorded, is a 400 naming `outcome`.
    response = iro.patch(url, {"outcome": "  ", "version": response.json()["version"]}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["outcome"])
    other = services.legal_advice_referral_record(child=child, date_referred=date(2016, 7, 1), reason="x")
    response = iro.patch(f"{LEGAL}{other.pk}/", {"version": _version(other)}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["outcome"])
    referral.refresh_from_db()
    assert referral.outcome == "Solicitor appointed"
    assert LegalAdviceReferral.history.filter(id=referral.pk).count() == 2
    assert AccessLog.objects.filter(child=child, what="Legal advice referral (changed)").count() == 1


def test_patch_needs_the_write_scope_and_the_change_permission(
    token_client, support_user, iro_user, iro_staff
):
    child = _child_in_care().child
    guardian = services.cafcass_involvement_record(
        child=child, guardian_name="Ruth Okafor", start_date=date(2016, 4, 10)
    )
    referral = services.legal_advice_referral_record(child=child, date_referred=date(2016, 6, 1), reason="x")
    for url, body in [
        (f"{CAFCASS}{guardian.pk}/", {"end_date": "2016-10-01", "version": _version(guardian)}),
        (f"{LEGAL}{referral.pk}/", {"outcome": "Advice given", "version": _version(referral)}),
    ]:
        # Business support and the read-only API client lack the change permission; a read
        # token lacks the scope.
        assert (
            token_client("read", "write", user=support_user).patch(url, body, format="json").status_code
            == 403
        )
        assert token_client("read", "write").patch(url, body, format="json").status_code == 403
        assert token_client("read", user=iro_user).patch(url, body, format="json").status_code == 403
    guardian.refresh_from_db()
    referral.refresh_from_db()
    assert (guardian.end_date, referral.outcome) == (None, "")
