"""The people of the demo county (seed section 4.2), from the people loader alone into an empty
database. The whole county's loader is tested in test_load_demo.py."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Sum

from iro_service.people import demo as people_demo
from iro_service.people.models import Child, StaffMember

pytestmark = pytest.mark.django_db


def load_people():
    context: dict = {}
    people_demo.load_demo(context=context, stdout=StringIO())
    return context


def test_the_iro_service_on_31_march_2017_matches_the_seed():
    """Seed 4.2: 12.66 FTE from 14 IROs, 12 permanent and 2 agency. (10 full-time IROs give
    10.00; 0.80 + 0.60 + 0.66 + 0.60 give 2.66; the IRO who left in September is excluded.)"""
    load_people()
    in_post = StaffMember.objects.iros().in_post(date(2017, 3, 31))
    assert in_post.count() == 14
    assert in_post.aggregate(total=Sum("fte"))["total"] == Decimal("12.66")
    assert in_post.filter(employment="permanent").count() == 12
    assert in_post.filter(employment="agency").count() == 2


def test_every_demo_role_has_a_user_and_each_child_an_iro():
    context = load_people()
    users = get_user_model().objects.prefetch_related("groups")
    roles = {user.username: [g.name for g in user.groups.all()] for user in users}
    assert roles == {
        "iro": ["IRO"],
        "manager": ["IRO manager"],
        "support": ["Business support"],
        "senior": ["Senior manager"],
        "api": ["API client"],
    }
    for child in context["children"][:10]:
        assert child.iro_allocations.filter(end_date__isnull=True).count() == 1


def test_demo_children_are_deterministic():
    load_people()
    fields = ("local_child_id", "first_name", "last_name", "date_of_birth")
    first = list(Child.objects.order_by("local_child_id").values_list(*fields)[:5])
    Child.objects.all().delete()
    load_people()
    assert list(Child.objects.order_by("local_child_id").values_list(*fields)[:5]) == first
