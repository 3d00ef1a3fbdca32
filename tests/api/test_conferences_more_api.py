"""Strategy discussions, section 47 enquiries, agency invitations, appeals and the paperwork of a
conference through the API: scopes and role permissions, writes through conferences.services
(400 naming the field, 409 on a stale version, nothing changed), the access log and query
counts."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conferences.models import Appeal, ConferenceType, Section47Enquiry, StrategyDiscussion
from conferences.services import (
    AgencyAttendance,
    ChildDecision,
    appeal_record,
    conference_book,
    conference_record,
    strategy_discussion_record,
)
from iro_service.audit.models import AccessChannel, AccessLog
from tests.factories import StaffMemberFactory
from tests.factories.conferences import family_with_children

pytestmark = pytest.mark.django_db

DISCUSSIONS = "/api/v1/strategy-discussions/"
ENQUIRIES = "/api/v1/section-47-enquiries/"
INVITATIONS = "/api/v1/agency-invitations/"
APPEALS = "/api/v1/appeals/"
CONFERENCES = "/api/v1/conferences/"
NEW_LISTS = [DISCUSSIONS, ENQUIRIES, INVITATIONS, APPEALS]


@pytest.fixture
def chair():
    return StaffMemberFactory(first_name="Helen", last_name="Ashworth")


@pytest.fixture
def support(token_client, support_user):
    """Business support record strategy discussions and track reports and records."""
    return token_client("read", "write", user=support_user)


@pytest.fixture
def manager(token_client, manager_user):
    """IRO managers handle appeals."""
    return token_client("read", "write", user=manager_user)


def _booked_initial(family, children, chair, *, on=date(2016, 6, 15), agencies=()):
    discussion = strategy_discussion_record(family=family, on=date(2016, 6, 1), children=children)
    return conference_book(
        family=family,
        conference_type=ConferenceType.INITIAL,
        on=on,
        chair=chair,
        children=[(child, "initial") for child in children],
        strategy_discussion=discussion,
        agencies=agencies,
    )


def _held_initial(family, children, chair, *, on=date(2016, 6, 15), attended=()):
    conference = _booked_initial(family, children, chair, on=on, agencies=["police", "school"])
    return conference_record(
        conference=conference,
        decisions={child.pk: ChildDecision("plan_started", ("NEG",)) for child in children},
        attendance=[AgencyAttendance(agency, attended=agency in attended) for agency in ("police", "school")],
    )


# --- scopes and permissions -------------------------------------------------------------------


@pytest.mark.parametrize("url", NEW_LISTS)
def test_reads_need_the_read_scope(token_client, api_client, url):
    assert api_client.get(url).status_code == 401
    assert token_client("figures").get(url).status_code == 403
    assert token_client("read").get(url).status_code == 200


@pytest.mark.parametrize(("url", "persona"), [(DISCUSSIONS, "support_user"), (APPEALS, "manager_user")])
def test_writes_need_the_write_scope_and_the_roles_permission(
    token_client, api_client, request, url, persona
):
    user = request.getfixturevalue(persona)
    assert api_client.post(url, {}, format="json").status_code == 401
    assert token_client("figures", user=user).post(url, {}, format="json").status_code == 403
    response = token_client("read", user=user).post(url, {}, format="json")
    assert (response.status_code, response.json()["detail"]) == (
        403,
        "This token does not have the 'write' scope.",
    )
    assert token_client("read", "write").post(url, {}, format="json").status_code == 403
    response = token_client("write", user=user).post(url, {}, format="json")
    assert response.status_code == 400
    assert response.json()


def test_each_role_writes_only_its_own_records(token_client, iro_user, support_user, chair):
    family, (amy,) = family_with_children("Amy")
    conference = _held_initial(family, [amy], chair)
    as_iro = token_client("read", "write", user=iro_user)
    # IROs chair conferences but do not record strategy discussions or track paperwork.
    body = {"family": family.pk, "date": "2016-07-01", "children": [amy.pk]}
    assert as_iro.post(DISCUSSIONS, body, format="json").status_code == 403
    body = {"completed_on": "2016-06-20", "version": conference.updated_at.isoformat()}
    assert (
        as_iro.post(f"{CONFERENCES}{conference.pk}/record-distribution/", body, format="json").status_code
        == 403
    )
    assert as_iro.post(f"{CONFERENCES}{conference.pk}/reports/", body, format="json").status_code == 403
    # Business support do not handle appeals.
    body = {"conference": conference.pk, "appellant": "parent_or_carer", "received_on": "2016-06-20"}
    assert (
        token_client("read", "write", user=support_user).post(APPEALS, body, format="json").status_code == 403
    )
    assert (StrategyDiscussion.objects.count(), Appeal.objects.count()) == (1, 0)
    conference.refresh_from_db()
    assert conference.record_completed_on is None


@pytest.mark.parametrize("url", [ENQUIRIES, INVITATIONS])
def test_enquiries_and_invitations_are_read_only(token_client, url):
    # They are written with their strategy discussion and conference.
    assert token_client("read").get(url)["Allow"] == "GET, HEAD, OPTIONS"


# --- reads ------------------------------------------------------------------------------------


def test_strategy_discussions_nest_enquiries_and_conferences_and_log_each_child(token_client, chair):
    family, (amy, ben) = family_with_children("Amy", "Ben")
    conference = _booked_initial(family, [amy, ben], chair)
    other_family, (cat,) = family_with_children("Cat")
    strategy_discussion_record(family=other_family, on=date(2016, 7, 1), children=[cat])
    body = token_client("read").get(DISCUSSIONS, {"child": amy.pk}).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert (row["family"], row["date"], row["conferences"]) == (family.pk, "2016-06-01", [conference.pk])
    assert {(e["child"], e["start_date"]) for e in row["enquiries"]} == {
        (amy.pk, "2016-06-01"),
        (ben.pk, "2016-06-01"),
    }
    assert set(AccessLog.objects.values_list("child_id", "channel", "what")) == {
        (amy.pk, AccessChannel.API, "Strategy discussion (list)"),
        (ben.pk, AccessChannel.API, "Strategy discussion (list)"),
    }


def test_enquiries_filter_by_family_and_start_date(token_client):
    family, (amy, ben) = family_with_children("Amy", "Ben")
    strategy_discussion_record(family=family, on=date(2016, 6, 1), children=[amy])
    strategy_discussion_record(
        family=family, on=date(2016, 9, 1), children=[ben], s47_start_date=date(2016, 9, 2)
    )
    client = token_client("read")
    body = client.get(ENQUIRIES, {"family": family.pk, "started_on_or_after": "2016-06-02"}).json()
    # Only Ben's enquiry, which started the day after its discussion on 1 Sep.
    assert [(e["child"], e["start_date"], e["family"]) for e in body["results"]] == [
        (ben.pk, "2016-09-02", family.pk)
    ]
    assert list(AccessLog.objects.values_list("child_id", "what")) == [(ben.pk, "Section 47 enquiry (list)")]


def test_invitations_filter_by_attendance_and_log_the_conferences_children(token_client, chair):
    family, (amy, ben) = family_with_children("Amy", "Ben")
    conference = _held_initial(family, [amy, ben], chair, attended=["police"])
    client = token_client("read")
    body = client.get(INVITATIONS, {"child": amy.pk, "attended": "false"}).json()
    assert [
        (row["conference"], row["agency"], row["invited"], row["attended"]) for row in body["results"]
    ] == [(conference.pk, "school", True, False)]
    assert (body["results"][0]["family"], body["results"][0]["conference_date"]) == (family.pk, "2016-06-15")
    assert set(AccessLog.objects.values_list("child_id", "what")) == {
        (amy.pk, "Conference agency invitation (list)"),
        (ben.pk, "Conference agency invitation (list)"),
    }
    assert client.get(INVITATIONS, {"conference_on_or_after": "2016-06-16"}).json()["count"] == 0


def test_an_appeal_is_logged_against_its_child_or_else_the_conferences_children(token_client, chair):
    family, (amy, ben) = family_with_children("Amy", "Ben")
    conference = _held_initial(family, [amy, ben], chair)
    about_amy = appeal_record(
        conference=conference, appellant="young_person", received_on=date(2016, 6, 20), child=amy
    )
    about_all = appeal_record(
        conference=conference, appellant="parent_or_carer", received_on=date(2016, 6, 21)
    )
    client = token_client("read")
    assert client.get(f"{APPEALS}{about_amy.pk}/").json()["child"] == amy.pk
    assert list(AccessLog.objects.values_list("child_id", flat=True)) == [amy.pk]
    seen = AccessLog.objects.latest("pk").pk
    assert client.get(f"{APPEALS}{about_all.pk}/").json()["outcome"] == "pending"
    assert set(AccessLog.objects.filter(pk__gt=seen).values_list("child_id", flat=True)) == {amy.pk, ben.pk}
    body = client.get(APPEALS, {"appellant": "young_person", "received_on_or_before": "2016-06-20"}).json()
    assert [row["id"] for row in body["results"]] == [about_amy.pk]


@pytest.mark.parametrize(
    ("url", "query", "fields"),
    [
        (DISCUSSIONS, {"family": "Smith", "on_or_after": "soon"}, {"family", "on_or_after"}),
        (ENQUIRIES, {"started_on_or_before": "2016-02-30"}, {"started_on_or_before"}),
        (INVITATIONS, {"agency": "fire_service"}, {"agency"}),
        (APPEALS, {"outcome": "won", "appellant": "neighbour"}, {"outcome", "appellant"}),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_field(token_client, url, query, fields):
    response = token_client("read").get(url, query)
    assert response.status_code == 400
    assert set(response.json()) == fields


# --- strategy discussions ---------------------------------------------------------------------


def test_recording_a_strategy_discussion(support):
    """GIVEN Amy and Ben in one household
    WHEN business support record a strategy discussion on 1 Jun 2016 starting enquiries about
    both on 2 Jun (Amy sent twice)
    THEN there is one discussion with one enquiry per child from 2 Jun, with history rows, and
    the response is logged against both children."""
    family, (amy, ben) = family_with_children("Amy", "Ben")
    response = support.post(
        DISCUSSIONS,
        {
            "family": family.pk,
            "date": "2016-06-01",
            "children": [amy.pk, ben.pk, amy.pk],
            "s47_start_date": "2016-06-02",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert sorted((e["child"], e["start_date"]) for e in body["enquiries"]) == [
        (amy.pk, "2016-06-02"),
        (ben.pk, "2016-06-02"),
    ]
    assert Section47Enquiry.history.count() == 2
    assert set(AccessLog.objects.values_list("child_id", "what")) == {
        (amy.pk, "Strategy discussion (created)"),
        (ben.pk, "Strategy discussion (created)"),
    }


def test_strategy_discussion_errors_name_the_field_and_change_nothing(support):
    family, (amy,) = family_with_children("Amy")
    response = support.post(
        DISCUSSIONS, {"family": family.pk, "date": "2016-06-01", "children": []}, format="json"
    )
    assert (response.status_code, list(response.json())) == (400, ["children"])
    response = support.post(
        DISCUSSIONS,
        {"family": family.pk, "date": "2016-06-01", "children": [amy.pk], "s47_start_date": "2016-05-31"},
        format="json",
    )
    assert (response.status_code, list(response.json())) == (400, ["s47_start_date"])
    response = support.post(
        DISCUSSIONS, {"family": family.pk, "date": "2016-06-01", "children": [0]}, format="json"
    )
    assert (response.status_code, list(response.json())) == (400, ["children"])
    assert not StrategyDiscussion.objects.exists()


# --- conference paperwork ---------------------------------------------------------------------


def test_a_conferences_paperwork_from_reports_to_distribution(support, chair):
    """GIVEN an initial conference booked for 15 Jun 2016
    WHEN business support record the report reaching the parents on 10 Jun and then the chair on
    13 Jun (the parents' date not sent, so kept), and after the conference is held the record
    completed on 20 Jun and distributed on 22 Jun
    THEN the conference holds all four dates, each change needed the version read before it,
    and each response is in the access log."""
    family, (amy,) = family_with_children("Amy")
    conference = _booked_initial(family, [amy], chair)
    url = f"{CONFERENCES}{conference.pk}/"
    response = support.post(
        f"{url}reports/",
        {"report_to_parents_on": "2016-06-10", "version": conference.updated_at.isoformat()},
        format="json",
    )
    assert response.status_code == 200, response.json()
    response = support.post(
        f"{url}reports/",
        {"report_to_chair_on": "2016-06-13", "version": response.json()["version"]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["report_to_parents_on"], response.json()["report_to_chair_on"]) == (
        "2016-06-10",
        "2016-06-13",
    )
    conference = conference_record(conference=conference, decisions={amy.pk: ChildDecision("not_needed")})
    response = support.post(
        f"{url}record-distribution/",
        {
            "completed_on": "2016-06-20",
            "distributed_on": "2016-06-22",
            "version": conference.updated_at.isoformat(),
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    conference.refresh_from_db()
    assert (
        conference.report_to_parents_on,
        conference.report_to_chair_on,
        conference.record_completed_on,
        conference.record_distributed_on,
    ) == (date(2016, 6, 10), date(2016, 6, 13), date(2016, 6, 20), date(2016, 6, 22))
    assert AccessLog.objects.filter(child=amy, what="Conference (changed)").count() == 3


def test_a_stale_version_of_the_paperwork_is_a_409_and_changes_nothing(support, chair):
    family, (amy,) = family_with_children("Amy")
    conference = _booked_initial(family, [amy], chair)
    stale = conference.updated_at.isoformat()
    url = f"{CONFERENCES}{conference.pk}/reports/"
    assert (
        support.post(url, {"report_to_parents_on": "2016-06-10", "version": stale}, format="json").status_code
        == 200
    )
    response = support.post(url, {"report_to_parents_on": "2016-06-11", "version": stale}, format="json")
    assert (response.status_code, list(response.json())) == (409, ["version"])
    conference.refresh_from_db()
    assert conference.report_to_parents_on == date(2016, 6, 10)
    response = support.post(url, {"report_to_parents_on": "2016-06-11"}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["version"])


def test_paperwork_errors_name_the_field_and_change_nothing(support, chair):
    family, (amy,) = family_with_children("Amy")
    conference = _booked_initial(family, [amy], chair)
    version = conference.updated_at.isoformat()
    url = f"{CONFERENCES}{conference.pk}/"
    # A report reaching the chair after the conference on 15 Jun.
    response = support.post(
        f"{url}reports/", {"report_to_chair_on": "2016-06-16", "version": version}, format="json"
    )
    assert (response.status_code, list(response.json())) == (400, ["report_to_chair_on"])
    # Not held yet: no record to complete.
    response = support.post(
        f"{url}record-distribution/", {"completed_on": "2016-06-20", "version": version}, format="json"
    )
    assert (response.status_code, list(response.json())) == (400, ["completed_on"])
    conference = conference_record(conference=conference, decisions={amy.pk: ChildDecision("not_needed")})
    response = support.post(
        f"{url}record-distribution/",
        {
            "completed_on": "2016-06-20",
            "distributed_on": "2016-06-19",
            "version": conference.updated_at.isoformat(),
        },
        format="json",
    )
    assert (response.status_code, list(response.json())) == (400, ["distributed_on"])
    conference.refresh_from_db()
    assert (
        conference.report_to_chair_on,
        conference.record_completed_on,
        conference.record_distributed_on,
    ) == (
        None,
        None,
        None,
    )


# --- appeals ----------------------------------------------------------------------------------


def test_recording_an_appeal_and_its_outcome(manager, chair):
    """GIVEN a conference held on 15 Jun 2016 about Amy
    WHEN a manager records her mother's appeal received on 20 Jun, then moves it to stage 2
    upheld with the written response sent on 4 Jul
    THEN the appeal holds those values, with history rows, and each response is logged
    against Amy."""
    family, (amy,) = family_with_children("Amy")
    conference = _held_initial(family, [amy], chair)
    response = manager.post(
        APPEALS,
        {
            "conference": conference.pk,
            "appellant": "parent_or_carer",
            "received_on": "2016-06-20",
            "child": amy.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    appeal_id = response.json()["id"]
    assert (response.json()["stage"], response.json()["outcome"]) == (1, "pending")
    response = manager.patch(
        f"{APPEALS}{appeal_id}/",
        {
            "stage": 2,
            "outcome": "upheld",
            "response_sent_on": "2016-07-04",
            "version": response.json()["version"],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["stage"], response.json()["outcome"], response.json()["response_sent_on"]) == (
        2,
        "upheld",
        "2016-07-04",
    )
    assert Appeal.history.filter(id=appeal_id).count() == 2
    assert sorted(AccessLog.objects.filter(child=amy).values_list("what", flat=True)) == [
        "Conference appeal (changed)",
        "Conference appeal (created)",
    ]


def test_appeal_errors_name_the_field_and_change_nothing(manager, chair):
    family, (amy,) = family_with_children("Amy")
    booked = _booked_initial(family, [amy], chair)
    body = {"conference": booked.pk, "appellant": "parent_or_carer", "received_on": "2016-06-20"}
    # Appeals are about conferences that were held.
    response = manager.post(APPEALS, body, format="json")
    assert (response.status_code, list(response.json())) == (400, ["conference"])
    held = conference_record(conference=booked, decisions={amy.pk: ChildDecision("not_needed")})
    response = manager.post(
        APPEALS, {**body, "conference": held.pk, "received_on": "2016-06-14"}, format="json"
    )
    assert (response.status_code, list(response.json())) == (400, ["received_on"])
    assert not Appeal.objects.exists()

    appeal = appeal_record(conference=held, appellant="parent_or_carer", received_on=date(2016, 6, 20))
    url = f"{APPEALS}{appeal.pk}/"
    version = manager.get(url).json()["version"]
    # An outcome needs the date of the written response.
    response = manager.patch(url, {"outcome": "not_upheld", "version": version}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["response_sent_on"])
    # Without the version read, a change could overwrite someone else's: 400 naming it.
    response = manager.patch(url, {"stage": 2}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["version"])
    response = manager.patch(url, {"stage": 2, "version": version}, format="json")
    assert response.status_code == 200
    version = response.json()["version"]
    # Stages only go forward; there is no stage 4.
    response = manager.patch(url, {"stage": 1, "version": version}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["stage"])
    response = manager.patch(url, {"stage": 4, "outcome": "won", "version": version}, format="json")
    assert (response.status_code, set(response.json())) == (400, {"stage", "outcome"})
    appeal.refresh_from_db()
    assert (appeal.stage, appeal.outcome, appeal.response_sent_on) == (2, "pending", None)


# --- query counts -----------------------------------------------------------------------------


def _add_families(count: int, chair) -> None:
    for _ in range(count):
        family, children = family_with_children("Amy", "Ben")
        conference = _held_initial(family, children, chair, attended=["police"])
        appeal_record(conference=conference, appellant="parent_or_carer", received_on=date(2016, 6, 20))


@pytest.mark.parametrize(
    ("url", "rows_per_family"),
    [
        (DISCUSSIONS, 1),
        (ENQUIRIES, 2),  # one per child
        (INVITATIONS, 2),  # police and school
        (APPEALS, 1),
    ],
)
def test_list_query_count_does_not_grow_with_rows(token_client, chair, url, rows_per_family):
    client = token_client("read")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
            assert response.status_code == 200
        return len(captured), response.json()["count"]

    queries()  # the first request also records the token's last use
    _add_families(2, chair)
    small, rows = queries()
    assert rows == 2 * rows_per_family
    _add_families(10, chair)
    assert queries() == (small, 12 * rows_per_family)
