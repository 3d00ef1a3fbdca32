"""The children list writes the children it shows to the access log, as each child's page does."""

import pytest
from django.urls import reverse

from iro_service.audit.models import AccessChannel, AccessLog
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def test_the_children_list_logs_each_child_on_the_page_shown_once(client, iro_user):
    """GIVEN 27 children (25 a page, sorted by name: Child01 to Child27)
    WHEN an IRO opens the first page, then searches for Child27
    THEN the first page logs Child01 to Child25, and the search logs Child27 alone."""
    children = [ChildFactory(first_name="Test", last_name=f"Child{n:02d}") for n in range(1, 28)]
    client.force_login(iro_user)
    assert client.get(reverse("people:child-list")).status_code == 200
    logged = AccessLog.objects.filter(what="Children list")
    assert sorted(row.child_id for row in logged) == sorted(child.pk for child in children[:25])
    assert {(row.user_id, row.channel) for row in logged} == {(iro_user.pk, AccessChannel.WEB)}
    client.get(reverse("people:child-list"), {"q": "Child27"})
    assert AccessLog.objects.filter(child=children[26]).count() == 1
    assert AccessLog.objects.count() == 26


def test_an_empty_children_list_logs_nothing(client, iro_user):
    client.force_login(iro_user)
    client.get(reverse("people:child-list"), {"q": "nobody"})
    assert not AccessLog.objects.exists()
