"""factory-boy factories and small builders for the conferences app. Synthetic people only."""

from datetime import date

import factory

from conferences.models import Conference, ConferenceChild, ConferenceType, StrategyDiscussion
from tests.factories import ChildFactory, FamilyFactory, FamilyMembershipFactory, StaffMemberFactory


class StrategyDiscussionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategyDiscussion

    family = factory.SubFactory(FamilyFactory)
    date = date(2016, 6, 1)


class ConferenceFactory(factory.django.DjangoModelFactory):
    """A booked conference row with no children: for list and query-count tests. Scenarios go
    through the services instead."""

    class Meta:
        model = Conference

    family = factory.SubFactory(FamilyFactory)
    conference_type = ConferenceType.INITIAL
    date = date(2016, 6, 20)
    chair = factory.SubFactory(StaffMemberFactory)


class ConferenceChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConferenceChild

    conference = factory.SubFactory(ConferenceFactory)
    child = factory.SubFactory(ChildFactory)
    stage = "initial"


def family_with_children(*names, start=date(2010, 1, 1), **child_fields):
    """A household with one child per name (members from ``start``), returned as
    (family, [children])."""
    family = FamilyFactory()
    children = []
    for name in names:
        child = ChildFactory(first_name=name, last_name=family.reference, **child_fields)
        FamilyMembershipFactory(family=family, child=child, start_date=start)
        children.append(child)
    return family, children
