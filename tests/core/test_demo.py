"""The demo loader: idempotent, and the IRO service of seed section 4.2."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Sum

from iro_service.people.models import Child, IroAllocation, StaffMember

pytestmark = pytest.mark.django_db


def load():
    out = StringIO()
    call_command("load_demo", "--allow-production", stdout=out)
    return out.getvalue()


def counts():
    return (
        Child.objects.count(),
        StaffMember.objects.count(),
        IroAllocation.objects.count(),
        get_user_model().objects.count(),
    )


def test_loading_twice_changes_nothing_the_second_time():
    first = load()
    after_first = counts()
    load()
    assert counts() == after_first
    assert "manager" in first and "demo-manager-pass-2017" in first


def test_the_iro_service_on_31_march_2017_matches_the_seed():
    """Seed 4.2: 12.66 FTE from 14 IROs, 12 permanent and 2 agency. (10 full-time IROs give
    10.00; 0.80 + 0.60 + 0.66 + 0.60 give 2.66; the IRO who left in September is excluded.)"""
    load()
    in_post = StaffMember.objects.iros().in_post(date(2017, 3, 31))
    assert in_post.count() == 14
    assert in_post.aggregate(total=Sum("fte"))["total"] == Decimal("12.66")
    assert in_post.filter(employment="permanent").count() == 12
    assert in_post.filter(employment="agency").count() == 2


def test_every_demo_role_has_a_user_and_a_child_has_an_iro():
    load()
    users = get_user_model().objects.prefetch_related("groups")
    roles = {user.username: [g.name for g in user.groups.all()] for user in users}
    assert roles == {
        "iro": ["IRO"],
        "manager": ["IRO manager"],
        "support": ["Business support"],
        "senior": ["Senior manager"],
        "api": ["API client"],
    }
    child = Child.objects.order_by("local_child_id").first()
    assert child.iro_allocations.filter(end_date__isnull=True).count() == 1


def test_demo_children_are_deterministic():
    load()
    first = list(
        Child.objects.order_by("local_child_id").values_list("first_name", "last_name", "date_of_birth")[:5]
    )
    Child.objects.all().delete()
    load()
    again = list(
        Child.objects.order_by("local_child_id").values_list("first_name", "last_name", "date_of_birth")[:5]
    )
    assert first == again
