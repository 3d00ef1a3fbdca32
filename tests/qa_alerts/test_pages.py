"""The QA alert pages: raising an alert in two clicks from a child's, a review's or a conference's
page with what is known filled in, the refusals of bad input named by field, the board with its
filters and download, the access log of the children shown, and the number of queries of every
list, which must not grow with the rows."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conferences.models import ConferenceType
from conferences.services import ChildDecision, conference_book, conference_record, strategy_discussion_record
from iro_service.audit.models import AccessLog
from iro_service.people.services import child_restrict
from qa_alerts import selectors, services
from qa_alerts.models import AlertResponse, QaAlert
from tests.factories import StaffMemberFactory, TeamFactory
from tests.factories.conferences import family_with_children
from tests.factories.qa_alerts import category, child_in_care, raise_alert

pytestmark = pytest.mark.django_db


@pytest.fixture
def iro(iro_user):
    return StaffMemberFactory(user=iro_user, first_name="Helen", last_name="Ashworth")


def _raise_data(child, team, **changes):
    return {
        "children": [str(child.pk)],
        "kind": "concern",
        "categories": [str(category("drift_delay").pk)],
        "description": "The care plan has not been reviewed.",
        "raised_on": timezone.localdate().strftime("%d/%m/%Y"),
        "practitioner_name": "Pat Practitioner",
        "practitioner_email": "pat@example.invalid",
        "team": str(team.pk),
        "team_manager_name": "Tess Manager",
        "team_manager_email": "tess@example.invalid",
        **changes,
    }


def test_an_iro_raises_an_alert_from_the_childs_page_in_two_clicks(client, iro_user, iro):
    """GIVEN a child in care
    WHEN the IRO follows "Raise a QA alert" on the child's page and sends the form
    THEN the alert is raised by that IRO about the child, and the child's view is logged."""
    child = child_in_care()
    team = TeamFactory(name="Locality Team West")
    client.force_login(iro_user)
    child_page = client.get(reverse("people:child-detail", args=[child.pk])).content.decode()
    url = reverse("qa_alerts:raise-for-child", args=[child.pk])
    assert url in child_page
    form_page = client.get(url)
    assert form_page.status_code == 200
    assert "checked" in form_page.content.decode()  # the child is already chosen
    response = client.post(url, _raise_data(child, team))
    alert = QaAlert.objects.get()
    assert response.status_code == 302 and response["Location"] == alert.get_absolute_url()
    assert (alert.raised_by, alert.context, alert.team) == (iro, "cic", team)
    assert AccessLog.objects.filter(child=child, what="QA alerts: raise an alert").exists()


def test_the_next_alert_for_a_child_is_filled_in_with_the_last_addressees(client, iro_user, iro):
    child = child_in_care()
    raise_alert(child=child, practitioner_name="Jo Known", practitioner_email="jo@example.invalid")
    client.force_login(iro_user)
    page = client.get(reverse("qa_alerts:raise-for-child", args=[child.pk])).content.decode()
    assert 'value="Jo Known"' in page and 'value="jo@example.invalid"' in page


def test_an_alert_from_a_conference_offers_the_children_considered(client, iro_user, iro):
    today = timezone.localdate()
    family, (amy, ben) = family_with_children("Amy", "Ben")
    discussion = strategy_discussion_record(family=family, on=today - timedelta(days=20), children=[amy, ben])
    conference = conference_book(
        family=family,
        conference_type=ConferenceType.INITIAL,
        on=today - timedelta(days=5),
        chair=iro,
        children=[(amy, "initial"), (ben, "initial")],
        strategy_discussion=discussion,
    )
    conference_record(
        conference=conference,
        decisions={
            amy.pk: ChildDecision("plan_started", ("NEG",)),
            ben.pk: ChildDecision("plan_started", ("NEG",)),
        },
    )
    client.force_login(iro_user)
    detail = client.get(reverse("conferences:conference-detail", args=[conference.pk])).content.decode()
    url = reverse("qa_alerts:raise-for-conference", args=[conference.pk])
    assert url in detail
    team = TeamFactory(name="Locality Team East")
    data = _raise_data(
        amy, team, children=[str(amy.pk), str(ben.pk)], categories=[str(category("core_group").pk)]
    )
    assert client.post(url, data).status_code == 302
    alert = QaAlert.objects.get()
    assert (alert.context, alert.conference_id, alert.family_id) == ("cp", conference.pk, family.pk)
    assert sorted(alert.children.values_list("child_id", flat=True)) == sorted([amy.pk, ben.pk])


