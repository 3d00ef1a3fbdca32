"""The permission matrix: every page and API endpoint of the URL configuration and the API
router, requested by every role and anonymously, first with records the role may reach and
then with the county's children restricted to one named member of staff, and every answer
compared with the one table in ``tests/access/matrix.py``. A URL with no row there fails
``test_every_url_has_a_row``.

The first pass proves the roles (who may open what); the second proves the restriction: for
everyone but the member of staff named, every page and endpoint of a restricted child's record
is a 404, whatever the role, and no list, search, drill-down or export they can still open
shows the child (neither name nor child ID in the page; the record's number not among an API
list's results)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from conferences.models import ChildProtectionPlan
from hsb import services as hsb_services
from hsb.models import HsbAssessment
from iro_service.people.models import ChildRestriction, ChildRestrictionMember
from reviews import services as reviews_services
from tests.access.matrix import (
    CHAIR_OR_IRO_ONLY,
    KEEP_RESTRICTIONS,
    MATRIX,
    NOT_ABOUT_A_CHILD,
    OPEN_TO_ANYONE,
    PAGE_ROLES,
    ROLES,
    Row,
)
from tests.factories import StaffMemberFactory
from tests.factories.county import small_county

pytestmark = pytest.mark.django_db

LEFT_OUT = ("django-admin/",)


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), (f"{namespace}{entry.name}" if entry.name else None)


def test_every_url_has_a_row():
    """Every URL of the project, pages and API routes alike (the Django admin aside), has a
    row in the matrix, and every row is a URL that exists."""
    walked = {name for route, name in _walk(get_resolver()) if route and not route.startswith(LEFT_OUT)}
    assert None not in walked, "give every URL pattern a name and a row in tests/access/matrix.py"
    assert sorted(walked - set(MATRIX)) == [], "URLs with no row in the matrix"
    assert sorted(set(MATRIX) - walked) == [], "rows for URLs that are gone"


@pytest.fixture
def other_iro_user(make_user):
    from iro_service.core.roles import Role

    user = make_user(Role.IRO, username="other-iro-persona")
    StaffMemberFactory(first_name="Owen", last_name="Other", user=user)
    return user


@pytest.fixture
def records(iro_user):
    """The small county's records, and one of each kind the API lists that the county lacks."""
    county = small_county(chair_user=iro_user)
    today = timezone.localdate()
    held = county.held_conference
    trainer = StaffMemberFactory(first_name="Tara", last_name="Trainer")
    hsb_services.hsb_training_record_add(
        staff=trainer, course="aim2", completed_on=today - timedelta(days=50)
    )
    found = {
        **vars(county),
        "episode": county.period.episodes.first(),
        "contact": reviews_services.iro_contact_record(
            child=county.child, iro=county.chair, on=today - timedelta(days=3), kind="visit"
        ),
        "permanence_plan": reviews_services.permanence_plan_record(
            period=county.period, plan_type="return_home", date_agreed=today - timedelta(days=4)
        ),
        "cp_plan": ChildProtectionPlan.objects.filter(child=county.child).first(),
        "strategy_discussion": held.strategy_discussion,
        "agency_invitation": held.invitations.first(),
        "hsb_assessment": HsbAssessment.objects.create(
            referral=county.hsb_referral,
            tool="aim2",
            date=today - timedelta(days=10),
            assessor_staff=trainer,
            outcome="low",
            age_confirmed=True,
        ),
        "training_record": trainer.hsb_training.first(),
        "alert_transition": county.alert.transitions.first(),
        "figure_key": "cic_at_end",
        # A property, not a field, so not among vars(county): whose access history is shown.
        "chair_user": county.chair_user,
    }
    missing = sorted(name for name, value in found.items() if value is None)
    assert missing == [], "records the matrix needs and the county lacks"
    return found


def _url(name: str, row: Row, records: dict) -> str:
    if row.record is None:
        url = reverse(name)
    else:
        value = records[row.record]
        url = reverse(name, args=[value if isinstance(value, str) else value.pk])
    if name.startswith("figure"):
        today = timezone.localdate()
        url += f"?start={today - timedelta(days=364)}&end={today}&keys=cic_at_end"
    return url


