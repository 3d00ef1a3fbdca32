"""The writing: ``load_demo``, the rows written in bulk with the cached due dates of
``reviews.due_dates`` (``_write``), and the summary of the figures produced (``_report``).
"""

from __future__ import annotations

import time
from datetime import date, timedelta

from django.apps import apps
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from iro_service.core.db import analyze
from iro_service.people.demo import demo_return_fields
from iro_service.people.models import Child, IroAllocation
from iro_service.timescales.dates import collection_year, extra_non_working_days
from iro_service.timescales.selectors import timescale_settings
from reviews.codes import ContactKind, PermanencePlanType
from reviews.demo._common import _stream, _weighted, _working_day_on_or_before
from reviews.demo.parameters import GUARDIANS, PARAMETERS, WINDOW_END, WINDOW_START
from reviews.demo.return_fields import episodes_for_the_return
from reviews.demo.simulation import Generator
from reviews.due_dates import period_due_dates
from reviews.models import (
    CafcassInvolvement,
    Episode,
    IroContact,
    LacReview,
    LegalAdviceReferral,
    PeriodOfCare,
    PermanencePlan,
    ReviewPart,
)


def _report(generator: Generator) -> list[str]:
    """The figures the generator produced, for tuning against seed-figures.md."""
    lines = []
    periods = [period for child in generator.children for period in child.periods]
    open_at_end = sum(1 for period in periods if _in_care_on(period, WINDOW_END))
    lines.append(f"  periods of care {len(periods)}, children in care on 31 March 2017: {open_at_end}")
    rows = generator._all_reviews()
    if generator.until > WINDOW_END:
        since = sum(1 for _c, _p, planned in rows if planned.held_on > WINDOW_END)
        now = sum(1 for period in periods if _in_care_on(period, generator.until))
        lines.append(
            f"  continued to {generator.until:%d %B %Y}: {since} reviews held since 1 April 2017, "
            f"children in care on that day: {now}"
        )
    for year in (2015, 2016, 2017):
        held = [planned for _c, _p, planned in rows if collection_year(planned.held_on) == year]
        late = sum(1 for planned in held if planned.held_on > planned.due)
        two_part = sum(1 for planned in held if len(planned.parts) > 1)
        aged = [planned for planned in held if planned.participation_code != "PN0"]
        took_part = sum(1 for planned in aged if planned.participation_code != "PN7")
        sw_on_time = sum(1 for planned in held if planned.sw_report_received <= planned.paperwork.sw_report)
        lines.append(
            f"  {year - 1}-{str(year)[2:]}: reviews {len(held)}, late {late}, two-part {two_part}, "
            f"participation {100 * took_part / max(len(aged), 1):.1f}%, "
            f"SW reports on time {100 * sw_on_time / max(len(held), 1):.1f}%"
        )
    backlog = []
    for month_end in sorted(PARAMETERS["records_out_of_timescale"]):
        if month_end < date(2016, 9, 1):
            continue
        count = sum(
            1
            for _c, _p, planned in rows
            if planned.record_due < month_end
            and (planned.record_distributed is None or planned.record_distributed > month_end)
        )
        backlog.append(f"{month_end:%b %Y} {count}")
    lines.append("  records out of timescale at month ends: " + ", ".join(backlog))
    return lines


def _in_care_on(period, day: date) -> bool:
    return period.start <= day and (period.end is None or period.end > day)


def load_demo(*, context: dict, stdout) -> None:
    """The demo's three years to 31 March 2017, carried on to ``context["today"]`` (the day the
    demo is loaded, unless the command was told another)."""
    started = time.monotonic()
    existing = list(context.get("children", []))
    if PeriodOfCare.objects.filter(child__local_child_id__startswith="D").exists():
        stdout.write("Children in care: already loaded.")
        return
    settings = timescale_settings()
    generator = Generator(
        iros=context["iros"],
        existing_children=existing,
        extra=extra_non_working_days(),
        settings=settings,
    )
    generator.plan()
    generator.continue_to(context.get("today") or timezone.localdate())
    _write(generator)
    # Fresh planner statistics after a bulk load (see analyze): the tests that load the demo
    # county query it inside the same transaction, long before autovacuum would look.
    analyze(*apps.get_app_config("reviews").get_models(), Child, IroAllocation)
    stdout.write(
        f"Children in care: {len(generator.children)} children, "
        f"{sum(len(p.reviews) for c in generator.children for p in c.periods)} reviews "
        f"in {time.monotonic() - started:.1f} s."
    )
    for line in _report(generator):
        stdout.write(line)