def test_bad_input_on_the_raise_page_names_each_field_and_saves_nothing(client, iro_user, iro):
    child = child_in_care()
    client.force_login(iro_user)
    url = reverse("qa_alerts:raise-for-child", args=[child.pk])
    response = client.post(
        url,
        _raise_data(
            child, TeamFactory(), categories=[], practitioner_email="not an address", raised_on="31/02/2016"
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the practitioner&#x27;s email address in the correct format" in page
    assert "Enter the date the alert was raised as day, month and year" in page
    assert not QaAlert.objects.exists()
    # With the form right but no category, the service's refusal is shown on the categories field.
    response = client.post(url, _raise_data(child, TeamFactory(name="Another team"), categories=[]))
    assert "Select at least one category of concern" in response.content.decode()
    assert not QaAlert.objects.exists()


def test_a_response_dated_before_the_alert_is_refused_on_its_field(client, iro_user, iro):
    alert = raise_alert(iro=iro, raised_on=date(2016, 10, 3))
    client.force_login(iro_user)
    url = reverse("qa_alerts:response-record", args=[alert.pk])
    response = client.post(
        url,
        {
            "received_on": "30/09/2016",
            "responder_name": "Pat",
            "summary": "Done",
            "satisfactory": "yes",
            "seen_updated_at": alert.updated_at.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "A response cannot be before the alert was raised on 3 October 2016." in response.content.decode()
    assert not AlertResponse.objects.exists()


def test_resolving_without_an_outcome_is_refused(client, iro_user, iro):
    alert = raise_alert(iro=iro)
    client.force_login(iro_user)
    response = client.post(
        reverse("qa_alerts:resolve", args=[alert.pk]),
        {"resolved_on": "20/10/2016", "seen_updated_at": alert.updated_at.isoformat()},
    )
    assert "Select how the concern was resolved" in response.content.decode()
    assert QaAlert.objects.get().status == "open"


def test_an_escalation_from_a_stale_page_is_refused_at_the_top(client, iro_user, iro):
    alert = raise_alert(iro=iro)
    stale = alert.updated_at.isoformat()
    services.alert_escalate(alert=alert, to_stage=1, on=date(2016, 10, 20))
    client.force_login(iro_user)
    response = client.post(
        reverse("qa_alerts:escalate", args=[alert.pk]),
        {"to_stage": "2", "on": "21/10/2016", "seen_updated_at": stale},
    )
    assert "Someone else changed this alert while you were editing" in response.content.decode()
    assert QaAlert.objects.get().stage == 1


def test_the_escalate_button_is_gone_at_the_last_stage(client, iro_user, iro):
    alert = raise_alert(iro=iro)
    services.alert_escalate(alert=alert, to_stage=4, on=date(2016, 10, 20), reason="Urgent")
    client.force_login(iro_user)
    page = client.get(alert.get_absolute_url()).content.decode()
    assert reverse("qa_alerts:escalate", args=[alert.pk]) not in page
    assert reverse("qa_alerts:resolve", args=[alert.pk]) in page


def test_the_board_filters_by_team_and_category_and_downloads_what_it_shows(client, manager_user):
    east, west = TeamFactory(name="Locality Team East"), TeamFactory(name="Locality Team West")
    shown = raise_alert(team=east, categories=("quality",), description='=HYPERLINK("x")')
    raise_alert(team=west, categories=("quality",))
    raise_alert(team=east, categories=("drift_delay",))
    client.force_login(manager_user)
    filters = {"team": east.pk, "category": category("quality").pk}
    page = client.get(reverse("qa_alerts:board"), filters).content.decode()
    assert (
        shown.reference in page
        and "Showing <strong>1</strong> to <strong>1</strong> of <strong>1</strong>" in page
    )
    download = client.get(reverse("qa_alerts:board-csv"), filters)
    rows = list(csv.reader(io.StringIO(download.content.decode().lstrip("\ufeff"))))
    assert [row[0] for row in rows] == ["Reference", shown.reference]
    assert rows[1][4] == shown.children.get().child.local_child_id
    assert AccessLog.objects.filter(what="QA alerts: board download").count() == 1


def test_the_board_logs_each_child_on_the_page(client, manager_user):
    alerts = [raise_alert() for _ in range(3)]
    client.force_login(manager_user)
    client.get(reverse("qa_alerts:board"))
    logged = set(AccessLog.objects.filter(what="QA alerts: board").values_list("child_id", flat=True))
    assert logged == {alert.children.get().child_id for alert in alerts}


def test_my_alerts_sorts_an_iros_alerts_and_reads_notices(client, iro_user, iro):
    overdue = raise_alert(iro=iro, raised_on=date(2016, 10, 3))
    services.alerts_escalate_overdue(on=timezone.localdate())
    client.force_login(iro_user)
    page = client.get(reverse("qa_alerts:mine")).content.decode()
    assert overdue.reference in page and "was escalated to Team manager" in page
    assert client.post(reverse("qa_alerts:notices-read")).status_code == 302
    assert "was escalated to Team manager" not in client.get(reverse("qa_alerts:mine")).content.decode()
    home = client.get(reverse("home")).content.decode()
    assert "Your QA alerts" in home


def test_my_alerts_and_the_home_panel_leave_out_an_alert_about_a_child_hidden_from_the_iro(
    client, iro_user, iro, make_user
):
    """GIVEN Helen raised two alerts, both overdue and escalated to stage 1 (two notices each:
    escalated, and no one named for the stage), and the child of the second is then restricted
    to another member of staff
    WHEN she opens "My alerts" and her home page
    THEN she sees the first alert and its notices only, and the panel counts 1 open alert and
    2 notices, not 2 and 4."""
    shown = raise_alert(iro=iro, raised_on=date(2016, 10, 3))
    hidden = raise_alert(iro=iro, raised_on=date(2016, 10, 3))
    services.alerts_escalate_overdue(on=timezone.localdate())
    other = StaffMemberFactory(user=make_user(None, username="other-named"))
    child_restrict(child=hidden.children.get().child, staff_members=[other], reason="High-profile case")
    client.force_login(iro_user)
    page = client.get(reverse("qa_alerts:mine")).content.decode()
    assert shown.reference in page
    assert hidden.reference not in page
    assert page.count("was escalated to Team manager") == 1
    counts = selectors.iro_alert_counts(iro=iro, today=timezone.localdate())
    assert (counts["open"], counts["notices"]) == (1, 2)


def test_the_overview_shows_every_iro_including_one_who_raised_none(client, senior_user):
    north = TeamFactory(name="IRO Team North")
    busy = StaffMemberFactory(first_name="Busy", last_name="Raiser", team=north)
    StaffMemberFactory(first_name="Quiet", last_name="Silent", team=north)
    raise_alert(iro=busy, raised_on=date(2016, 10, 3))
    client.force_login(senior_user)
    page = client.get(reverse("reports:qa-overview"), {"period": "month-2016-10"}).content.decode()
    assert "October 2016" in page
    assert 'Quiet Silent <strong class="govuk-tag govuk-tag--red">None raised</strong>' in page
    assert "Busy Raiser <strong" not in page


def test_a_period_not_offered_is_refused_by_name(client, senior_user):
    client.force_login(senior_user)
    response = client.get(reverse("reports:qa-overview"), {"period": "month-1999-01"})
    assert response.status_code == 200
    assert "Choose a period from the list" in response.content.decode()


# --- query counts: the lists do not query per row ------------------------------------------


def _build(n: int, iro, team) -> None:
    for _ in range(n):
        alert = raise_alert(
            iro=iro, team=team, raised_on=date(2016, 10, 3), categories=("drift_delay", "quality")
        )
        services.alert_response_record(
            alert=alert,
            received_on=date(2016, 10, 5),
            responder_name="Pat",
            summary="Later",
            satisfactory=False,
        )


LISTS = [
    ("qa_alerts:mine", "iro_user", {}),
    ("qa_alerts:board", "manager_user", {}),
    ("qa_alerts:board-csv", "manager_user", {}),
    ("qa_alerts:challenge-list", "senior_user", {}),
    ("reports:qa-overview", "senior_user", {"period": "month-2016-10"}),
]


@pytest.mark.parametrize(("url_name", "persona", "params"), LISTS)
def test_every_list_uses_the_same_number_of_queries_for_more_rows(
    client, request, iro, url_name, persona, params
):
    client.force_login(request.getfixturevalue(persona))
    team = TeamFactory(name="Locality Team East")
    _build(2, iro, team)
    meeting = services.challenge_meeting_save(
        held_on=date(2016, 11, 1), attendees="AD", alerts=list(QaAlert.objects.all())
    )
    url = reverse(url_name)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url, params).status_code == 200
    _build(5, iro, team)
    services.challenge_meeting_save(
        held_on=date(2016, 12, 1), attendees="AD", alerts=list(QaAlert.objects.all())
    )
    services.challenge_action_add(meeting=meeting, description="Review", owner="AD", due_on=date(2016, 12, 1))
    with CaptureQueriesContext(connection) as large:
        assert client.get(url, params).status_code == 200
    assert len(large) == len(small), [q["sql"][:150] for q in large.captured_queries]


def test_an_alerts_page_does_not_query_per_response_or_transition(client, iro_user, iro):
    alert = raise_alert(iro=iro, raised_on=date(2016, 10, 3))
    client.force_login(iro_user)
    with CaptureQueriesContext(connection) as small:
        assert client.get(alert.get_absolute_url()).status_code == 200
    for day in (5, 6, 7):
        services.alert_response_record(
            alert=alert,
            received_on=date(2016, 10, day),
            responder_name="Pat",
            summary="Not yet",
            satisfactory=False,
        )
    services.alert_escalate(
        alert=alert,
        to_stage=2,
        on=date(2016, 10, 20),
        reason="Absent",
        addressee_name="S",
        addressee_email="s@example.invalid",
    )
    with CaptureQueriesContext(connection) as large:
        assert client.get(alert.get_absolute_url()).status_code == 200
    assert len(large) == len(small), [q["sql"][:150] for q in large.captured_queries]
