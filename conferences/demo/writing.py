"""The writing: the cached due dates, the rows written in bulk, the appeals, and the figures
the demo produced (``demo_figures``), printed by ``load_demo``.
"""

from __future__ import annotations

import bisect
import random
from collections import Counter, defaultdict
from datetime import date
from zlib import crc32

from django.apps import apps
from django.db.models import F, Q
from simple_history.utils import bulk_create_with_history

from conferences.demo._common import Built
from conferences.demo.parameters import APPEALS, FAMILY_PREFIX, LAST_DAY
from conferences.demo.simulation import _Simulation
from conferences.due_dates import child_stage_due_date, conference_due_values, plan_next_review
from conferences.models import (
    INITIAL_TYPES,
    AgencyInvitation,
    Appeal,
    ChildProtectionPlan,
    Conference,
    ConferenceChild,
    ConferenceStatus,
    ConferenceType,
    Section47Enquiry,
    StrategyDiscussion,
)
from iro_service.core.db import analyze
from iro_service.people.codes import WHITE_ETHNICITIES
from iro_service.people.models import Child, Family, FamilyMembership, StaffMember
from iro_service.timescales.dates import add_working_days, extra_non_working_days
from iro_service.timescales.selectors import timescale_settings


def _due_dates(built: Built) -> None:
    """Fill the cached due dates, and when each open plan is next due a review, before the rows
    are written, the way the refresh service derives them (same functions), so that the history
    rows carry them too."""
    settings_row = timescale_settings()
    extra = extra_non_working_days()
    held: dict[int, list[date]] = defaultdict(list)
    links_by_conference = defaultdict(list)
    for link in built.links:
        links_by_conference[id(link.conference)].append(link)
        if link.conference.status == ConferenceStatus.HELD:
            held[id(link.child)].append(link.conference.date)
    for dates in held.values():
        dates.sort()
    for conference in built.conferences:
        child_dues = []
        for link in links_by_conference[id(conference)]:
            dates = held.get(id(link.child), [])
            index = bisect.bisect_left(dates, conference.date)
            link.due_date = child_stage_due_date(
                conference=conference,
                stage=link.stage,
                child=link.child,
                previous_held=dates[index - 1] if index else None,
                settings_row=settings_row,
                extra=extra,
            )
            if link.due_date is not None:
                child_dues.append(link.due_date)
        values = conference_due_values(
            conference=conference, child_dues=child_dues, settings_row=settings_row, extra=extra
        )
        for name, value in values.items():
            setattr(conference, name, value)
    for plan in built.plans:
        if plan.end_date is None:
            dates = held.get(id(plan.child))
            plan.next_review_counted_from, plan.next_review_due = plan_next_review(
                start_date=plan.start_date, last_held=dates[-1] if dates else None
            )


# The factors an assessment identified, from the category of the plan it led to (the DfE's codes:
# neglect, emotional, physical and sexual abuse by an adult), and a parent's or carer's.
CATEGORY_FACTORS = {"NEG": "16A", "EMO": "17A", "PHY": "18C", "SAB": "19C"}
PARENT_FACTORS = ("3B", "4B", "2B", "1B", "")


