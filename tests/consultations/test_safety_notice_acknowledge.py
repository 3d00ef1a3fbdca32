"""Acknowledging a safety notice: who may (the member of staff it was sent to, or a manager),
what it records (who and when, with a history row), that it leaves the unread banner and stays
on the safety notices page, that a restricted child's notice is a 404, and that the page's
query count does not grow with its notices."""

from __future__ import annotations

from datetime import timedelta

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations import selectors, services
from consultations.models import SafetyNotice
from iro_service.core.roles import Role
from iro_service.people.models import ChildRestriction, ChildRestrictionMember
from reviews import services as reviews
from tests.factories import ChildFactory, IroAllocationFactory, StaffMemberFactory
from tests.factories.reviews import period_of_care

pytestmark = pytest.mark.django_db

BANNER = "A child has said they do not feel safe"


def _child_with_notice(iro, first_name="Amy"):
    """A child in care with ``iro`` as their IRO, a consultation sent before a booked review,
    and the IRO's notice that the child said they do not feel safe."""
    today = timezone.localdate()
    child = ChildFactory(first_name=first_name, last_name="Zabriskie")
    IroAllocationFactory(child=child, iro=iro, start_date=today - timedelta(days=120))
    period = period_of_care(child=child, start_date=today - timedelta(days=120))
    meeting = reviews.review_meeting_book(period=period, on=today + timedelta(days=10))
    consultation, _ = services.consultation_send(
        meeting=meeting, audience="child", respondent_name=first_name, channel="letter"
    )
    return SafetyNotice.objects.create(consultation=consultation, staff=iro)


@pytest.fixture
def chair(iro_user):
    return StaffMemberFactory(first_name="Helen", last_name="Ashworth", user=iro_user)


@pytest.fixture
def notice(chair):
    return _child_with_notice(chair)


@pytest.fixture
def other_iro_user(make_user):
    """An IRO the notice was not sent to."""
    user = make_user(Role.IRO, username="other-iro-persona")
    StaffMemberFactory(first_name="Owen", last_name="Other", user=user)
    return user


def _acknowledge_url(notice):
    return reverse("consultations:safety-notice-acknowledge", args=[notice.pk])


# GET: the allowed get 405 (the button is a POST); the rest are refused as elsewhere.
# POST: the allowed are sent back to the notices page (302) with the notice acknowledged.
ACKNOWLEDGE = {
    "iro_user": (405, 302, True),  # the notice was sent to them
    "manager_user": (405, 302, True),  # a manager may acknowledge any notice
    "other_iro_user": (403, 403, False),  # an IRO, but the notice is someone else's
    "support_user": (403, 403, False),  # business support do not read the answers
    "senior_user": (403, 403, False),
    "no_role_user": (403, 403, False),
    "anonymous": (302, 302, False),  # to the sign-in page
}


@pytest.mark.parametrize("role", sorted(ACKNOWLEDGE))
def test_every_role_get_and_post_on_the_acknowledge_button(request, client, notice, role):
    get_status, post_status, acknowledged = ACKNOWLEDGE[role]
    user = None if role == "anonymous" else request.getfixturevalue(role)
    if user is not None:
        client.force_login(user)
    url = _acknowledge_url(notice)
    assert client.get(url).status_code == get_status
    response = client.post(url, {"acknowledge": "yes"})
    assert response.status_code == post_status
    notice.refresh_from_db()
    assert (notice.acknowledged_at is not None) is acknowledged
    if acknowledged:
        assert response.url == reverse("consultations:safety-notices")
        assert notice.acknowledged_by == user
    elif role == "anonymous":
        assert response.url.startswith(reverse("login"))


# The notices page: for those who read the children's answers.
PAGE = {
    "iro_user": 200,
    "other_iro_user": 200,
    "manager_user": 200,
    "support_user": 403,
    "senior_user": 403,
    "no_role_user": 403,
    "anonymous": 302,
}