def _expected(name: str, row: Row, role: str) -> int:
    """The answer to ``role`` when the record is one it may reach."""
    if role in row.allowed:
        return row.status
    if role == "anonymous":
        if name in OPEN_TO_ANYONE:
            return row.status
        return 401 if row.api else 302
    if name == "login":
        return 302  # signed in already: sent home
    if role in row.hidden_from:
        return 404
    return row.refused


def _sign_in(request, client, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))


def _request(client, name: str, row: Row, records: dict):
    url = _url(name, row, records)
    if row.method == "POST":
        return url, client.post(url, {}, content_type="application/json")
    return url, client.get(url)


def _restrict_to(named_user, children) -> None:
    for child in children:
        restriction = ChildRestriction.objects.create(child=child, reason="A relative works in the service")
        ChildRestrictionMember.objects.create(restriction=restriction, staff_member=named_user.staff_member)


def _shows(response, children) -> list[str]:
    """The restricted children's names or IDs in a page or an API answer."""
    body = response.content.decode(errors="replace")
    return [what for child in children for what in (child.local_child_id, child.full_name) if what in body]


def _listed_ids(response) -> set[int]:
    data = json.loads(response.content)
    rows = data.get("results", data) if isinstance(data, dict) else data
    return {row.get("id") for row in rows if isinstance(row, dict)}


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_every_role_as_the_table_says(request, client, records, role):
    """Each URL as ``role``, first with the county as it is, then with its children's records
    restricted to another IRO: only that IRO gets the same answers; every other role, the
    children's own IRO and chair included, gets 404 from each page and endpoint of the
    children's records it could open before, and sees the children in no list."""
    _sign_in(request, client, role)
    names = [name for name, row in sorted(MATRIX.items()) if row.api or role in PAGE_ROLES]
    wrong = []
    for name in names:
        row = MATRIX[name]
        url, response = _request(client, name, row, records)
        expected = _expected(name, row, role)
        if response.status_code != expected:
            wrong.append(f"{row.method} {url} ({name}): {response.status_code}, expected {expected}")

    # Named: another IRO (covering), not the children's IRO and chair, so that the chair's own
    # lists ("My conferences", "My alerts", the home page) prove they leave the children out.
    children = [records["child"], records["child_not_in_care"]]
    _restrict_to(request.getfixturevalue("other_iro_user"), children)
    named = role == "other_iro_user"
    for name in names:
        row = MATRIX[name]
        if name == "logout":
            continue
        url, response = _request(client, name, row, records)
        expected = _expected(name, row, role)
        about_a_restricted_child = row.record not in NOT_ABOUT_A_CHILD and name not in KEEP_RESTRICTIONS
        # The role may open the URL (or, for another IRO, could but for the chair's rule, which
        # is only asked about a record they may reach).
        may_open = role in row.allowed or (name in CHAIR_OR_IRO_ONLY and role == "other_iro_user")
        if about_a_restricted_child and not named and may_open and name not in OPEN_TO_ANYONE:
            expected = 404
        if response.status_code != expected:
            wrong.append(
                f"restricted: {row.method} {url} ({name}): {response.status_code}, expected {expected}"
            )
            continue
        if named or response.status_code != 200 or name in OPEN_TO_ANYONE | KEEP_RESTRICTIONS:
            continue
        shown = _shows(response, children)
        if shown:
            wrong.append(f"restricted: {url} ({name}) shows {shown}")
        if row.api and name.endswith("-list"):
            detail = MATRIX.get(name.removesuffix("-list") + "-detail")
            hidden = detail is not None and detail.record not in NOT_ABOUT_A_CHILD
            if hidden and records[detail.record].pk in _listed_ids(response):
                wrong.append(f"restricted: {url} ({name}) lists {detail.record}")
    if wrong:
        pytest.fail(f"{len(wrong)} answers differ from the table:\n" + "\n".join(wrong), pytrace=False)
