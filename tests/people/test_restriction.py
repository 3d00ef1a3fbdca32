"""Restricting a child's record to named staff: the service and its history, the managers'
page, what everyone else then gets, and that the restriction costs no query per row."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from iro_service.core.restriction import may_reach, restrict
from iro_service.people import services
from iro_service.people.models import Child, ChildRestriction, ChildRestrictionMember
from qa_alerts.models import ChallengeMeeting
from reports.figures import FigureQuery
from reports.selectors import figure_records, figure_records_for
from reviews.models import LacReview
from tests.factories import ChildFactory, IroAllocationFactory, StaffMemberFactory
from tests.factories.county import small_county
from tests.factories.reviews import period_of_care

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(iro_user):
    return StaffMemberFactory(first_name="Nina", last_name="Named", user=iro_user)


def test_restricting_needs_someone_named_who_signs_in_and_a_reason(named):
    child = ChildFactory()
    with pytest.raises(ValidationError) as error:
        services.child_restrict(child=child, staff_members=[], reason=" ")
    assert set(error.value.message_dict) == {"named_staff", "reason"}
    no_account = StaffMemberFactory()
    with pytest.raises(ValidationError) as error:
        services.child_restrict(child=child, staff_members=[no_account], reason="Relative of staff")
    assert "sign in" in error.value.message_dict["named_staff"][0]
    assert not ChildRestriction.objects.exists()


def test_every_change_to_a_restriction_is_kept_in_its_history(named, manager_user, make_user):
    child = ChildFactory()
    other = StaffMemberFactory(user=make_user(None, username="second-named"))
    services.child_restrict(
        child=child, staff_members=[named, other], reason="Relative of staff", by=manager_user
    )
    services.child_restrict(child=child, staff_members=[named], reason="Relative of staff")
    assert list(ChildRestrictionMember.objects.values_list("staff_member_id", flat=True)) == [named.pk]
    assert services.child_restriction_lift(child=child) is True
    assert not ChildRestriction.objects.exists()
    # Restricted (+), two named (+ +), one no longer named (-), lifted: both members (-) and
    # the restriction (-).
    assert [row.history_type for row in ChildRestriction.history.order_by("history_id")] == ["+", "-"]
    member_history = ChildRestrictionMember.history.order_by("history_id")
    assert [(row.history_type, row.staff_member_id) for row in member_history] == [
        ("+", named.pk),
        ("+", other.pk),
        ("-", other.pk),
        ("-", named.pk),
    ]
    assert services.child_restriction_lift(child=child) is False


def test_the_restriction_hides_the_child_from_everyone_not_named(named, manager_user, make_user):
    child = ChildFactory()
    services.child_restrict(child=child, staff_members=[named], reason="Relative of staff")
    assert may_reach(named.user, child)
    assert not may_reach(manager_user, child)
    # A superuser is not named either: the restriction is about people, not roles.
    admin = make_user(None, username="admin", is_superuser=True)
    assert not may_reach(admin, child)
    assert list(restrict(Child.objects.all(), manager_user)) == []


def test_the_managers_page_restricts_a_record_and_lifts_it(client, manager_user, named):
    child = ChildFactory(first_name="Rhea")
    client.force_login(manager_user)
    url = reverse("people:child-restriction", args=[child.pk])
    response = client.post(url, {})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["named_staff"] == ["Select at least one member of staff who may see the record"]
    assert errors["reason"] == ["Enter why the record is restricted"]
    response = client.post(url, {"named_staff": [named.pk], "reason": "Her aunt works in the service"})
    assert response.status_code == 302
    restriction = ChildRestriction.objects.get(child=child)
    assert restriction.restricted_by == manager_user
    # The manager is not named: the child's pages are now a 404 to them, as to anyone else...
    assert client.get(reverse("people:child-detail", args=[child.pk])).status_code == 404
    assert "Rhea" not in client.get(reverse("people:child-list")).content.decode()
    # ... but the restriction's own page and the list of restricted records still reach it.
    page = client.get(url)
    assert page.status_code == 200 and "Nina Named" in page.content.decode()
    assert "Rhea" in client.get(reverse("people:restricted-children")).content.decode()
    assert client.post(reverse("people:child-restriction-lift", args=[child.pk])).status_code == 302
    assert client.get(reverse("people:child-detail", args=[child.pk])).status_code == 200


def test_the_named_member_of_staff_is_told_the_record_is_restricted(client, named):
    child = ChildFactory()
    services.child_restrict(child=child, staff_members=[named], reason="Relative of staff")
    client.force_login(named.user)
    body = client.get(reverse("people:child-detail", args=[child.pk])).content.decode()
    assert "Only Nina Named may see this record." in body


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("people:child-list")).status_code == 200
    return len(queries)


def test_restrictions_add_no_query_to_a_list(client, manager_user, named):
    """The restriction is a NOT EXISTS inside the list's own query: the Children list takes
    the same number of queries with no restriction and with three."""
    client.force_login(manager_user)
    children = ChildFactory.create_batch(6)
    for child in children:
        IroAllocationFactory(child=child)
    before = _list_queries(client)
    for child in children[:3]:
        services.child_restrict(child=child, staff_members=[named], reason="Relative of staff")
    assert _list_queries(client) == before


def test_a_forged_selection_cannot_mark_a_hidden_childs_record_distributed(client, support_user, iro_user):
    county = small_county(chair_user=iro_user)
    LacReview.objects.filter(pk=county.review.pk).update(record_distributed=None)
    services.child_restrict(child=county.child, staff_members=[county.chair], reason="Relative of staff")
    client.force_login(support_user)
    response = client.post(
        reverse("reviews:records-to-distribute"),
        {"reviews": [county.review.pk], "distributed_on": timezone.localdate().strftime("%d/%m/%Y")},
    )
    assert response.status_code in (200, 302)
    assert LacReview.objects.get(pk=county.review.pk).record_distributed is None


def test_a_meeting_changed_by_someone_not_named_keeps_the_hidden_childs_alert(client, manager_user, iro_user):
    """The manager does not see the alert about the restricted child on the challenge meeting's
    form; saving the form must not take it off the meeting."""
    county = small_county(chair_user=iro_user)
    meeting = county.challenge_meeting
    services.child_restrict(child=county.child, staff_members=[county.chair], reason="Relative of staff")
    client.force_login(manager_user)
    url = reverse("qa_alerts:challenge-edit", args=[meeting.pk])
    form = client.get(url).context["form"]
    assert str(county.alert.pk) not in dict(form.fields["alerts"].choices)
    response = client.post(
        url,
        {
            "held_on": meeting.held_on.strftime("%d/%m/%Y"),
            "attendees": "Assistant director and the IRO manager",
            "themes": [str(theme.pk) for theme in meeting.themes.all()],
            "notes": "",
            "cases": "",
            "seen_updated_at": meeting.updated_at.isoformat(),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    meeting = ChallengeMeeting.objects.get(pk=meeting.pk)
    assert meeting.attendees == "Assistant director and the IRO manager"
    assert list(meeting.alerts.all()) == [county.alert]


def test_a_figure_counts_a_hidden_child_but_its_drill_down_leaves_them_out(manager_user, named):
    """Two children in care on 31 March 2017; one restricted to Nina. The figure is 2 for
    everyone (a management figure of the whole service); the rows behind it show both to Nina
    and one to the manager."""
    shown = ChildFactory()
    hidden = ChildFactory()
    for child in (shown, hidden):
        period_of_care(child=child, start_date=date(2016, 7, 1))
    services.child_restrict(child=hidden, staff_members=[named], reason="Relative of staff")
    query = FigureQuery(start=date(2016, 4, 1), end=date(2017, 3, 31))
    assert len(figure_records(query=query, key="cic_at_end")) == 2
    assert [
        row["child_id"] for row in figure_records_for(user=manager_user, query=query, key="cic_at_end")
    ] == [shown.pk]
    assert len(figure_records_for(user=named.user, query=query, key="cic_at_end")) == 2


def test_another_iro_sees_a_review_but_is_told_why_they_cannot_change_it(client, make_user, iro_user):
    from iro_service.core.roles import Role

    county = small_county(chair_user=iro_user)
    other = make_user(Role.IRO, username="covering-iro")
    StaffMemberFactory(user=other)
    client.force_login(other)
    assert client.get(reverse("reviews:care-record", args=[county.child.pk])).status_code == 200
    response = client.get(reverse("reviews:review-edit", args=[county.review.pk]))
    assert response.status_code == 403
    assert (
        "Only the chair, the child&#x27;s IRO, business support or an IRO manager"
        in response.content.decode()
    )
    # The child's current IRO who did not chair the review may change it.
    today = timezone.localdate()
    services.iro_allocate(child=county.child, iro=other.staff_member, start_date=today, reason="Handover")
    assert client.get(reverse("reviews:review-edit", args=[county.review.pk])).status_code == 200


def test_the_api_refuses_another_iros_change_with_the_reason(make_user, iro_user, token_client):
    from iro_service.core.roles import Role

    county = small_county(chair_user=iro_user)
    other = make_user(Role.IRO, username="covering-iro")
    StaffMemberFactory(user=other)
    client = token_client("read", "write", user=other)
    response = client.patch(
        f"/api/v1/reviews/{county.review.pk}/",
        {"version": county.review.updated_at.isoformat(), "participation_code": "PN2"},
        format="json",
    )
    assert response.status_code == 403
    assert "Only the chair" in response.json()["detail"]


def test_an_api_write_cannot_name_a_hidden_child(make_user, token_client, named):
    """An IRO not named posts a contact for the hidden child: 400 on ``child``, word for word
    what a child number that matches no record gets, and nothing is written."""
    from iro_service.core.roles import Role
    from reviews.models import IroContact

    iro = make_user(Role.IRO, username="not-named-iro")
    StaffMemberFactory(user=iro)
    hidden = ChildFactory()
    services.child_restrict(child=hidden, staff_members=[named], reason="Relative of staff")
    client = token_client("read", "write", user=iro)
    body = {"date": "2016-09-01", "kind": "visit"}
    refused = client.post("/api/v1/iro-contacts/", {**body, "child": hidden.pk}, format="json")
    missing = client.post("/api/v1/iro-contacts/", {**body, "child": 999999}, format="json")
    assert refused.status_code == missing.status_code == 400
    assert refused.json()["child"] == [missing.json()["child"][0].replace("999999", str(hidden.pk))]
    assert not IroContact.objects.exists()