def _assessments(built: Built, today: date) -> None:
    """Each section 47 enquiry's assessment: started with the enquiry, authorised a few working
    days after the initial conference it led to (or some weeks after the start when none was
    held), within 45 working days of the start, and not after ``today``; its factors from the
    plan's categories and a parent's. Worked out from the enquiry alone, with no random draw,
    so that adding them moves nothing else the demo draws."""
    initial = {}
    for link in built.links:
        conference = link.conference
        if conference.status == ConferenceStatus.HELD and conference.strategy_discussion is not None:
            key = (id(conference.strategy_discussion), id(link.child))
            initial[key] = min(initial.get(key, conference.date), conference.date)
    plans = defaultdict(list)
    for plan in built.plans:
        plans[(id(plan.child), plan.start_date)].append(plan)
    for enquiry in built.enquiries:
        pick = crc32(f"{enquiry.child.local_child_id}:{enquiry.start_date}".encode())
        held = initial.get((id(enquiry.strategy_discussion), id(enquiry.child)))
        latest = add_working_days(enquiry.start_date, 45)
        if held is not None:
            authorised = min(add_working_days(held, 3 + pick % 18), latest)
        else:
            authorised = add_working_days(enquiry.start_date, 25 + pick % 20)
        enquiry.assessment_started_on = enquiry.start_date
        if authorised > today:
            continue
        enquiry.assessment_authorised_on = authorised
        categories = [c for plan in plans.get((id(enquiry.child), held), []) for c in plan.categories]
        parent = PARENT_FACTORS[pick // 18 % len(PARENT_FACTORS)]
        factors = [CATEGORY_FACTORS[c] for c in categories if c in CATEGORY_FACTORS] + [parent]
        enquiry.assessment_factors = sorted({code for code in factors if code}) or ["3B"]


def _write(built: Built, today: date) -> None:
    bulk_create_with_history(built.families, Family, batch_size=500)
    bulk_create_with_history(built.children, Child, batch_size=500)
    for row in built.memberships:
        row.family_id, row.child_id = row.family.pk, row.child.pk
    bulk_create_with_history(built.memberships, FamilyMembership, batch_size=500)
    for row in built.discussions:
        row.family_id = row.family.pk
    bulk_create_with_history(built.discussions, StrategyDiscussion, batch_size=500)
    _assessments(built, today)
    for row in built.enquiries:
        row.strategy_discussion_id, row.child_id = row.strategy_discussion.pk, row.child.pk
    bulk_create_with_history(built.enquiries, Section47Enquiry, batch_size=500)
    _due_dates(built)
    for row in built.conferences:
        row.family_id = row.family.pk
        row.strategy_discussion_id = row.strategy_discussion.pk if row.strategy_discussion else None
    bulk_create_with_history(built.conferences, Conference, batch_size=500)
    for stood_down, held in built.rearranged:
        stood_down.rearranged_as_id = held.pk
    Conference.objects.bulk_update([s for s, _ in built.rearranged], ["rearranged_as"], batch_size=500)
    for row in built.links:
        row.conference_id, row.child_id = row.conference.pk, row.child.pk
    bulk_create_with_history(built.links, ConferenceChild, batch_size=1000)
    for row in built.invitations:
        row.conference_id = row.conference.pk
    bulk_create_with_history(built.invitations, AgencyInvitation, batch_size=1000)
    for row in built.plans:
        row.child_id = row.child.pk
        row.start_conference_id = row.start_conference.pk
        row.end_conference_id = row.end_conference.pk if row.end_conference else None
    bulk_create_with_history(built.plans, ChildProtectionPlan, batch_size=500)


def _appeals(rng: random.Random) -> list[Appeal]:
    appeals = []
    for year, rows in APPEALS.items():
        held = list(
            ConferenceChild.objects.filter(
                conference__status=ConferenceStatus.HELD,
                conference__date__range=(date(year, 4, 1), date(year + 1, 2, 28)),
                conference__family__reference__startswith=FAMILY_PREFIX,
                outcome__in=["plan_started", "plan_continued"],
                child__date_of_birth__lte=date(year - 11, 4, 1),
            )
            .select_related("conference")
            .order_by("pk")
        )
        for appellant, stage, outcome, count in rows:
            for link in rng.sample(held, count):
                received = add_working_days(link.conference.date, rng.randrange(3, 15))
                appeals.append(
                    Appeal(
                        conference=link.conference,
                        child=link.child if appellant == "young_person" else None,
                        appellant=appellant,
                        received_on=received,
                        stage=stage,
                        outcome=outcome,
                        response_sent_on=None
                        if outcome == "withdrawn"
                        else add_working_days(received, rng.randrange(5, 20)),
                        summary="Appeal against the decision to make the child subject of a plan"
                        if appellant != "professional"
                        else "Complaint about the chair's handling of part of the conference",
                    )
                )
    return appeals


def demo_figures() -> dict:
    """What the demo produced, measured the way the annual report measures it (seed 6.1-6.14)."""
    year = (date(2016, 4, 1), LAST_DAY)
    demo = Conference.objects.filter(family__reference__startswith=FAMILY_PREFIX)
    held = demo.filter(status=ConferenceStatus.HELD, date__range=year)
    labels = dict(ConferenceType.choices)
    by_type = Counter(held.values_list("conference_type", flat=True))
    initial = held.filter(conference_type__in=INITIAL_TYPES)
    review = held.exclude(conference_type__in=INITIAL_TYPES)

    def pct(part, whole):
        return round(100 * part / whole, 1) if whole else 0.0

    plans = ChildProtectionPlan.objects.filter(child__local_child_id__startswith="D3")
    open_2017 = list(plans.open_on(LAST_DAY).select_related("child"))
    bands = Counter()
    for plan in open_2017:
        age = plan.child.age_on(LAST_DAY)
        bands[
            "unborn"
            if age is None
            else "0-4"
            if age <= 4
            else "5-9"
            if age <= 9
            else "10-15"
            if age <= 15
            else "16+"
        ] += 1
    started = plans.with_repeat_facts().filter(start_date__range=year)
    return {
        "held 2016-17 by type": {labels[kind]: by_type.get(kind, 0) for kind in ConferenceType.values},
        "held 2016-17": held.count(),
        "stood down 2016-17": demo.filter(status=ConferenceStatus.STOOD_DOWN, date__range=year).count(),
        "on plans 31 Mar 2016": plans.open_on(date(2016, 3, 31)).count(),
        "on plans 31 Mar 2017": len(open_2017),
        # Every initial type against its own due date: a quick check of the generator, not the
        # seed's ICPC measure (receiving-in and pre-birth left out, per child), which the figures
        # service computes (`manage.py figures --keys icpc_on_time`: 96.4% for 2016-17).
        "initial conferences of every type by their due date %": pct(
            initial.filter(date__lte=F("due_date")).count(), initial.count()
        ),
        "RCPC in time %": pct(review.filter(date__lte=F("due_date")).count(), review.count()),
        "repeat plans %": pct(started.filter(is_repeat=True).count(), started.count()),
        "parents' report in time % (initial)": pct(
            initial.filter(report_to_parents_on__lte=F("parent_report_due")).count(), initial.count()
        ),
        "parents' report in time % (review)": pct(
            review.filter(report_to_parents_on__lte=F("parent_report_due")).count(), review.count()
        ),
        "age bands 31 Mar 2017 %": {band: pct(n, len(open_2017)) for band, n in sorted(bands.items())},
        "White %": pct(sum(1 for p in open_2017 if p.child.ethnicity in WHITE_ETHNICITIES), len(open_2017)),
        "appeals 2016-17": Counter(
            Appeal.objects.filter(conference__in=demo, received_on__range=year).values_list(
                "appellant", "outcome"
            )
        ),
    }


def load_demo(*, context: dict, stdout) -> None:
    if not Conference.objects.filter(family__reference__startswith=FAMILY_PREFIX).exists():
        iros = context.get("iros") or list(StaffMember.objects.iros().filter(Q(end_date__isnull=True)))
        simulation = _Simulation(iros=sorted(iros, key=lambda iro: iro.pk))
        simulation.run()
        today = context.get("today", LAST_DAY)
        simulation.continue_to(today)
        _write(simulation.built, today)
        bulk_create_with_history(_appeals(simulation.rng), Appeal, batch_size=500)
        # Fresh planner statistics after a bulk load: without them PostgreSQL guesses one row
        # per table and the figures' per-child subqueries scan every conference.
        analyze(*apps.get_app_config("conferences").get_models(), Child, Family, FamilyMembership)
    figures = demo_figures()
    stdout.write("Conferences (demo, 2016-17):")
    for name, value in figures.items():
        stdout.write(f"  {name}: {value}")
