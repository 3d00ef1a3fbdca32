"""HSB referrals, meetings, assessments and training records through the API: 404 for everyone
who may not see them (not 403), the scopes, writes through hsb.services (400 naming the field,
409 on a stale version, nothing changed), the access log and query counts."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hsb.models import HsbMeeting, HsbReferral, HsbTrainingRecord
from iro_service.audit.models import AccessChannel, AccessLog
from iro_service.core.roles import Role
from tests.factories import ChildFactory, StaffMemberFactory, UserFactory
from tests.factories.hsb import decided, hsb_lead, meeting, referral

pytestmark = pytest.mark.django_db

REFERRALS = "/api/v1/hsb-referrals/"
MEETINGS = "/api/v1/hsb-meetings/"
ASSESSMENTS = "/api/v1/hsb-assessments/"
TRAINING = "/api/v1/hsb-training-records/"
LISTS = [REFERRALS, MEETINGS, ASSESSMENTS, TRAINING]


@pytest.fixture
def lead(token_client):
    """The HSB lead (an IRO manager with a staff record), with a read and write token."""
    user = UserFactory(role=Role.IRO_MANAGER, username="hsb-lead")
    hsb_lead(user=user)
    return token_client("read", "write", user=user)


@pytest.fixture
def chairing(make_user, token_client):
    user = make_user(Role.IRO, username="chairing-iro")
    staff = StaffMemberFactory(user=user)
    return token_client("read", "write", user=user), staff


@pytest.fixture
def met(chairing):
    _, staff = chairing
    made = decided(rating="red", received_on=date(2016, 6, 1))
    meeting(referral=made, on=date(2016, 6, 20), chair=staff)
    return made


@pytest.mark.parametrize("persona", ["iro_user", "support_user", "api_user", "no_role_user"])
def test_every_hsb_endpoint_is_404_for_those_not_allowed(token_client, request, met, persona):
    client = token_client("read", "write", user=request.getfixturevalue(persona))
    meeting_id = met.meetings.get().pk
    for url in [*LISTS, f"{REFERRALS}{met.pk}/", f"{MEETINGS}{meeting_id}/"]:
        assert client.get(url).status_code == 404, url
    assert client.post(REFERRALS, {}, format="json").status_code == 404
    assert client.post(f"{REFERRALS}{met.pk}/threshold-decision/", {}, format="json").status_code == 404
    assert not AccessLog.objects.exists()


def test_a_token_without_the_read_scope_is_refused_before_anything_is_said(token_client, manager_user, met):
    response = token_client("figures", user=manager_user).get(REFERRALS)
    assert response.status_code == 403
    assert "'read' scope" in response.json()["detail"]


def test_an_iro_chairing_a_meeting_reads_that_referral_only_and_changes_nothing(chairing, met):
    client, _ = chairing
    other = decided(rating="amber", received_on=date(2016, 7, 1))
    rows = client.get(REFERRALS).json()["results"]
    assert [row["id"] for row in rows] == [met.pk]
    assert client.get(f"{REFERRALS}{other.pk}/").status_code == 404
    assert client.get(TRAINING).status_code == 404  # the register is for those who see everything
    response = client.post(
        f"{REFERRALS}{met.pk}/threshold-decision/",
        {
            "rating": "green",
            "tool_version": "2012",
            "decided_on": "2016-06-02",
            "version": "2016-06-02T00:00:00Z",
        },
        format="json",
    )
    assert response.status_code == 403


def test_the_pathway_through_the_api(lead):
    """GIVEN a child already known WHEN the HSB lead records a referral, the threshold decision,
    the meeting and its record dates through the API THEN each is saved through the services and
    read back with what was derived (threshold met, in care, the record due dates)."""
    child = ChildFactory(sex="M", date_of_birth=date(2003, 5, 1))
    response = lead.post(
        REFERRALS,
        {
            "child": child.pk,
            "received_on": "2016-12-01",
            "referrer_name": "Jo Marsh",
            "referrer_team": "School",
            "description": "Behaviour towards younger pupils",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    made = response.json()
    assert made["threshold_met"] is None and made["in_care_on_received"] is False
    response = lead.post(
        f"{REFERRALS}{made['id']}/threshold-decision/",
        {"rating": "amber", "tool_version": "2020", "decided_on": "2016-12-05", "version": made["version"]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["outcome"] == "hsb_meeting" and response.json()["rating_label"] == "Orange"
    response = lead.post(
        MEETINGS,
        {
            "referral": made["id"],
            "date": "2016-12-16",
            "chair": StaffMemberFactory(job_role="iro").pk,
            "agencies": ["social_care", "police"],
            "risk_summary": "Risk at school",
            "recommendations": "Safety plan",
            "intervention": "in_house",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    held = response.json()
    # 10 and 15 working days after Fri 16 Dec 2016, over Christmas (tests/hsb/test_services.py).
    assert (held["record_produced_due"], held["record_distributed_due"]) == ("2017-01-04", "2017-01-11")
    response = lead.post(
        f"{MEETINGS}{held['id']}/record-dates/",
        {
            "record_produced_on": "2017-01-03",
            "record_distributed_on": "2017-01-10",
            "version": held["version"],
        },
        format="json",
    )
    assert response.status_code == 200 and response.json()["record_distributed_on"] == "2017-01-10"
    response = lead.post(
        f"{MEETINGS}{held['id']}/record-dates/",
        {"record_produced_on": "2017-01-03", "record_distributed_on": None, "version": held["version"]},
        format="json",
    )
    assert response.status_code == 409  # the version read before the dates were recorded
    assert HsbMeeting.objects.get().record_distributed_on == date(2017, 1, 10)


def test_a_referral_for_a_new_child_and_its_errors_under_new_child(lead):
    body = {
        "new_child": {
            "local_child_id": "bad id!",
            "first_name": "Kai",
            "last_name": "Ford",
            "date_of_birth": "2004-01-01",
        },
        "received_on": "2016-12-01",
        "referrer_name": "Jo Marsh",
        "referrer_team": "Police",
        "description": "Reported by the police",
    }
    response = lead.post(REFERRALS, body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["new_child"]
    body["new_child"]["local_child_id"] = "N123"
    assert lead.post(REFERRALS, body, format="json").status_code == 201
    assert HsbReferral.objects.get().child.local_child_id == "N123"


def test_bad_input_is_a_400_naming_the_field_with_nothing_changed(lead):
    made = referral(received_on=date(2016, 6, 1))
    response = lead.post(
        f"{REFERRALS}{made.pk}/threshold-decision/",
        {
            "rating": "",
            "tool_version": "",
            "decided_on": "2016-06-02",
            "version": made.updated_at.isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400
    assert "Choose the Brook traffic light rating" in response.json()["rating"][0]
    below = decided(rating="green", received_on=date(2016, 6, 1))
    body = {
        "referral": below.pk,
        "date": "2016-05-30",
        "chair": StaffMemberFactory().pk,
        "risk_summary": "Low",
        "recommendations": "None",
    }
    response = lead.post(MEETINGS, body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"date", "override_reason"}
    assert response.json()["date"] == [
        "The meeting cannot be before the referral was received on 1 June 2016"
    ]
    assert not HsbMeeting.objects.exists()


def test_an_untrained_assessor_is_a_400_naming_the_assessor(lead):
    made = decided(child=ChildFactory(sex="M", date_of_birth=date(2003, 1, 1)), received_on=date(2017, 2, 1))
    assessor = StaffMemberFactory(first_name="Ann", last_name="Bird", job_role="social_worker")
    body = {
        "referral": made.pk,
        "tool": "aim2",
        "date": "2017-02-10",
        "outcome": "low",
        "assessor_staff": assessor.pk,
    }
    response = lead.post(ASSESSMENTS, body, format="json")
    assert response.status_code == 400
    assert response.json()["assessor_staff"][0].startswith("Ann Bird has no AIM2 assessment training")
    assert (
        lead.post(
            TRAINING, {"course": "aim2", "completed_on": "2017-01-20", "staff": assessor.pk}, format="json"
        ).status_code
        == 201
    )
    assert lead.post(ASSESSMENTS, body, format="json").status_code == 201


def test_every_record_read_is_in_the_access_log(lead, met):
    lead.get(REFERRALS)
    lead.get(f"{MEETINGS}{met.meetings.get().pk}/")
    rows = AccessLog.objects.filter(channel=AccessChannel.API, child=met.child)
    assert set(rows.values_list("what", flat=True)) == {"HSB referral (list)", "HSB meeting"}


def _build(count: int) -> None:
    lead_staff = hsb_lead()
    for n in range(count):
        made = decided(rating="red", received_on=date(2016, 6, 1), by=lead_staff)
        meeting(referral=made, on=date(2016, 6, 20), chair=lead_staff)
        HsbTrainingRecord.objects.create(
            staff=StaffMemberFactory(), course="brook", completed_on=date(2016, 1, n + 1)
        )


@pytest.mark.parametrize("url", LISTS)
def test_each_list_uses_the_same_number_of_queries_for_more_rows(lead, url):
    _build(2)
    lead.get(url)  # the token's first use of the minute records it: not a query of the list
    with CaptureQueriesContext(connection) as small:
        assert lead.get(url).status_code == 200
    _build(5)
    with CaptureQueriesContext(connection) as large:
        assert lead.get(url).status_code == 200
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]