def _write(generator: Generator) -> None:
    rng = generator.rng
    new_children = [planned for planned in generator.children if planned.existing is None]
    children = bulk_create_with_history(
        [
            Child(
                local_child_id=planned.key,
                date_of_birth=planned.born,
                **planned.fields,
                **demo_return_fields(key=planned.key, sex=planned.fields["sex"], born=planned.born),
            )
            for planned in new_children
        ],
        Child,
    )
    by_key = {child.local_child_id: child for child in Child.objects.filter(local_child_id__startswith="D")}
    del children
    allocations = []
    for planned in new_children:
        for iro, start, end, reason in planned.allocations:
            allocations.append(
                IroAllocation(
                    child=by_key[planned.key], iro=iro, start_date=start, end_date=end, reason=reason
                )
            )
    bulk_create_with_history(allocations, IroAllocation)

    all_periods = [(planned, period) for planned in generator.children for period in planned.periods]
    # The cached dates come from the same rule the refresh service and the importer use.
    dues = {
        id(period): period_due_dates(
            period_start=period.start,
            period_open=period.end is None,
            legal_statuses=[episode["legal_status"] for episode in period.episodes],
            review_dates=[item.held_on for item in period.reviews],
            settings=generator.settings,
            extra=generator.extra,
            paperwork=generator.paperwork_on,
        )
        for _, period in all_periods
    }
    period_rows = [
        PeriodOfCare(
            child=by_key[planned.key],
            start_date=period.start,
            end_date=period.end,
            **dues[id(period)].as_fields(),
        )
        for planned, period in all_periods
    ]
    bulk_create_with_history(period_rows, PeriodOfCare)
    saved_periods = {
        (row.child_id, row.start_date): row
        for row in PeriodOfCare.objects.filter(child__local_child_id__startswith="D")
    }
    episodes, reviews, plans, contacts, guardians = [], [], [], [], []
    review_parts: list[tuple[LacReview, list[date]]] = []
    for planned, period in all_periods:
        child = by_key[planned.key]
        row = saved_periods[(child.pk, period.start)]
        comes_back = period is not planned.periods[-1]
        for episode in episodes_for_the_return(
            planned.key, period.episodes, born=planned.born, until=generator.until, comes_back=comes_back
        ):
            episodes.append(Episode(period=row, **episode))
        for item, due in zip(period.reviews, dues[id(period)].reviews, strict=True):
            review = LacReview(
                child=child,
                period=row,
                review_date=item.held_on,
                chair=item.chair,
                participation_code=item.participation_code,
                sw_report_received=item.sw_report_received,
                decisions_circulated=item.decisions_circulated,
                record_completed=item.record_completed,
                record_distributed=item.record_distributed,
                late_reason=item.late_reason,
                **due.as_fields(),
            )
            reviews.append(review)
            review_parts.append((review, item.parts))
        if period.start > WINDOW_END:
            # What is drawn below for the three years is drawn for the years after by
            # ``_write_after``, from a stream of its own: the three years' rows stay as they were.
            continue
        if _held_by(period, WINDOW_END) >= 2:
            plans.append(_permanence_plan(rng, row, period))
        if period.episodes[0]["legal_status"] == "C1":
            guardians += _guardian(rng, child, period, until=WINDOW_END)
        contacts += _visits(
            rng,
            child=child,
            iro=planned.allocations[-1][0],
            after=max(period.start, WINDOW_START),
            until=min(period.end or WINDOW_END, WINDOW_END),
            extra=generator.extra,
        )
    bulk_create_with_history(episodes, Episode)
    bulk_create_with_history(reviews, LacReview)
    saved_reviews = {
        (review.period_id, review.review_date): review
        for review in LacReview.objects.filter(child__local_child_id__startswith="D")
    }
    parts = []
    for review, dates in review_parts:
        saved = saved_reviews[(review.period.pk, review.review_date)]
        for number, day in enumerate(dates, start=1):
            parts.append(ReviewPart(review=saved, part_number=number, date=day))
    bulk_create_with_history(parts, ReviewPart)
    _write_after(generator, all_periods, by_key, saved_periods, plans, contacts, guardians)
    bulk_create_with_history(plans, PermanencePlan)
    bulk_create_with_history(contacts, IroContact)
    bulk_create_with_history(guardians, CafcassInvolvement)
    open_children = sorted(
        {by_key[planned.key].pk for planned, period in all_periods if _in_care_on(period, WINDOW_END)}
    )
    referrals = [
        LegalAdviceReferral(
            child_id=child_id,
            date_referred=date(2016, 5, 3) + timedelta(days=41 * index),
            reason="The plan for the child is drifting and their wishes are not being met.",
            outcome="Solicitor instructed" if index % 2 else "",
        )
        for index, child_id in enumerate(rng.sample(open_children, PARAMETERS["legal_advice_referrals"]))
    ]
    bulk_create_with_history(referrals, LegalAdviceReferral)


