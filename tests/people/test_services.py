"""IRO allocation and child updates through the people services."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from iro_service.core.versioning import StaleRecordError
from iro_service.people.codes import JobRole
from iro_service.people.models import IroAllocation
from iro_service.people.selectors import current_iro
from iro_service.people.services import child_create, child_update, iro_allocate
from tests.factories import ChildFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db


def test_reallocation_ends_the_current_allocation_on_the_day_the_new_iro_starts(manager_user):
    """GIVEN a child whose IRO has been Ann since 1 April 2016
    WHEN a manager makes Ben the IRO from 1 October 2016
    THEN Ann's allocation ends on 1 October, Ben's starts then, and the reason is kept."""
    child = ChildFactory()
    ann, ben = StaffMemberFactory(first_name="Ann"), StaffMemberFactory(first_name="Ben")
    iro_allocate(child=child, iro=ann, start_date=date(2016, 4, 1))
    iro_allocate(child=child, iro=ben, start_date=date(2016, 10, 1), reason="Ann retired", by=manager_user)

    allocations = list(IroAllocation.objects.filter(child=child).order_by("start_date"))
    assert [(a.iro, a.start_date, a.end_date) for a in allocations] == [
        (ann, date(2016, 4, 1), date(2016, 10, 1)),
        (ben, date(2016, 10, 1), None),
    ]
    assert allocations[1].reason == "Ann retired"
    assert allocations[1].allocated_by == manager_user
    assert current_iro(child=child) == ben
    assert current_iro(child=child, on=date(2016, 9, 30)) == ann
    assert current_iro(child=child, on=date(2016, 10, 1)) == ben


def test_reallocation_must_start_after_the_current_one():
    child = ChildFactory()
    iro_allocate(child=child, iro=StaffMemberFactory(), start_date=date(2016, 4, 1))
    with pytest.raises(ValidationError) as caught:
        iro_allocate(child=child, iro=StaffMemberFactory(), start_date=date(2016, 4, 1))
    assert "start_date" in caught.value.message_dict
    assert IroAllocation.objects.filter(child=child).count() == 1


def test_only_an_iro_can_be_allocated():
    social_worker = StaffMemberFactory(job_role=JobRole.SOCIAL_WORKER)
    with pytest.raises(ValidationError) as caught:
        iro_allocate(child=ChildFactory(), iro=social_worker, start_date=date(2016, 4, 1))
    assert "not an IRO" in caught.value.message_dict["iro"][0]


def test_an_iro_who_has_left_cannot_be_allocated():
    gone = StaffMemberFactory(start_date=date(2010, 1, 1), end_date=date(2016, 3, 31))
    with pytest.raises(ValidationError, match="left the service"):
        iro_allocate(child=ChildFactory(), iro=gone, start_date=date(2016, 4, 1))


def test_child_create_validates_before_writing():
    with pytest.raises(ValidationError) as caught:
        child_create(
            local_child_id="Z1", first_name="Amy", last_name="Smith", date_of_birth=date(2010, 1, 1), sex="X"
        )
    assert "sex" in caught.value.message_dict


def test_a_stale_edit_is_refused_and_changes_nothing():
    """GIVEN two people open the same child's details
    WHEN the first saves and the second saves from the older version
    THEN the second save is refused with a message and the first person's change stands."""
    child = ChildFactory(first_name="Amy")
    opened_at = child.updated_at
    child_update(child=child, changes={"first_name": "Aimee"}, seen_updated_at=opened_at)
    with pytest.raises(StaleRecordError, match="Someone else changed"):
        child_update(child=child, changes={"first_name": "Amelia"}, seen_updated_at=opened_at)
    child.refresh_from_db()
    assert child.first_name == "Aimee"
