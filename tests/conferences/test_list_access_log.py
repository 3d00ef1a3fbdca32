"""Every conference list writes the children of the conferences it shows to the access log, as
the conference's own page does: the children considered at each conference listed, once each."""

import pytest
from django.urls import reverse
from django.utils import timezone

from conferences.models import Appeal
from iro_service.audit.models import AccessChannel, AccessLog
from iro_service.people.models import Child
from tests.conferences.test_pages import build_families
from tests.factories import ChildFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(iro_user):
    """build_families: Amy and Ben's initial conference (held, record not distributed, appealed
    by a parent) and their first review booked in a week, chaired by the IRO; and Cara's
    strategy discussion, with no conference booked yet. A child outside the family is in none."""
    (family,) = build_families(1, chair=StaffMemberFactory(user=iro_user), today=timezone.localdate())
    ChildFactory(first_name="Outsider")
    return {child.first_name: child.pk for child in Child.objects.filter(family_memberships__family=family)}


@pytest.mark.parametrize(
    ("url_name", "persona", "what", "names"),
    [
        # Coming up: the first review; records overdue: the initial conference.
        ("conferences:mine", "iro_user", "Conferences: my conferences", ["Amy", "Ben"]),
        ("conferences:to-book", "support_user", "Conferences: to book", ["Cara"]),
        (
            "conferences:reports-outstanding",
            "support_user",
            "Conferences: reports outstanding",
            ["Amy", "Ben"],
        ),
        (
            "conferences:records-to-distribute",
            "support_user",
            "Conferences: records to distribute",
            ["Amy", "Ben"],
        ),
        # The parent's appeal names no child: it is about the children at the conference.
        ("conferences:appeal-list", "manager_user", "Conferences: appeals", ["Amy", "Ben"]),
    ],
)
def test_each_conference_list_logs_the_children_it_shows(
    client, request, family, url_name, persona, what, names
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get(reverse(url_name)).status_code == 200
    logged = AccessLog.objects.all()
    assert sorted(row.child_id for row in logged) == sorted(family[name] for name in names)
    assert {(row.user_id, row.channel, row.what) for row in logged} == {(user.pk, AccessChannel.WEB, what)}


def test_an_appeal_by_a_child_logs_that_child_only(client, manager_user, family):
    Appeal.objects.update(child_id=family["Amy"])
    client.force_login(manager_user)
    client.get(reverse("conferences:appeal-list"))
    assert list(AccessLog.objects.values_list("child_id", flat=True)) == [family["Amy"]]
