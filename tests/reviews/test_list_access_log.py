"""Every list page of children in care writes the children it shows to the access log, as each
child's care page does: one row per child on the page shown (not the whole list), in one INSERT."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from iro_service.audit.models import AccessChannel, AccessLog
from tests.factories import ChildFactory, StaffMemberFactory
from tests.factories.reviews import review
from tests.reviews.test_pages import child_in_care

pytestmark = pytest.mark.django_db


def _logged(what: str) -> list[int]:
    rows = AccessLog.objects.filter(what=what)
    assert {row.channel for row in rows} <= {AccessChannel.WEB}
    return sorted(row.child_id for row in rows)


@pytest.fixture
def iro_member(iro_user):
    return StaffMemberFactory(user=iro_user, first_name="Helen", last_name="Ashworth")


def test_my_children_in_care_logs_the_iro_s_children_shown_and_no_others(client, iro_user, iro_member):
    """GIVEN two children in care allocated to the IRO, one allocated to another IRO and a
    child who is not in care
    WHEN the IRO opens 'My children in care' (their own children by default)
    THEN exactly the IRO's two children are logged."""
    mine = [child_in_care(iro=iro_member).child for _ in range(2)]
    child_in_care(iro=StaffMemberFactory())
    ChildFactory()
    client.force_login(iro_user)
    assert client.get(reverse("reviews:children-in-care")).status_code == 200
    assert _logged("Children in care") == sorted(child.pk for child in mine)
    assert AccessLog.objects.get(child=mine[0]).user == iro_user


def test_children_in_care_logs_only_the_page_shown(client, manager_user):
    # 27 children in care, 25 a page: page 1 logs 25 of them, page 2 the other 2.
    children = {child_in_care(start=timezone.localdate() - timedelta(days=n)).child.pk for n in range(27)}
    client.force_login(manager_user)
    client.get(reverse("reviews:children-in-care"))
    first = set(_logged("Children in care"))
    assert len(first) == 25 and first <= children
    client.get(reverse("reviews:children-in-care"), {"page": 2})
    assert set(_logged("Children in care")) == children
    assert AccessLog.objects.count() == 27


def test_reviews_to_book_logs_the_children_listed(client, support_user):
    # In care 10 days: the first review is due within 20 working days, and none is booked.
    due = [child_in_care().child for _ in range(2)]
    ChildFactory()
    client.force_login(support_user)
    assert client.get(reverse("reviews:to-book")).status_code == 200
    assert _logged("Reviews to book") == sorted(child.pk for child in due)


def test_records_to_distribute_logs_the_children_listed(client, support_user):
    today = timezone.localdate()
    with_record = child_in_care(start=today - timedelta(days=40)).child
    review(child=with_record, parts=today - timedelta(days=1), record_completed=today)
    child_in_care()  # in care, no review yet: nothing to distribute
    client.force_login(support_user)
    assert client.get(reverse("reviews:records-to-distribute")).status_code == 200
    assert _logged("Review records to distribute") == [with_record.pk]


def test_the_iros_reminders_on_the_home_page_log_the_children_listed(client, iro_user, iro_member):
    # In care 60 days with no review: the first review (20 working days) is overdue.
    overdue = child_in_care(iro=iro_member, start=timezone.localdate() - timedelta(days=60)).child
    child_in_care(iro=StaffMemberFactory(), start=timezone.localdate() - timedelta(days=60))
    client.force_login(iro_user)
    response = client.get(reverse("home"))
    assert overdue.full_name in response.content.decode()
    assert _logged("Home: reminders") == [overdue.pk]
