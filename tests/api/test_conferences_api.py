"""Conferences and child protection plans through the API: booking, recording outcomes (which
start and end plans), standing down, scopes, the access log and query counts."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conferences.models import ChildProtectionPlan, Conference, ConferenceType
from conferences.services import ChildDecision, conference_book, conference_record, strategy_discussion_record
from iro_service.audit.models import AccessChannel, AccessLog
from tests.factories import StaffMemberFactory
from tests.factories.conferences import family_with_children

pytestmark = pytest.mark.django_db

CONFERENCES = "/api/v1/conferences/"
PLANS = "/api/v1/cp-plans/"


@pytest.fixture
def chair(iro_user):
    # The IRO persona's own staff record: only a conference's chair (or a child's IRO, business
    # support or a manager) may record it.
    return StaffMemberFactory(first_name="Helen", last_name="Ashworth", user=iro_user)


@pytest.fixture
def support(token_client, support_user):
    """Business support book conferences."""
    return token_client("read", "write", user=support_user)


@pytest.fixture
def chair_client(token_client, iro_user):
    """IROs record what their conferences decided."""
    return token_client("read", "write", user=iro_user)


def _held_initial(family, children, chair, *, on=date(2016, 6, 15)):
    discussion = strategy_discussion_record(family=family, on=date(2016, 6, 1), children=children)
    conference = conference_book(
        family=family,
        conference_type=ConferenceType.INITIAL,
        on=on,
        chair=chair,
        children=[(child, "initial") for child in children],
        strategy_discussion=discussion,
    )
    return conference_record(
        conference=conference,
        decisions={child.pk: ChildDecision("plan_started", ("NEG",)) for child in children},
    )


# --- scopes -----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [CONFERENCES, PLANS])
def test_reads_need_the_read_scope(token_client, api_client, url):
    assert api_client.get(url).status_code == 401
    assert token_client("figures").get(url).status_code == 403
    assert token_client("read").get(url).status_code == 200


def test_booking_needs_the_write_scope_and_the_booking_permission(
    token_client, api_client, support_user, iro_user
):
    assert api_client.post(CONFERENCES, {}, format="json").status_code == 401
    response = token_client("read", user=support_user).post(CONFERENCES, {}, format="json")
    assert (response.status_code, response.json()["detail"]) == (
        403,
        "This token does not have the 'write' scope.",
    )
    # IROs chair conferences but do not book them; the API client persona reads only.
    assert token_client("write", user=iro_user).post(CONFERENCES, {}, format="json").status_code == 403
    assert token_client("read", "write").post(CONFERENCES, {}, format="json").status_code == 403
    assert token_client("write", user=support_user).post(CONFERENCES, {}, format="json").status_code == 400


def test_recording_needs_the_record_permission(support, chair, token_client):
    family, (amy,) = family_with_children("Amy")
    discussion = strategy_discussion_record(family=family, on=date(2016, 6, 1), children=[amy])
    conference = conference_book(
        family=family,
        conference_type=ConferenceType.INITIAL,
        on=date(2016, 6, 15),
        chair=chair,
        children=[(amy, "initial")],
        strategy_discussion=discussion,
    )
    body = {
        "decisions": [{"child": amy.pk, "outcome": "not_needed"}],
        "version": conference.updated_at.isoformat(),
    }
    # Business support book conferences but only the chair records what was decided.
    assert support.post(f"{CONFERENCES}{conference.pk}/record/", body, format="json").status_code == 403
    assert (
        token_client("read").post(f"{CONFERENCES}{conference.pk}/record/", body, format="json").status_code
        == 403
    )
    conference.refresh_from_db()
    assert conference.status == "booked"


# --- reads ------------------------------------------------------------------------------------


def test_conference_list_shows_children_and_agencies_and_logs_each_child(token_client, chair):
    family, (amy, ben) = family_with_children("Amy", "Ben")
    _held_initial(family, [amy, ben], chair)
    body = token_client("read").get(CONFERENCES, {"child": amy.pk}).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["status"] == "held"
    assert {(c["child"], c["outcome"]) for c in row["children"]} == {
        (amy.pk, "plan_started"),
        (ben.pk, "plan_started"),
    }
    logged = set(AccessLog.objects.values_list("child_id", "channel", "what"))
    assert logged == {
        (amy.pk, AccessChannel.API, "Conference (list)"),
        (ben.pk, AccessChannel.API, "Conference (list)"),
    }


def test_plans_filter_and_log(token_client, chair):
    family, (amy,) = family_with_children("Amy")
    _held_initial(family, [amy], chair)
    client = token_client("read")
    body = client.get(PLANS, {"open_on": "2016-06-15", "category": "NEG"}).json()
    assert [(p["child"], p["start_date"], p["categories"]) for p in body["results"]] == [
        (amy.pk, "2016-06-15", ["NEG"])
    ]
    # The plan starts at the end of 15 Jun's conference, so it is open on 15 Jun, not on 14 Jun.
    assert client.get(PLANS, {"open_on": "2016-06-14"}).json()["count"] == 0
    plan = ChildProtectionPlan.objects.get()
    assert client.get(f"{PLANS}{plan.pk}/").status_code == 200
    assert AccessLog.objects.filter(child=amy, what="Child protection plan").count() == 1


def test_a_bad_filter_value_is_a_400_naming_the_field(token_client):
    response = token_client("read").get(CONFERENCES, {"status": "postponed", "on_or_after": "June"})
    assert response.status_code == 400
    assert set(response.json()) == {"status", "on_or_after"}


# --- writes -----------------------------------------------------------------------------------


def test_booking_and_recording_a_conference_through_the_api(support, chair_client, chair):
    """GIVEN Amy and Ben in one household and a strategy discussion on 1 Jun 2016
    WHEN business support book their initial conference for 15 Jun 2016 with the police invited
    and the chair records a plan for Amy (neglect) and none for Ben, the police attending
    THEN the conference is held, Amy has one plan from 15 Jun and Ben none, with history rows
    and the responses in the access log."""
    family, (amy, ben) = family_with_children("Amy", "Ben")
    discussion = strategy_discussion_record(family=family, on=date(2016, 6, 1), children=[amy, ben])
    response = support.post(
        CONFERENCES,
        {
            "family": family.pk,
            "conference_type": "initial",
            "date": "2016-06-15",
            "chair": chair.pk,
            "children": [{"child": amy.pk, "stage": "initial"}, {"child": ben.pk, "stage": "initial"}],
            "strategy_discussion": discussion.pk,
            "agencies": ["police", "police"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    booked = response.json()
    assert (booked["status"], [a["agency"] for a in booked["agencies"]]) == ("booked", ["police"])
    response = chair_client.post(
        f"{CONFERENCES}{booked['id']}/record/",
        {
            "decisions": [
                {"child": amy.pk, "outcome": "plan_started", "categories": ["NEG"]},
                {"child": ben.pk, "outcome": "not_needed"},
            ],
            "attendance": [{"agency": "police", "attended": True}],
            "version": booked["version"],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "held"
    assert response.json()["agencies"] == [
        {"agency": "police", "invited": True, "attended": True, "report_submitted": False}
    ]
    plan = ChildProtectionPlan.objects.get()
    assert (plan.child, plan.start_date, plan.categories) == (amy, date(2016, 6, 15), ["NEG"])
    assert plan.history.count() == 1
    assert Conference.history.filter(id=booked["id"]).count() >= 2
    assert AccessLog.objects.filter(child=ben, what="Conference (changed)").exists()


def test_booking_errors_name_the_fields_and_change_nothing(support, chair):
    family, (amy,) = family_with_children("Amy")
    not_an_iro = StaffMemberFactory(job_role="manager")
    response = support.post(
        CONFERENCES,
        {
            "family": family.pk,
            "conference_type": "initial",
            "date": "2016-06-15",
            "chair": not_an_iro.pk,
            "children": [{"child": amy.pk, "stage": "initial"}],
        },
        format="json",
    )
    assert response.status_code == 400
    # Not an IRO; and an initial conference needs its strategy discussion.
    assert set(response.json()) == {"chair", "strategy_discussion"}
    assert not Conference.objects.exists()
    response = support.post(
        CONFERENCES, {"family": family.pk, "children": [{"child": amy.pk, "stage": "soon"}]}, format="json"
    )
    assert response.status_code == 400
    assert {"conference_type", "date", "chair", "children"} <= set(response.json())


def test_a_decision_that_does_not_fit_is_a_400_on_decisions_and_changes_nothing(chair_client, chair):
    family, (amy,) = family_with_children("Amy")
    discussion = strategy_discussion_record(family=family, on=date(2016, 6, 1), children=[amy])
    conference = conference_book(
        family=family,
        conference_type=ConferenceType.INITIAL,
        on=date(2016, 6, 15),
        chair=chair,
        children=[(amy, "initial")],
        strategy_discussion=discussion,
    )
    response = chair_client.post(
        f"{CONFERENCES}{conference.pk}/record/",
        {
            "decisions": [{"child": amy.pk, "outcome": "plan_ended"}],
            "version": conference.updated_at.isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["decisions"]
    conference.refresh_from_db()
    assert (conference.status, ChildProtectionPlan.objects.count()) == ("booked", 0)


def test_a_stale_version_is_a_409(chair_client, support, chair):
    family, (amy,) = family_with_children("Amy")
    discussion = strategy_discussion_record(family=family, on=date(2016, 6, 1), children=[amy])
    conference = conference_book(
        family=family,
        conference_type=ConferenceType.INITIAL,
        on=date(2016, 6, 15),
        chair=chair,
        children=[(amy, "initial")],
        strategy_discussion=discussion,
    )
    stale = conference.updated_at.isoformat()
    response = support.post(
        f"{CONFERENCES}{conference.pk}/stand-down/",
        {"reason": "no_interpreter", "rearranged_on": "2016-06-22", "version": stale},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["date"], response.json()["status"]) == ("2016-06-22", "booked")
    response = chair_client.post(
        f"{CONFERENCES}{conference.pk}/record/",
        {"decisions": [{"child": amy.pk, "outcome": "not_needed"}], "version": stale},
        format="json",
    )
    assert response.status_code == 409
    assert list(response.json()) == ["version"]
    conference.refresh_from_db()
    assert conference.status == "stood_down"


# --- query counts -----------------------------------------------------------------------------


def _add_families(count: int, chair) -> None:
    for _ in range(count):
        family, children = family_with_children("Amy", "Ben")
        _held_initial(family, children, chair)


@pytest.mark.parametrize("url", [CONFERENCES, PLANS])
def test_list_query_count_does_not_grow_with_rows(token_client, chair, url):
    client = token_client("read")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    queries()  # the first request also records the token's last use
    _add_families(2, chair)
    small = queries()
    _add_families(10, chair)
    assert queries() == small
