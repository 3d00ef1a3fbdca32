"""LAchildID must be a child ID in the DfE's format (up to 10 letters or digits) on the way in."""

import pytest

from conferences.models import ChildProtectionPlan
from iro_service.people.models import Child
from tests.conferences.test_cin_census import child_xml, message, rejected

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("child_id", ["=1+1", "@SUM(A1)", "+X1", "A12345678901"])
def test_a_child_id_that_is_not_letters_and_digits_is_rejected_and_nothing_written(child_id):
    problems = rejected(message(child_xml("GOOD1"), child_xml(child_id)), name="census.xml").problems
    assert [(p.file, p.where, p.field) for p in problems] == [("census.xml", "Child 2", "LAchildID")]
    assert "not a child ID: a child ID is 1 to 10 letters or digits" in problems[0].message
    assert (Child.objects.count(), ChildProtectionPlan.objects.count()) == (0, 0)
