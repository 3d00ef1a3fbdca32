"""The people app's invariants hold in the database itself, not only in forms: each test
writes straight through the ORM (no full_clean) and expects PostgreSQL to refuse."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from iro_service.people.models import Child
from tests.factories import (
    ChildFactory,
    FamilyMembershipFactory,
    IroAllocationFactory,
    StaffMemberFactory,
)

pytestmark = pytest.mark.django_db


def refused(constraint_name: str):
    return pytest.raises(IntegrityError, match=constraint_name)


def test_date_of_birth_cannot_be_in_the_future():
    tomorrow = timezone.localdate() + timedelta(days=1)
    with refused("child_born_not_in_future"), transaction.atomic():
        ChildFactory(date_of_birth=tomorrow)


def test_a_child_born_today_is_accepted():
    assert ChildFactory(date_of_birth=timezone.localdate()).pk


def test_an_unborn_child_has_an_expected_date_instead():
    unborn = ChildFactory(date_of_birth=None, expected_date_of_birth=date(2017, 6, 1))
    assert unborn.is_unborn
    with refused("child_has_birth_or_expected_date"), transaction.atomic():
        ChildFactory(date_of_birth=None, expected_date_of_birth=None)


def test_local_child_id_is_unique():
    ChildFactory(local_child_id="C1")
    with refused("local_child_id"), transaction.atomic():
        ChildFactory(local_child_id="C1")


def test_disability_none_stands_alone():
    assert ChildFactory(disabilities=["NONE"]).pk
    assert ChildFactory(disabilities=["LD", "AUT"]).pk
    with refused("child_disability_none_stands_alone"), transaction.atomic():
        ChildFactory(disabilities=["NONE", "LD"])


def test_upn_must_be_a_letter_and_twelve_characters():
    assert ChildFactory(upn="A12345678901B").pk
    with refused("child_upn_format"), transaction.atomic():
        ChildFactory(upn="12345")


def test_full_clean_reports_the_same_rules_as_field_errors():
    child = Child(
        local_child_id="X1",
        first_name="A",
        last_name="B",
        date_of_birth=None,
        expected_date_of_birth=None,
        disabilities=["NONE", "HEAR"],
    )
    with pytest.raises(Exception) as caught:
        child.full_clean()
    assert "child_has_birth_or_expected_date" in str(caught.value) or "birth" in str(caught.value)


def test_fte_must_be_above_zero_and_at_most_one():
    assert StaffMemberFactory(fte=Decimal("0.66")).pk
    with refused("staff_fte_between_0_and_1"), transaction.atomic():
        StaffMemberFactory(fte=Decimal("1.20"))
    with refused("staff_fte_between_0_and_1"), transaction.atomic():
        StaffMemberFactory(fte=Decimal("0"))


def test_staff_cannot_leave_before_starting():
    with refused("staff_left_after_starting"), transaction.atomic():
        StaffMemberFactory(start_date=date(2016, 4, 1), end_date=date(2016, 3, 31))


def test_one_current_iro_per_child():
    child = ChildFactory()
    IroAllocationFactory(child=child, start_date=date(2016, 4, 1))
    # Two open-ended allocations overlap, so the exclusion constraint refuses the second.
    with refused("iro_allocation_no_overlap"), transaction.atomic():
        IroAllocationFactory(child=child, start_date=date(2016, 9, 1))


def test_iro_allocations_for_a_child_cannot_overlap():
    child = ChildFactory()
    IroAllocationFactory(child=child, start_date=date(2016, 4, 1), end_date=date(2016, 10, 1))
    with refused("iro_allocation_no_overlap"), transaction.atomic():
        IroAllocationFactory(child=child, start_date=date(2016, 9, 1), end_date=date(2016, 12, 1))
    # The next IRO may take over on the day the last one's allocation ends.
    assert IroAllocationFactory(child=child, start_date=date(2016, 10, 1)).pk


def test_a_child_lives_in_one_household_at_a_time():
    child = ChildFactory()
    FamilyMembershipFactory(child=child, start_date=date(2015, 1, 1), end_date=date(2016, 1, 1))
    assert FamilyMembershipFactory(child=child, start_date=date(2016, 1, 1)).pk
    with refused("family_membership_one_household_at_a_time"), transaction.atomic():
        FamilyMembershipFactory(child=child, start_date=date(2016, 6, 1))
