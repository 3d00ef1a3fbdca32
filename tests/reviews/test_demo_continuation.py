"""The demo county carried on from 1 April 2017 to the day it is loaded (the tests load it to
``demo_county.TODAY``, 30 November 2026): the three years the seed's figures come from stay
exactly as they were, and the years since look like a council's work today."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.db.models import F, Q

from iro_service.people import demo as people_demo
from iro_service.timescales.dates import extra_non_working_days
from iro_service.timescales.selectors import timescale_settings
from reviews.demo import WINDOW_END, Generator
from reviews.models import Episode, IroContact, LacReview, PeriodOfCare, PermanencePlan
from tests.support.demo_county import TODAY

pytestmark = pytest.mark.django_db


def _plan(context: dict, today: date) -> Generator:
    generator = Generator(
        iros=context["iros"],
        existing_children=list(context["children"]),
        extra=extra_non_working_days(),
        settings=timescale_settings(),
    )
    generator.plan()
    generator.continue_to(today)
    return generator


def _three_years(generator: Generator) -> list[tuple]:
    """Everything planned for the three years to 31 March 2017, as the seed's figures see it:
    each child, period, episode and review, with what was dated by that day."""

    def by_then(day):
        return day if day is not None and day <= WINDOW_END else None

    rows = []
    for child in generator.children:
        for period in child.periods:
            if period.start > WINDOW_END:
                continue
            episodes = [
                (e["start_date"], by_then(e.get("end_date")), e["legal_status"], e["placement"])
                for e in period.episodes
                if e["start_date"] <= WINDOW_END
            ]
            reviews = [
                (
                    r.parts,
                    r.due,
                    r.sequence,
                    r.late_reason,
                    r.participation_code,
                    r.sw_report_received,
                    r.decisions_circulated,
                    by_then(r.record_completed),
                    by_then(r.record_distributed),
                    r.chair.pk,
                )
                for r in period.reviews
                if r.held_on <= WINDOW_END
            ]
            rows.append(
                (child.key, child.born, child.fields, period.start, by_then(period.end), episodes, reviews)
            )
    return rows


def test_the_three_years_are_planned_exactly_as_before_and_the_same_twice():
    """Planned to 31 March 2017 (as the demo was before it carried on) and to the tests' day:
    the three years' rows are the same, and their random stream is left where it was. Planned to
    the tests' day twice: the same county."""
    context: dict = {}
    people_demo.load_demo(context=context, stdout=StringIO())
    before = _plan(context, WINDOW_END)
    carried_on = _plan(context, TODAY)
    assert _three_years(carried_on) == _three_years(before)
    assert carried_on.rng.random() == before.rng.random()
    again = _plan(context, TODAY)
    assert [
        (c.key, c.born, [(p.start, p.end, [r.parts for r in p.reviews]) for p in c.periods])
        for c in again.children
    ] == [
        (c.key, c.born, [(p.start, p.end, [r.parts for r in p.reviews]) for p in c.periods])
        for c in carried_on.children
    ]
    assert len(carried_on.children) > len(before.children)


def test_nothing_is_dated_after_the_day_the_demo_was_loaded(demo_database):
    assert not PeriodOfCare.objects.filter(Q(start_date__gt=TODAY) | Q(end_date__gt=TODAY)).exists()
    assert not Episode.objects.filter(Q(start_date__gt=TODAY) | Q(end_date__gt=TODAY)).exists()
    assert not LacReview.objects.filter(
        Q(review_date__gt=TODAY) | Q(record_distributed__gt=TODAY) | Q(sw_report_received__gt=TODAY)
    ).exists()
    assert not IroContact.objects.filter(date__gt=TODAY).exists()


def test_iros_have_reviews_due_in_the_coming_weeks_and_none_overdue(demo_database):
    """Every child in care on the day has their next review ahead of them, as in a service that
    holds its reviews on time; about 600 children are in care (as on 31 March 2017), so some
    thirty reviews fall due in any fortnight."""
    in_care = PeriodOfCare.objects.filter(start_date__lte=TODAY, end_date__isnull=True)
    assert 500 <= in_care.count() <= 700
    assert not in_care.filter(next_review_due__lt=TODAY).exists()
    fortnight = in_care.filter(next_review_due__range=(TODAY, TODAY + timedelta(days=14))).count()
    assert 15 <= fortnight <= 60


def test_every_year_since_has_a_years_reviews_held_on_time_with_their_paperwork(demo_database):
    """Each complete collection year since 2016-17 holds about as many reviews as 2016-17 did
    (1,404); any held after its due date says why; records are distributed for all but the most
    recent reviews."""
    for year_end in range(2018, 2026 + 1):
        held = LacReview.objects.filter(review_date__range=(date(year_end - 1, 4, 1), date(year_end, 3, 31)))
        assert 1200 <= held.count() <= 1700, year_end
        assert not held.filter(review_date__gt=F("due_date"), late_reason="").exists()
        assert held.filter(record_distributed__isnull=True).count() == 0, year_end
    # A permanence plan by the second review, and IRO visits, in the years since too.
    assert PermanencePlan.objects.filter(date_agreed__gt=WINDOW_END).count() > 500
    assert IroContact.objects.filter(date__gt=WINDOW_END).count() > 3000


def test_children_who_came_into_care_since_are_numbered_by_their_year(demo_database):
    """D4 and the year (18 for 2017-18), then their number: the same child the same number
    whichever day the demo is loaded."""
    since = PeriodOfCare.objects.filter(start_date__gt=WINDOW_END, child__local_child_id__startswith="D4")
    assert since.count() == PeriodOfCare.objects.filter(start_date__gt=WINDOW_END).count() > 2000
    first = since.filter(child__local_child_id__startswith="D418").order_by("start_date").first()
    assert date(2017, 4, 1) <= first.start_date <= date(2018, 3, 31)
