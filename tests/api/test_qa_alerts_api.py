"""QA alerts, responses, transitions and challenge meetings through the API: scopes and role
permissions, writes through qa_alerts.services (400 naming the field, 409 on a stale version,
nothing changed), the access log and query counts at two sizes."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from iro_service.audit.models import AccessChannel, AccessLog
from qa_alerts import services
from qa_alerts.models import AlertTransition, ChallengeAction, ChallengeMeeting, QaAlert
from tests.factories import StaffMemberFactory, TeamFactory
from tests.factories.qa_alerts import child_in_care, raise_alert

pytestmark = pytest.mark.django_db

ALERTS = "/api/v1/qa-alerts/"
RESPONSES = "/api/v1/qa-alert-responses/"
TRANSITIONS = "/api/v1/qa-alert-transitions/"
MEETINGS = "/api/v1/challenge-meetings/"
ACTIONS = "/api/v1/challenge-actions/"


@pytest.fixture
def iro(iro_user):
    return StaffMemberFactory(user=iro_user, first_name="Helen", last_name="Ashworth")


@pytest.fixture
def iro_api(token_client, iro_user, iro):
    return token_client("read", "write", user=iro_user)


def _raise_body(child, team, **changes):
    return {
        "children": [child.pk],
        "kind": "concern",
        "categories": ["drift_delay"],
        "description": "The care plan has not been reviewed.",
        "raised_on": "2016-10-03",
        "practitioner_name": "Pat Practitioner",
        "practitioner_email": "pat@example.invalid",
        "team": team.pk,
        "team_manager_name": "Tess Manager",
        "team_manager_email": "tess@example.invalid",
        **changes,
    }


def test_an_iro_raises_an_alert_through_the_api_and_the_child_is_logged(iro_api, iro):
    child = child_in_care()
    response = iro_api.post(ALERTS, _raise_body(child, TeamFactory()), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    # Raised Mon 3 Oct 2016: due 10 working days later, Mon 17 Oct.
    assert (body["raised_by"], body["context"], body["response_due"], body["categories"]) == (
        iro.pk,
        "cic",
        "2016-10-17",
        ["drift_delay"],
    )
    assert AccessLog.objects.filter(
        child=child, channel=AccessChannel.API, what="QA alert (created)"
    ).exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"categories": []}, "categories", "Select at least one category of concern."),
        ({"categories": ["nonsense"]}, "categories", "Unknown category key(s): nonsense."),
        ({"children": []}, "children", None),
        ({"review": 999999}, "review", "There is no review with id 999999."),
        ({"raised_on": "3 October"}, "raised_on", None),
        ({"practitioner_email": "nope"}, "practitioner_email", None),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_nothing_is_raised(iro_api, iro, changes, field, message):
    response = iro_api.post(ALERTS, _raise_body(child_in_care(), TeamFactory(), **changes), format="json")
    assert response.status_code == 400
    errors = response.json()
    assert field in errors, errors
    if message:
        assert message in errors[field]
    assert not QaAlert.objects.exists()


def test_a_manager_raising_for_an_iro_must_name_the_iro(token_client, manager_user, iro):
    client = token_client("read", "write", user=manager_user)
    body = _raise_body(child_in_care(), TeamFactory())
    assert "raised_by" in client.post(ALERTS, body, format="json").json()
    assert client.post(ALERTS, {**body, "raised_by": iro.pk}, format="json").status_code == 201


def test_a_read_token_cannot_raise_and_business_support_cannot_escalate(
    token_client, support_user, iro_user, iro
):
    alert = raise_alert(iro=iro)
    body = _raise_body(child_in_care(), TeamFactory())
    assert token_client("read", user=iro_user).post(ALERTS, body, format="json").status_code == 403
    support = token_client("read", "write", user=support_user)
    escalate = {"to_stage": 1, "on": "2016-10-20", "version": alert.updated_at.isoformat()}
    assert support.post(f"{ALERTS}{alert.pk}/escalate/", escalate, format="json").status_code == 403
    answer = {
        "received_on": "2016-10-10",
        "responder_name": "Pat",
        "summary": "Plan updated",
        "satisfactory": True,
        "version": alert.updated_at.isoformat(),
    }
    response = support.post(f"{ALERTS}{alert.pk}/responses/", answer, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "resolved"


def test_a_response_dated_before_the_alert_is_a_400_on_received_on(iro_api, iro):
    alert = raise_alert(iro=iro, raised_on=date(2016, 10, 3))
    answer = {
        "received_on": "2016-09-30",
        "responder_name": "Pat",
        "summary": "Done",
        "satisfactory": True,
        "version": alert.updated_at.isoformat(),
    }
    response = iro_api.post(f"{ALERTS}{alert.pk}/responses/", answer, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "received_on": ["A response cannot be before the alert was raised on 3 October 2016."]
    }


def test_escalation_past_the_last_stage_is_a_400_and_a_stale_version_a_409(iro_api, iro):
    alert = raise_alert(iro=iro)
    seen = alert.updated_at.isoformat()
    body = {"to_stage": 4, "on": "2016-10-20", "reason": "Urgent", "version": seen}
    moved = iro_api.post(f"{ALERTS}{alert.pk}/escalate/", body, format="json")
    assert moved.status_code == 200 and moved.json()["stage"] == 4
    again = iro_api.post(
        f"{ALERTS}{alert.pk}/escalate/",
        {**body, "to_stage": 5, "version": moved.json()["version"]},
        format="json",
    )
    assert again.status_code == 400 and "to_stage" in again.json()
    stale = iro_api.post(
        f"{ALERTS}{alert.pk}/resolve/",
        {"outcome": "withdrawn", "resolved_on": "2016-10-21", "version": seen},
        format="json",
    )
    assert stale.status_code == 409 and "version" in stale.json()
    assert QaAlert.objects.get().status == "open"


def test_resolving_without_an_outcome_is_a_400(iro_api, iro):
    alert = raise_alert(iro=iro)
    response = iro_api.post(
        f"{ALERTS}{alert.pk}/resolve/",
        {"resolved_on": "2016-10-21", "version": alert.updated_at.isoformat()},
        format="json",
    )
    assert response.status_code == 400 and "outcome" in response.json()


def test_a_link_response_is_judged_through_the_api(iro_api, iro):
    alert = raise_alert(iro=iro)
    _, token = services.response_link_issue(alert=alert, stage=0, recipient="pat@example.invalid")
    answer = services.alert_response_through_link(token=token, responder_name="Pat", summary="Done")
    waiting = iro_api.get(RESPONSES, {"awaiting_judgement": "true"}).json()
    assert [row["id"] for row in waiting["results"]] == [answer.pk]
    alert.refresh_from_db()
    response = iro_api.post(
        f"{RESPONSES}{answer.pk}/judge/",
        {"satisfactory": True, "version": alert.updated_at.isoformat()},
        format="json",
    )
    assert response.status_code == 200 and response.json()["satisfactory"] is True
    assert QaAlert.objects.get().outcome == "resolved_by_response"
    kinds = [row["kind"] for row in iro_api.get(TRANSITIONS, {"alert": alert.pk}).json()["results"]]
    assert kinds == ["raised", "response_recorded", "response_judged", "resolved"]


def test_challenge_meetings_are_recorded_changed_and_their_actions_completed(token_client, manager_user, iro):
    client = token_client("read", "write", user=manager_user)
    alert = raise_alert(iro=iro)
    case = child_in_care()
    body = {
        "held_on": "2017-03-14",
        "attendees": "Assistant director\nAgency decision maker",
        "alerts": [alert.pk],
        "cases": [case.pk],
        "themes": ["Drift and delay"],
    }
    created = client.post(MEETINGS, body, format="json")
    assert created.status_code == 201, created.content
    meeting = created.json()
    assert (meeting["alerts"], meeting["cases"], meeting["themes"]) == (
        [alert.pk],
        [case.pk],
        ["Drift and delay"],
    )
    assert client.post(MEETINGS, {**body, "themes": ["Not a theme"]}, format="json").json() == {
        "themes": ["Unknown theme(s): Not a theme."]
    }
    changed = client.patch(
        f"{MEETINGS}{meeting['id']}/",
        {"notes": "Escalate to the ADM", "version": meeting["version"]},
        format="json",
    )
    assert changed.status_code == 200 and changed.json()["notes"] == "Escalate to the ADM"
    assert changed.json()["alerts"] == [alert.pk]  # what was not sent is kept
    stale = client.patch(
        f"{MEETINGS}{meeting['id']}/", {"notes": "x", "version": meeting["version"]}, format="json"
    )
    assert stale.status_code == 409
    early = client.post(
        f"{MEETINGS}{meeting['id']}/actions/",
        {"description": "Review", "owner": "AD", "due_on": "2017-03-01"},
        format="json",
    )
    assert early.status_code == 400 and "due_on" in early.json()
    added = client.post(
        f"{MEETINGS}{meeting['id']}/actions/",
        {"description": "Review", "owner": "AD", "due_on": "2017-04-14"},
        format="json",
    )
    assert added.status_code == 201
    action_id = ChallengeAction.objects.get().pk
    done = client.post(f"{ACTIONS}{action_id}/complete/", {"completed_on": "2017-04-10"}, format="json")
    assert done.status_code == 200 and done.json()["completed_on"] == "2017-04-10"
    assert (
        client.post(
            f"{ACTIONS}{action_id}/complete/", {"completed_on": "2017-04-11"}, format="json"
        ).status_code
        == 400
    )
    assert set(
        AccessLog.objects.filter(what__startswith="Challenge meeting").values_list("child_id", flat=True)
    ) == {
        alert.children.get().child_id,
        case.pk,
    }


def test_an_iro_cannot_record_a_challenge_meeting(iro_api):
    response = iro_api.post(MEETINGS, {"held_on": "2017-03-14", "attendees": "AD"}, format="json")
    assert response.status_code == 403
    assert not ChallengeMeeting.objects.exists()


@pytest.mark.parametrize("url", [ALERTS, RESPONSES, TRANSITIONS, MEETINGS, ACTIONS])
def test_every_list_uses_the_same_number_of_queries_for_more_rows(token_client, iro, url):
    client = token_client("read")
    client.get(url)  # the token's first use also records when it was last used

    def build(n):
        for _ in range(n):
            alert = raise_alert(iro=iro)
            services.alert_response_record(
                alert=alert,
                received_on=date(2016, 10, 5),
                responder_name="Pat",
                summary="Later",
                satisfactory=False,
            )
            meeting = services.challenge_meeting_save(
                held_on=date(2016, 11, 1), attendees="AD", alerts=[alert], children=[child_in_care()]
            )
            services.challenge_action_add(
                meeting=meeting, description="Review", owner="AD", due_on=date(2016, 12, 1)
            )

    build(1)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    build(4)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small), [q["sql"][:150] for q in large.captured_queries]
    assert AlertTransition.objects.count() >= 5
