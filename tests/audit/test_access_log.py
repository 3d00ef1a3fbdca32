"""Every view of a child's record is logged, and the log cannot be rewritten."""

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from iro_service.audit.models import AccessChannel, AccessLog
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def test_viewing_a_child_record_is_logged_with_who_what_and_when(client, iro_user):
    child = ChildFactory()
    client.force_login(iro_user)
    client.get(reverse("people:child-detail", args=[child.pk]))
    client.get(reverse("people:child-history", args=[child.pk]))

    entries = list(AccessLog.objects.filter(child=child).order_by("viewed_at", "pk"))
    assert [(e.user, e.channel, e.what) for e in entries] == [
        (iro_user, AccessChannel.WEB, "Child record: summary"),
        (iro_user, AccessChannel.WEB, "Child record: history"),
    ]
    assert entries[0].path == f"/children/{child.pk}/"
    assert entries[0].ip_address == "127.0.0.1"


def test_the_children_list_logs_the_children_it_shows_not_a_record_view(client, iro_user):
    # Issue 10: a list of names and child IDs is a view of those children too; it is logged as
    # the list, not as a view of each child's record.
    child = ChildFactory()
    client.force_login(iro_user)
    client.get(reverse("people:child-list"))
    assert list(AccessLog.objects.values_list("child_id", flat=True)) == [child.pk]
    assert "record" not in AccessLog.objects.get().what.lower()


def test_a_refused_view_is_not_a_view(client, no_role_user):
    child = ChildFactory()
    client.force_login(no_role_user)
    assert client.get(reverse("people:child-detail", args=[child.pk])).status_code == 403
    assert not AccessLog.objects.filter(child=child).exists()


def test_the_database_refuses_to_change_or_delete_log_rows(client, iro_user):
    child = ChildFactory()
    client.force_login(iro_user)
    client.get(reverse("people:child-detail", args=[child.pk]))
    entry = AccessLog.objects.get(child=child)

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLog.objects.filter(pk=entry.pk).update(what="Nothing to see")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLog.objects.filter(pk=entry.pk).delete()
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    entry.refresh_from_db()
    assert entry.what == "Child record: summary"


def test_managers_see_who_viewed_a_record_on_its_history_tab(client, iro_user, manager_user):
    child = ChildFactory()
    client.force_login(iro_user)
    client.get(reverse("people:child-detail", args=[child.pk]))
    client.force_login(manager_user)
    page = client.get(reverse("people:child-history", args=[child.pk])).content.decode()
    assert "Who has viewed this record" in page
    assert iro_user.get_full_name() in page


def test_access_log_page_filters_by_child(client, iro_user, senior_user):
    first, second = ChildFactory(local_child_id="A1"), ChildFactory(local_child_id="B2")
    client.force_login(iro_user)
    client.get(reverse("people:child-detail", args=[first.pk]))
    client.get(reverse("people:child-detail", args=[second.pk]))
    client.force_login(senior_user)
    page = client.get(reverse("audit:access-log"), {"child": "a1"}).content.decode()
    assert "A1" in page
    assert "B2" not in page
