"""The demo county's child protection work carried on from 1 April 2017 to the day it is loaded
(the tests load it to ``demo_county.TODAY``, 30 November 2026): the three years the seed's
figures come from stay exactly as they were, a day's later load only adds to an earlier one,
and the years since look like a council's work today, with the next conferences booked."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.db.models import Count, F, Q

from conferences.demo import LAST_DAY
from conferences.demo.simulation import _Simulation
from conferences.models import (
    ChildProtectionPlan,
    Conference,
    ConferenceChild,
    ConferenceStatus,
    Section47Enquiry,
    StrategyDiscussion,
)
from iro_service.people import demo as people_demo
from iro_service.people.models import Child
from tests.support.demo_county import TODAY

pytestmark = pytest.mark.django_db


def _simulated(iros, today: date) -> _Simulation:
    simulation = _Simulation(iros=sorted(iros, key=lambda iro: iro.pk))
    simulation.run()
    simulation.continue_to(today)
    return simulation


def _as_on(simulation: _Simulation, day: date) -> list[tuple]:
    """Everything simulated, as it stood on ``day``: each child, strategy discussion, enquiry,
    conference (booked ones left out), child at a conference and plan dated by then, with only
    what was dated by then."""

    def by_then(value):
        return value if value is not None and value <= day else None

    built = simulation.built
    # A child is known to the service from their first enquiry or conference.
    known = {id(e.child) for e in built.enquiries if e.start_date <= day} | {
        id(link.child)
        for link in built.links
        if link.conference.date <= day and link.conference.status != ConferenceStatus.BOOKED
    }
    held = [c for c in built.conferences if c.date <= day and c.status != ConferenceStatus.BOOKED]
    return [
        sorted(
            (c.local_child_id, by_then(c.date_of_birth), c.expected_date_of_birth, c.sex, c.ethnicity)
            for c in built.children
            if id(c) in known
        ),
        sorted((d.family.reference, d.date) for d in built.discussions if d.date <= day),
        sorted((e.child.local_child_id, e.start_date) for e in built.enquiries if e.start_date <= day),
        sorted(
            (
                c.family.reference,
                c.date,
                c.conference_type,
                c.status,
                c.chair.pk,
                c.report_to_parents_on,
                c.report_to_chair_on,
                by_then(c.record_completed_on),
                by_then(c.record_distributed_on),
            )
            for c in held
        ),
        sorted(
            (
                link.conference.family.reference,
                link.conference.date,
                link.child.local_child_id,
                link.stage,
                link.outcome,
            )
            for link in built.links
            if link.conference.date <= day and link.conference.status != ConferenceStatus.BOOKED
        ),
        sorted(
            (
                p.child.local_child_id,
                p.start_date,
                by_then(p.end_date),
                tuple(p.categories),
                p.end_reason if by_then(p.end_date) else "",
            )
            for p in built.plans
            if p.start_date <= day
        ),
    ]


def test_the_three_years_are_as_before_and_a_later_load_only_adds_to_an_earlier_one():
    """Simulated to 31 March 2017 (as the demo was before it carried on), then carried on to the
    tests' day: the three years' records are as they were, and the three years' random stream
    is left where it was. Carried on to a fortnight before instead: what that load holds is what
    the later one held on that day."""
    context: dict = {}
    people_demo.load_demo(context=context, stdout=StringIO())
    carried_on = _simulated(context["iros"], LAST_DAY)
    assert carried_on.built.cuts  # families were still on plans on 31 March 2017
    three_years, stream = _as_on(carried_on, LAST_DAY), carried_on.rng.getstate()
    conferences = len(carried_on.built.conferences)
    carried_on.continue_to(TODAY)
    assert _as_on(carried_on, LAST_DAY) == three_years
    assert carried_on.rng.getstate() == stream
    assert len(carried_on.built.conferences) > 4 * conferences
    fortnight_before = TODAY - timedelta(days=14)
    earlier = _simulated(context["iros"], fortnight_before)
    assert _as_on(earlier, LAST_DAY) == three_years
    assert _as_on(carried_on, fortnight_before) == _as_on(earlier, fortnight_before)


def test_nothing_is_held_or_dated_after_the_day_the_demo_was_loaded(demo_database):
    conferences = Conference.objects.exclude(status=ConferenceStatus.BOOKED)
    assert not conferences.filter(Q(date__gt=TODAY) | Q(record_distributed_on__gt=TODAY)).exists()
    assert not Conference.objects.filter(status=ConferenceStatus.BOOKED, date__lte=TODAY).exists()
    assert not ChildProtectionPlan.objects.filter(Q(start_date__gt=TODAY) | Q(end_date__gt=TODAY)).exists()
    assert not StrategyDiscussion.objects.filter(date__gt=TODAY).exists()
    assert not Section47Enquiry.objects.filter(start_date__gt=TODAY).exists()
    assert not Child.objects.filter(date_of_birth__gt=TODAY).exists()
    # A child unborn on 31 March 2017 and due long since has been born, after that day.
    assert not Child.objects.filter(
        date_of_birth__isnull=True, expected_date_of_birth__lt=TODAY - timedelta(days=30)
    ).exists()
    assert Child.objects.filter(
        local_child_id__startswith="D3", expected_date_of_birth__gt=LAST_DAY, date_of_birth__gt=LAST_DAY
    ).exists()


def test_every_child_on_a_plan_has_a_review_booked_in_time(demo_database):
    """About as many children are on plans on the day as on 31 March 2017 (434); each has a
    conference booked, after the day and (a review) by the date it is due, with a chair (an
    initial conference may be booked late, as about 3% are held); some twenty conferences fall in
    any fortnight."""
    on_plan = ChildProtectionPlan.objects.open_on(TODAY)
    assert 350 <= on_plan.count() <= 550
    booked = ConferenceChild.objects.filter(conference__status=ConferenceStatus.BOOKED)
    assert set(on_plan.values_list("child", flat=True)) <= set(booked.values_list("child", flat=True))
    reviews = booked.filter(stage__in=["first_review", "review"])
    assert not reviews.filter(conference__date__gt=F("due_date")).exists()
    assert not Conference.objects.filter(status=ConferenceStatus.BOOKED, chair__isnull=True).exists()
    fortnight = Conference.objects.filter(
        status=ConferenceStatus.BOOKED, date__range=(TODAY, TODAY + timedelta(days=14))
    ).count()
    assert 15 <= fortnight <= 80


def test_every_year_since_holds_a_years_conferences_with_their_records(demo_database):
    """Each complete year since 2016-17 holds about as many conferences as 2016-17 did (907)
    with about as many children on plans at its end (434); reviews are held by their due date;
    every record is distributed but those of the last weeks."""
    for year_end in range(2018, 2026 + 1):
        year = (date(year_end - 1, 4, 1), date(year_end, 3, 31))
        held = Conference.objects.filter(status=ConferenceStatus.HELD, date__range=year)
        assert 800 <= held.count() <= 1300, year_end
        assert held.filter(record_distributed_on__isnull=True).count() == 0, year_end
        assert 350 <= ChildProtectionPlan.objects.open_on(year[1]).count() <= 550, year_end
        reviews = ConferenceChild.objects.filter(
            conference__in=held, stage__in=["first_review", "review"], due_date__isnull=False
        )
        assert not reviews.filter(conference__date__gt=F("due_date")).exists(), year_end
    outstanding = Conference.objects.filter(status=ConferenceStatus.HELD, record_distributed_on__isnull=True)
    assert outstanding.exists()
    assert not outstanding.filter(date__lt=TODAY - timedelta(days=30)).exists()


def test_families_and_children_since_are_numbered_by_their_year(demo_database):
    """A new family is CPF, the year its collection year ends and its kind and number; its
    children D5 and the same digits; a child born into a family carried on, D6 and the family's
    number: the same child the same number whichever day the demo is loaded."""
    first = (
        Conference.objects.filter(family__reference__startswith="CPF2018")
        .order_by("date")
        .select_related("family")
        .first()
    )
    assert date(2017, 4, 1) <= first.date <= date(2018, 3, 31)
    children = Child.objects.filter(family_memberships__family=first.family)
    digits = first.family.reference.removeprefix("CPF20")
    assert children and all(child.local_child_id.startswith(f"D5{digits}") for child in children)
    since = Child.objects.filter(local_child_id__regex=r"^D[56]")
    assert since.count() > 5000
    assert not since.filter(local_child_id__regex=r"^.{11,}").exists()
    # No two children share a UPN.
    assert not Child.objects.exclude(upn="").values("upn").annotate(n=Count("id")).filter(n__gt=1).exists()
