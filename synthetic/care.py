"""A child's periods of care: episodes, IRO allocations, reviews with their parts and paperwork,
meetings, contacts, permanence plans, Cafcass and legal advice. The cached due dates come from
``reviews.due_dates.period_due_dates``, the rule the refresh service and the SSDA903 import use."""

from __future__ import annotations

from datetime import date, timedelta

from iro_service.people.models import IroAllocation
from iro_service.timescales.dates import collection_year
from reviews.code_lists import code_valid
from reviews.codes import ContactKind, MeetingStatus, ParticipationCode, PermanencePlanType
from reviews.due_dates import REVIEW_DUE_FIELDS, participation_age_mismatch, period_due_dates
from reviews.models import (
    CafcassInvolvement,
    Episode,
    IroContact,
    LacReview,
    LegalAdviceReferral,
    PeriodOfCare,
    PermanencePlan,
    ReviewMeeting,
    ReviewPart,
)
from synthetic.presets import LAST_DAY

# The code lists drawn from, as tuples once: ``.values`` builds a new list at each call.
_CONTACT_KIND_CODES = tuple(ContactKind.values)
_PERMANENCE_PLAN_TYPE_CODES = tuple(PermanencePlanType.values)

LEGAL_STATUSES = ("C2", "C2", "C2", "V2", "E1", "J2", "L2", "C1")
SHORT_BREAKS = "V3"
NEEDS = ("N1", "N1", "N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8")
PLACEMENTS = ("U1", "U3", "U4", "U4", "U5", "U6", "K2", "R1", "P1", "H5", "Z1")
# A placement code the DfE has ended becomes the code its rule 503D (csc-validator-be-903) lets
# an open episode move to across the year it ended: semi-independent living (H5) became
# supported accommodation (K3) in 2025-26, and other placements (Z1) were divided into Z11 to
# Z14. Replacing the code, rather than choosing again, keeps every other random choice as it was.
PLACEMENT_REPLACED_BY = {"H5": "K3", "Z1": "Z11"}
PROVIDERS = ("PR1", "PR2", "PR4", "PR5")
NEW_EPISODE = ("P", "P", "L", "T", "U", "B")
LEAVING = ("E11", "E12", "E13", "E41", "E45", "E48", "E3", "E4A")
PARTICIPATION = tuple(code for code in ParticipationCode.values if code != ParticipationCode.PN0)


def eighteenth_birthday(born: date) -> date:
    try:
        return born.replace(year=born.year + 18)
    except ValueError:  # 29 February
        return born.replace(year=born.year + 18, day=28)


def _placement(code: str, start: date) -> str:
    """``code``, or the code that replaced it if it is no longer valid on ``start``."""
    return code if code_valid("PLACE", code, collection_year(start)) else PLACEMENT_REPLACED_BY[code]


def periods_build(chunk, child, start: date) -> list:
    """Write one or two periods of care from ``start``; returns their (start, end) dates."""
    rng = chunk.rng
    written = []
    while start < LAST_DAY:
        limit = eighteenth_birthday(child.born) - timedelta(days=1)
        if start >= limit:
            break
        length = rng.choices(
            (rng.randrange(40, 365), rng.randrange(365, 1100), rng.randrange(1100, 3650)), (15, 30, 55)
        )[0]
        end = min(start + timedelta(days=length), limit)
        end = None if end >= LAST_DAY else end
        _period_build(chunk, child, start, end)
        written.append((start, end))
        if end is None or rng.random() > 0.15:
            break
        start = end + timedelta(days=rng.randrange(60, 500))
    return written


def _review_dates(rng, start: date, last: date) -> list[date]:
    dates: list[date] = []
    held = start + timedelta(days=rng.randrange(10, 29))
    while held <= last:
        dates.append(held)
        gap = rng.randrange(80, 93) if len(dates) == 1 else rng.randrange(160, 183)
        if rng.random() < 0.08:  # late: rearranged, or the child unwell
            gap += rng.randrange(10, 45)
        held = held + timedelta(days=gap)
    return dates


def _paperwork_day(rng, due: date, *, not_before: date, on_time: float):
    """A day near ``due``: on or before it with probability ``on_time``; None when after the
    last day of the data (not yet done)."""
    day = (
        due - timedelta(days=rng.randrange(0, 6))
        if rng.random() < on_time
        else due + timedelta(days=rng.randrange(1, 20))
    )
    day = max(day, not_before)
    return None if day > LAST_DAY else day