def _held_by(period, day: date) -> int:
    return sum(1 for planned in period.reviews if planned.held_on <= day)


def _write_after(
    generator: Generator, all_periods, by_key, saved_periods, plans, contacts, guardians
) -> None:
    """The permanence plans, Children's Guardians and IRO visits of the years after the demo's
    three (``continuation``), drawn as ``_write`` draws them for the three years."""
    today = generator.until
    if today <= WINDOW_END:
        return
    rng = _stream("written after", WINDOW_END)
    for planned, period in all_periods:
        if period.end is not None and period.end <= WINDOW_END:
            continue
        child = by_key[planned.key]
        row = saved_periods[(child.pk, period.start)]
        if _held_by(period, WINDOW_END) < 2 <= len(period.reviews):
            plans.append(_permanence_plan(rng, row, period))
        if period.start > WINDOW_END and period.episodes[0]["legal_status"] == "C1":
            guardians += _guardian(rng, child, period, until=today)
        contacts += _visits(
            rng,
            child=child,
            iro=planned.allocations[-1][0],
            after=max(period.start, WINDOW_END),
            until=min(period.end or today, today),
            extra=generator.extra,
        )


def _permanence_plan(rng, row: PeriodOfCare, period) -> PermanencePlan:
    """Agreed at the second review."""
    plan_type = _weighted(rng, [(choice, 1) for choice in PermanencePlanType.values])
    return PermanencePlan(period=row, plan_type=plan_type, date_agreed=period.reviews[1].held_on)


def _guardian(rng, child: Child, period, *, until: date) -> list[CafcassInvolvement]:
    """A Children's Guardian for care proceedings (an interim care order), appointed within
    days and handed over when the proceedings end, if they ended by ``until``."""
    appointed = period.start + timedelta(days=rng.randrange(1, 10))
    ended = appointed + timedelta(days=rng.randrange(120, 200))
    if ended > until:
        return []
    guardian = rng.choice(GUARDIANS)
    return [
        CafcassInvolvement(
            child=child, guardian_name=guardian, start_date=appointed, end_date=ended, handover_date=ended
        )
    ]


def _visits(rng, *, child: Child, iro, after: date, until: date, extra) -> list[IroContact]:
    """The IRO's visits, calls and video calls between reviews, about once a year."""
    contacts = []
    visit_day = after + timedelta(days=rng.randrange(20, 200))
    while visit_day < until:
        day = _working_day_on_or_before(visit_day, extra)
        kind = _weighted(rng, [(ContactKind.VISIT, 5), (ContactKind.PHONE, 3), (ContactKind.VIDEO, 1)])
        contacts.append(IroContact(child=child, iro=iro, date=day, kind=kind))
        every = int(365 / PARAMETERS["visits_per_child_year"])
        visit_day += timedelta(days=every + rng.randrange(-40, 40))
    return contacts
