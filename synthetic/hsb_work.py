"""Harmful sexual behaviour referrals of older children: the Brook rating and threshold decision,
HSB meetings for those that meet the threshold (record due dates from ``hsb.due_dates``), AIM
assessments, and the staff's training register."""

from __future__ import annotations

from datetime import date, timedelta

from hsb.codes import (
    BELOW_THRESHOLD_OUTCOMES,
    THRESHOLD_RATINGS,
    AssessmentOutcome,
    AssessmentTool,
    BrookRating,
    BrookToolVersion,
    Course,
    Intervention,
    MeetingAgency,
    ReferralOutcome,
)
from hsb.due_dates import meeting_record_due
from hsb.models import HsbAssessment, HsbMeeting, HsbReferral, HsbTrainingRecord
from synthetic.presets import FIRST_DAY, LAST_DAY

# The code lists drawn from, as tuples once: ``.values`` builds a new list at each call.
_BROOK_RATING_CODES = tuple(BrookRating.values)
_MEETING_AGENCY_CODES = tuple(MeetingAgency.values)
_INTERVENTION_CODES = tuple(Intervention.values)
_ASSESSMENT_OUTCOME_CODES = tuple(AssessmentOutcome.values)

REFERRAL_RATE = 0.012  # of children aged 10 to 17 during the ten years


def referral_build(chunk, child) -> None:
    rng, tables = chunk.rng, chunk.tables
    earliest = max(FIRST_DAY, child.born + timedelta(days=365 * 10))
    latest = min(LAST_DAY - timedelta(days=30), child.born + timedelta(days=365 * 17))
    if earliest >= latest or rng.random() >= REFERRAL_RATE:
        return
    received = earliest + timedelta(days=rng.randrange((latest - earliest).days))
    rating = rng.choices(_BROOK_RATING_CODES, (40, 40, 20))[0]
    decided = received + timedelta(days=rng.randrange(1, 10)) if rng.random() < 0.92 else None
    if rating in THRESHOLD_RATINGS:
        outcome = ReferralOutcome.HSB_MEETING
    else:
        outcome = rng.choice(sorted(BELOW_THRESHOLD_OUTCOMES))
    referral = tables[HsbReferral].add(
        child_id=child.pk,
        received_on=received,
        referrer_name=chunk.name(),
        referrer_team="Designated safeguarding lead, secondary school",
        description="Sexualised behaviour towards a younger pupil, reported by the school.",
        rating=rating,
        tool_version=BrookToolVersion.REVISED_2020 if received.year >= 2020 else BrookToolVersion.ORIGINAL,
        decided_on=decided,
        decided_by_id=rng.choice(chunk.staff.managers) if decided else None,
        outcome=outcome if decided else "",
    )
    if decided is None or outcome != ReferralOutcome.HSB_MEETING:
        return
    meeting_day = decided + timedelta(days=rng.randrange(5, 15))
    if meeting_day > LAST_DAY:
        return
    chair = rng.choice(chunk.staff.iros)
    due = meeting_record_due(meeting_date=meeting_day, settings_row=chunk.settings, extra=chunk.extra)
    produced = _by(rng, due.produced, meeting_day)
    distributed = _by(rng, due.distributed, produced) if produced else None
    tables[HsbMeeting].add(
        referral_id=referral,
        date=meeting_day,
        chair_id=chair,
        agencies=sorted(rng.sample(_MEETING_AGENCY_CODES, 3)),
        risk_summary="Moderate risk at school; low risk at home with supervision.",
        recommendations="AIM assessment; supervision plan at school; review in three months.",
        intervention=rng.choice(_INTERVENTION_CODES),
        review_on=meeting_day + timedelta(days=90),
        record_produced_on=produced,
        record_distributed_on=distributed,
        record_produced_due=due.produced,
        record_distributed_due=due.distributed,
    )
    assessed = meeting_day + timedelta(days=rng.randrange(10, 40))
    if assessed <= LAST_DAY and rng.random() < 0.6:
        age = (assessed - child.born).days / 365.25
        tool = AssessmentTool.AIM3 if age >= 12 else AssessmentTool.AIM2
        tables[HsbAssessment].add(
            referral_id=referral,
            tool=tool,
            date=assessed,
            assessor_staff_id=chair,
            outcome=rng.choice(_ASSESSMENT_OUTCOME_CODES),
            summary="Assessment completed with the young person and the parents.",
            age_confirmed=tool == AssessmentTool.AIM2 and child.sex != "M",
        )


def _by(rng, due: date, not_before: date) -> date | None:
    day = max(not_before, due + timedelta(days=rng.randrange(-3, 3)))
    return day if day <= LAST_DAY else None


def training_build(chunk) -> None:
    rng = chunk.rng
    for iro in chunk.staff.iros:
        for course in rng.sample(Course.values, 2):
            chunk.tables[HsbTrainingRecord].add(
                staff_id=iro, course=course, completed_on=FIRST_DAY + timedelta(days=rng.randrange(3000))
            )