def _period_build(chunk, child, start: date, end: date | None) -> None:
    rng, tables, staff = chunk.rng, chunk.tables, chunk.staff
    last = end or LAST_DAY
    short_breaks = rng.random() < 0.03
    # Episodes: a placement change every year or so.
    changes = min(4, (last - start).days // 400)
    splits = sorted(
        {start + timedelta(days=rng.randrange(1, max(2, (last - start).days))) for _ in range(changes)}
    )
    starts = [start, *(day for day in splits if start < day < last)]
    legal = SHORT_BREAKS if short_breaks else rng.choice(LEGAL_STATUSES)
    need = rng.choice(NEEDS)
    episodes = []
    for index, episode_start in enumerate(starts):
        if index and not short_breaks and rng.random() < 0.3:
            legal = rng.choice(("C2", "E1"))
        following = starts[index + 1] if index + 1 < len(starts) else None
        episodes.append(
            {
                "start_date": episode_start,
                "reason_for_new_episode": "S" if index == 0 else rng.choice(NEW_EPISODE),
                "legal_status": legal,
                "category_of_need": need,
                "placement": _placement(rng.choice(PLACEMENTS), episode_start),
                "placement_provider": rng.choice(PROVIDERS),
                "end_date": following if following else end,
                "reason_ceased": "X1" if following else (rng.choice(LEAVING) if end else ""),
            }
        )
    review_dates = _review_dates(rng, start, last)
    dues = period_due_dates(
        period_start=start,
        period_open=end is None,
        legal_statuses=[episode["legal_status"] for episode in episodes],
        review_dates=review_dates,
        settings=chunk.settings,
        extra=chunk.extra,
        paperwork=chunk.paperwork_due,
    )
    period = tables[PeriodOfCare].add(
        child_id=child.pk,
        start_date=start,
        end_date=end,
        is_short_breaks=dues.is_short_breaks,
        next_review_due=dues.next_review_due,
        first_review_due=dues.first_review_due,
    )
    for episode in episodes:
        tables[Episode].add(period_id=period, **episode)

    # The IRO: one for the period, changing once in a quarter of periods.
    iro = rng.choice(staff.iros)
    handover = None
    if rng.random() < 0.25 and (last - start).days > 200:
        handover = start + timedelta(days=rng.randrange(100, (last - start).days))
    allocation_end = end + timedelta(days=1) if end else None
    if handover:
        tables[IroAllocation].add(child_id=child.pk, iro_id=iro, start_date=start, end_date=handover)
        next_iro = rng.choice(staff.iros)
        tables[IroAllocation].add(
            child_id=child.pk,
            iro_id=next_iro,
            start_date=handover,
            end_date=allocation_end,
            reason="Caseload balanced across the team.",
        )
    else:
        tables[IroAllocation].add(child_id=child.pk, iro_id=iro, start_date=start, end_date=allocation_end)

    cafcass = None
    if rng.random() < 0.06:
        began = start + timedelta(days=rng.randrange(0, 60))
        if began <= LAST_DAY:
            finished = began + timedelta(days=rng.randrange(120, 400))
            cafcass = tables[CafcassInvolvement].add(
                child_id=child.pk,
                guardian_name=chunk.name(),
                start_date=began,
                end_date=finished if finished <= LAST_DAY else None,
            )
    reviews = []
    for number, due in enumerate(dues.reviews):
        held = due.review_date
        chair = iro if handover is None or held < handover else next_iro
        code = ParticipationCode.PN0
        if participation_age_mismatch(date_of_birth=child.born, review_date=held, code=code):
            code = rng.choice(PARTICIPATION)
        cached = {name: getattr(due, name) for name in REVIEW_DUE_FIELDS}
        completed = _paperwork_day(rng, due.record_due, not_before=held, on_time=0.8)
        distributed = None
        if completed is not None and rng.random() < 0.95:
            distributed = completed + timedelta(days=rng.randrange(0, 4))
            distributed = distributed if distributed <= LAST_DAY else None
        review = tables[LacReview].add(
            child_id=child.pk,
            period_id=period,
            review_date=held,
            chair_id=chair,
            participation_code=code,
            sw_report_received=_paperwork_day(rng, due.sw_report_due, not_before=start, on_time=0.75)
            if rng.random() < 0.93
            else None,
            decisions_circulated=_paperwork_day(rng, due.decisions_due, not_before=held, on_time=0.85),
            record_completed=completed,
            record_distributed=distributed,
            late_reason="Rearranged: the social worker was not available." if held > due.due_date else "",
            **cached,
        )
        reviews.append((review, held, chair))
        tables[ReviewPart].add(review_id=review, part_number=1, date=held)
        if rng.random() < 0.08 and held + timedelta(days=21) <= LAST_DAY:
            tables[ReviewPart].add(
                review_id=review,
                part_number=2,
                date=held + timedelta(days=rng.randrange(7, 22)),
                notes="Second part held with the child at the placement.",
            )
        if rng.random() < 0.6:
            tables[IroContact].add(
                child_id=child.pk,
                iro_id=chair,
                date=max(start, held - timedelta(days=rng.randrange(3, 30))),
                kind=rng.choice(_CONTACT_KIND_CODES),
            )
        if number == 1:
            tables[PermanencePlan].add(
                period_id=period, plan_type=rng.choice(_PERMANENCE_PLAN_TYPE_CODES), date_agreed=held
            )
        if rng.random() < 0.04 and held - timedelta(days=7) >= start:
            tables[ReviewMeeting].add(
                period_id=period,
                date=held - timedelta(days=7),
                status=MeetingStatus.REBOOKED,
                reason="Moved: the carer was unwell.",
            )
        chunk.review_written(review, held, chair, child, cafcass)
    if reviews:
        review, held, chair = reviews[-1]
        tables[ReviewMeeting].add(period_id=period, date=held, status=MeetingStatus.HELD, review_id=review)
        if rng.random() < 0.02:
            tables[LegalAdviceReferral].add(
                child_id=child.pk,
                date_referred=held,
                reason="The plan has drifted: the IRO asks for independent legal advice.",
                outcome="Advice given; the plan was brought back to the next review."
                if rng.random() < 0.7
                else "",
            )
    if end is None and dues.next_review_due is not None:
        tables[ReviewMeeting].add(
            period_id=period,
            date=dues.next_review_due - timedelta(days=rng.randrange(0, 10)),
            status=MeetingStatus.BOOKED,
        )