@pytest.mark.parametrize("role", sorted(PAGE))
def test_every_role_get_and_post_on_the_safety_notices_page(request, client, notice, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    url = reverse("consultations:safety-notices")
    response = client.get(url)
    assert response.status_code == PAGE[role]
    # The page only lists (each button posts to its own URL): a POST shows the page again.
    assert client.post(url, {}).status_code == PAGE[role]
    child_id = notice.consultation.child.local_child_id
    if role in ("iro_user", "manager_user"):
        assert child_id in response.content.decode()
    if role == "other_iro_user":
        # Not theirs, and they may not acknowledge others': not on their page.
        assert child_id not in response.content.decode()


def test_acknowledging_takes_the_notice_off_the_unread_banner_and_keeps_it_in_the_history(
    client, iro_user, chair, notice
):
    client.force_login(iro_user)
    assert selectors.unread_safety_notices(staff=chair).count() == 1
    assert BANNER in client.get(reverse("home")).content.decode()

    response = client.post(_acknowledge_url(notice), {"acknowledge": "yes", "back": "home"})

    assert response.status_code == 302 and response.url == reverse("home")
    assert selectors.unread_safety_notices(staff=chair).count() == 0
    assert BANNER not in client.get(reverse("home")).content.decode()
    notice.refresh_from_db()
    assert notice.acknowledged_by == iro_user and notice.read_at == notice.acknowledged_at
    # Two history rows: the notice raised, then acknowledged (by whom, and when).
    assert notice.history.count() == 2
    assert notice.history.first().acknowledged_by_id == iro_user.pk
    page = client.get(reverse("consultations:safety-notices")).content.decode()
    assert "There are no safety notices to acknowledge" in page
    assert notice.consultation.child.local_child_id in page
    assert iro_user.get_full_name() in page


def test_a_second_acknowledgement_or_an_empty_post_changes_nothing(client, iro_user, manager_user, notice):
    client.force_login(iro_user)
    client.post(_acknowledge_url(notice), {})  # a form replayed empty
    notice.refresh_from_db()
    assert notice.acknowledged_at is None

    client.post(_acknowledge_url(notice), {"acknowledge": "yes"})
    client.force_login(manager_user)
    client.post(_acknowledge_url(notice), {"acknowledge": "yes"})
    notice.refresh_from_db()
    assert notice.acknowledged_by == iro_user  # the first stands
    assert notice.history.filter(acknowledged_at__isnull=False).count() == 1


def test_a_restricted_childs_notice_is_a_404_to_those_not_named(
    client, iro_user, manager_user, other_iro_user, notice
):
    restriction = ChildRestriction.objects.create(
        child=notice.consultation.child, reason="A relative works in the service"
    )
    ChildRestrictionMember.objects.create(restriction=restriction, staff_member=other_iro_user.staff_member)
    url = _acknowledge_url(notice)
    for user in (iro_user, manager_user):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"acknowledge": "yes"}).status_code == 404
        page = client.get(reverse("consultations:safety-notices")).content.decode()
        assert notice.consultation.child.local_child_id not in page
    # Named on the restriction, but the notice is still not theirs.
    client.force_login(other_iro_user)
    assert client.post(url, {"acknowledge": "yes"}).status_code == 403
    notice.refresh_from_db()
    assert notice.acknowledged_at is None


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_safety_notices_page_query_count_does_not_grow_with_notices(client, iro_user, chair, notice):
    """The same number of queries with 2 notices (one acknowledged) as with 5 (three)."""
    client.force_login(iro_user)
    url = reverse("consultations:safety-notices")
    services.safety_notice_acknowledge(notice=_child_with_notice(chair, first_name="Ann"), by=iro_user)
    client.get(url)  # the first request warms what is cached per process
    two = _queries(client, url)
    _child_with_notice(chair, first_name="Ben")
    for name in ("Cal", "Dan"):
        services.safety_notice_acknowledge(notice=_child_with_notice(chair, first_name=name), by=iro_user)
    assert _queries(client, url) == two
    # 12: the session, the user, the user's and their groups' permissions (2), their staff
    # record, the notices to acknowledge with their children, meetings and staff (1), the
    # acknowledged ones counted and their page with the acknowledgers (2), the user's groups
    # for the menu, and the session saved (savepoint, update, release: 3).
    assert two == 12


def test_acknowledged_notices_come_25_to_a_page_and_every_open_one_is_always_shown(client, iro_user, chair):
    """27 acknowledged notices and 2 open ones: the first page has the 2 open and 25
    acknowledged, the second the other 2 acknowledged and the same 2 open; the links keep the
    page's other parameters."""
    client.force_login(iro_user)
    open_notices = [_child_with_notice(chair, first_name=name) for name in ("Amy", "Ben")]
    done = [_child_with_notice(chair, first_name=f"Child{n}") for n in range(27)]
    for each in done:
        services.safety_notice_acknowledge(notice=each, by=iro_user)
    url = reverse("consultations:safety-notices")

    def rows(response, caption):
        page = lxml.html.fromstring(response.content)
        return page.xpath(f"//table[caption[contains(., '{caption}')]]/tbody/tr")

    first = client.get(url)
    assert len(rows(first, "to acknowledge")) == 2
    assert len(rows(first, "acknowledged")) == 25
    assert (
        "Showing <strong>1</strong> to <strong>25</strong> of <strong>27</strong>" in first.content.decode()
    )
    assert 'href="?acknowledged=2"' in first.content.decode()

    second = client.get(url, {"acknowledged": "2"})
    assert len(rows(second, "to acknowledge")) == 2
    assert len(rows(second, "acknowledged")) == 2
    # Newest first: the two on the second page are the first two acknowledged.
    second_ids = {c for c in (n.consultation.child.local_child_id for n in done[:2])}
    assert all(child_id in second.content.decode() for child_id in second_ids)
    for notice in open_notices:
        assert notice.consultation.child.local_child_id in second.content.decode()
    # A page number that is not one gives the first page, never an error.
    assert len(rows(client.get(url, {"acknowledged": "many"}), "acknowledged")) == 25
