"""The demo loader: idempotent as a whole.

The first load is the run's one load of the whole county: ``load_demo``, run into an empty,
migrated database to make the template that every test of the demo county copies
(tests/support/demo_county.py); ``demo_database.output`` is what it printed. The second load
runs here, on this worker's copy, and must change nothing."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from iro_service.people.models import Child, IroAllocation, StaffMember

pytestmark = pytest.mark.django_db


def counts():
    from conferences.models import Conference
    from reviews.models import LacReview

    return (
        Child.objects.count(),
        StaffMember.objects.count(),
        IroAllocation.objects.count(),
        get_user_model().objects.count(),
        LacReview.objects.count(),
        Conference.objects.count(),
    )


def test_loading_the_whole_demo_twice_changes_nothing_the_second_time(demo_database):
    out = StringIO(demo_database.output)
    after_first = counts()
    call_command("load_demo", "--allow-production", stdout=StringIO())
    assert counts() == after_first
    assert "manager  demo-manager-pass-2017" in out.getvalue()
    assert all(after_first)
