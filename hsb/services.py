"""Writes for the hsb app: workflows that change its models, named <entity>_<action>.

Every write validates first and changes nothing if anything is wrong: each service runs in one
transaction and raises ``ValidationError({field: message})`` with a message that names the
field and says what to do. The rules are here once; the pages and the API both call these.

- the threshold rule (amber or red meets it; green does not): ``hsb.codes.meets_threshold``,
  applied by ``hsb_referral_decide`` and ``hsb_meeting_record`` (a meeting below the threshold
  needs a reason), and held by the database too;
- the training rule (an AIM assessment by someone trained in that model) and the age warning
  the assessor must confirm: ``hsb_assessment_record``;
- the record timescales: ``hsb_meeting_due_dates_refresh``, the one writer of the cached dates.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hsb.codes import (
    AGE_RANGES,
    BELOW_THRESHOLD_OUTCOMES,
    TRAINING_FOR_TOOL,
    AssessmentTool,
    BrookRating,
    Course,
    ReferralOutcome,
    meets_threshold,
)
from hsb.due_dates import meeting_record_due
from hsb.models import (
    HsbAssessment,
    HsbMeeting,
    HsbReferral,
    HsbTrainingRecord,
    OutsidePractitioner,
    PlannedCourse,
)
from iro_service.core.db import update_columns
from iro_service.core.formats import long_date
from iro_service.core.versioning import refuse_if_changed_since
from iro_service.people.codes import JobRole
from iro_service.people.models import Child, StaffMember
from iro_service.people.services import child_create
from iro_service.timescales.dates import extra_non_working_days
from iro_service.timescales.selectors import timescale_settings

# Who may chair an HSB meeting: the HSB lead (a team manager of the safeguarding unit) or an IRO.
CHAIR_ROLES = frozenset({JobRole.IRO, JobRole.IRO_MANAGER})


def _not_in_future(errors: dict, field: str, day: date | None, what: str) -> None:
    if day is not None and day > timezone.localdate():
        errors[field] = f"The {what} cannot be in the future"


# --- referrals ------------------------------------------------------------------------------


def _check_rating(errors: dict, rating: str, tool_version: str) -> None:
    if rating and not tool_version:
        errors["tool_version"] = "Choose which version of the Brook traffic light tool gave the rating"
    if tool_version and not rating:
        errors["rating"] = "Choose the Brook traffic light rating, or leave the tool version blank"


@transaction.atomic
def hsb_referral_record(
    *,
    received_on: date,
    referrer_name: str,
    referrer_team: str,
    description: str,
    child: Child | None = None,
    new_child: dict | None = None,
    rating: str = "",
    tool_version: str = "",
    period_of_care=None,
    cp_plan=None,
) -> HsbReferral:
    """Record a referral to the HSB lead about ``child``, or about a child not yet known, whose
    record ``new_child`` (the fields of ``people.Child``) is added with it. A rating may be given
    now or with the threshold decision. A linked period of care or CP plan must be the child's."""
    errors: dict[str, str] = {}
    if (child is None) == (not new_child):
        errors["child"] = "Choose the child the referral is about, or enter a new child's details, not both"
    _not_in_future(errors, "received_on", received_on, "date the referral was received")
    _check_rating(errors, rating, tool_version)
    if child is not None:
        if period_of_care is not None and period_of_care.child_id != child.pk:
            errors["period_of_care"] = f"That period of care is not {child.full_name}'s. Choose one of theirs"
        if cp_plan is not None and cp_plan.child_id != child.pk:
            errors["cp_plan"] = f"That child protection plan is not {child.full_name}'s. Choose one of theirs"
    elif period_of_care is not None or cp_plan is not None:
        errors["period_of_care"] = "A child who is new to the service has no period of care or plan to link"
    if errors:
        raise ValidationError(errors)
    if child is None:
        child = child_create(**new_child)
    referral = HsbReferral(
        child=child,
        received_on=received_on,
        referrer_name=referrer_name.strip(),
        referrer_team=referrer_team.strip(),
        description=description.strip(),
        rating=rating,
        tool_version=tool_version,
        period_of_care=period_of_care,
        cp_plan=cp_plan,
    )
    referral.full_clean()
    referral.save()
    return referral


def _lock_referral(referral: HsbReferral, seen_updated_at: datetime | None) -> HsbReferral:
    locked = HsbReferral.objects.select_for_update(of=("self",)).select_related("child").get(pk=referral.pk)
    refuse_if_changed_since(locked, seen_updated_at, what="referral")
    return locked


@transaction.atomic
def hsb_referral_decide(
    *,
    referral: HsbReferral,
    rating: str,
    tool_version: str,
    outcome: str,
    decided_on: date,
    decided_by: StaffMember | None,
    seen_updated_at: datetime | None = None,
) -> HsbReferral:
    """The HSB lead's threshold decision: the Brook rating (amber or red meets the threshold for
    an HSB meeting, green does not), the outcome that follows, who decided and when. A referral
    that meets the threshold gets an HSB meeting (the outcome is set to it when left blank);
    one below it gets basic intervention, post-sexual-abuse therapy or no further action."""
    locked = _lock_referral(referral, seen_updated_at)
    errors: dict[str, str] = {}
    if not rating:
        errors["rating"] = "Choose the Brook traffic light rating: the threshold decision is made from it"
    _check_rating(errors, rating, tool_version)
    if decided_by is None:
        errors["decided_by"] = (
            "Your account is not linked to a member of staff. Ask an administrator to link it"
        )
    _not_in_future(errors, "decided_on", decided_on, "date of the decision")
    if decided_on is not None and decided_on < locked.received_on:
        errors["decided_on"] = (
            f"The decision cannot be before the referral was received on {long_date(locked.received_on)}"
        )
    if rating:
        if meets_threshold(rating):
            outcome = outcome or ReferralOutcome.HSB_MEETING
            if outcome != ReferralOutcome.HSB_MEETING:
                errors["outcome"] = (
                    f"{BrookRating(rating).label} behaviour meets the threshold for an HSB meeting: "
                    f"choose {ReferralOutcome.HSB_MEETING.label.lower()}"
                )
        elif outcome not in BELOW_THRESHOLD_OUTCOMES:
            errors["outcome"] = (
                "Green behaviour does not meet the threshold for an HSB meeting: choose basic "
                "intervention, post-sexual-abuse therapy or no further action"
            )
    if locked.meetings.exists():
        errors["rating"] = "The threshold decision cannot change once an HSB meeting has been held"
    if errors:
        raise ValidationError(errors)
    locked.rating = rating
    locked.tool_version = tool_version
    locked.outcome = outcome
    locked.decided_on = decided_on
    locked.decided_by = decided_by
    locked.full_clean()
    locked.save()
    return locked


# --- meetings -------------------------------------------------------------------------------


def _check_record_dates(
    errors: dict, *, meeting_date: date, produced_on: date | None, distributed_on: date | None
) -> None:
    _not_in_future(errors, "record_produced_on", produced_on, "date the record was produced")
    _not_in_future(errors, "record_distributed_on", distributed_on, "date the record was distributed")
    if produced_on is not None and produced_on < meeting_date:
        errors["record_produced_on"] = (
            f"The record cannot be produced before the meeting on {long_date(meeting_date)}"
        )
    if distributed_on is not None and produced_on is None:
        errors["record_distributed_on"] = "Enter the date the record was produced before it was distributed"
    elif distributed_on is not None and distributed_on < produced_on:
        errors["record_distributed_on"] = (
            f"The record cannot be distributed before it was produced on {long_date(produced_on)}"
        )


@transaction.atomic
def hsb_meeting_record(
    *,
    referral: HsbReferral,
    date: date,
    chair: StaffMember | None,
    risk_summary: str,
    recommendations: str,
    agencies: Iterable[str] = (),
    intervention: str = "",
    review_on: date | None = None,
    override_reason: str = "",
    record_produced_on: date | None = None,
    record_distributed_on: date | None = None,
) -> HsbMeeting:
    """Record an HSB meeting held about a referral. The referral must have its threshold
    decision; one below the threshold needs ``override_reason``, why the meeting was held all
    the same. The record's due dates come from the local timescales."""
    locked = _lock_referral(referral, None)
    errors: dict[str, str] = {}
    if not locked.is_decided:
        errors["referral"] = "Record the threshold decision on this referral before its HSB meeting"
    elif not meets_threshold(locked.rating) and not override_reason.strip():
        errors["override_reason"] = (
            "This referral was rated green, below the threshold for an HSB meeting. "
            "Enter why the meeting was held all the same"
        )
    if date is not None:
        _not_in_future(errors, "date", date, "date of the meeting")
        if date < locked.received_on:
            errors["date"] = (
                f"The meeting cannot be before the referral was received on {long_date(locked.received_on)}"
            )
        elif locked.meetings.filter(date=date).exists():
            errors["date"] = f"There is already an HSB meeting for this referral on {long_date(date)}"
    if chair is not None and chair.job_role not in CHAIR_ROLES:
        errors["chair"] = f"{chair.full_name} is not an IRO or the HSB lead. Choose who chaired the meeting"
    if review_on is not None and date is not None and review_on <= date:
        errors["review_on"] = f"The review must be after the meeting on {long_date(date)}"
    if date is not None:
        _check_record_dates(
            errors, meeting_date=date, produced_on=record_produced_on, distributed_on=record_distributed_on
        )
    if errors:
        raise ValidationError(errors)
    due = meeting_record_due(meeting_date=date, settings_row=timescale_settings())
    meeting = HsbMeeting(
        referral=locked,
        date=date,
        chair=chair,
        agencies=list(dict.fromkeys(agencies)),
        risk_summary=risk_summary.strip(),
        recommendations=recommendations.strip(),
        intervention=intervention,
        review_on=review_on,
        override_reason=override_reason.strip(),
        record_produced_on=record_produced_on,
        record_distributed_on=record_distributed_on,
        record_produced_due=due.produced,
        record_distributed_due=due.distributed,
    )
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def hsb_meeting_record_dates(
    *,
    meeting: HsbMeeting,
    produced_on: date | None,
    distributed_on: date | None,
    seen_updated_at: datetime | None = None,
) -> HsbMeeting:
    """Record when the meeting's record was produced and distributed."""
    locked = HsbMeeting.objects.select_for_update().get(pk=meeting.pk)
    refuse_if_changed_since(locked, seen_updated_at, what="meeting")
    errors: dict[str, str] = {}
    _check_record_dates(
        errors, meeting_date=locked.date, produced_on=produced_on, distributed_on=distributed_on
    )
    if errors:
        raise ValidationError(errors)
    locked.record_produced_on = produced_on
    locked.record_distributed_on = distributed_on
    locked.full_clean()
    locked.save()
    return locked


def hsb_meeting_due_dates_refresh(*, meeting_ids: Iterable[int] | None = None) -> int:
    """Work out the record due dates of the given meetings (all when None) again from their dates
    and the current settings and non-working days; return how many changed. The one writer of
    the cached dates besides the meeting's own recording; runs nightly."""
    settings_row = timescale_settings()
    extra = extra_non_working_days()
    meetings = HsbMeeting.objects.only("pk", "date", "record_produced_due", "record_distributed_due")
    if meeting_ids is not None:
        meetings = meetings.filter(pk__in=list(meeting_ids))
    changed = []
    for meeting in meetings.iterator():
        due = meeting_record_due(meeting_date=meeting.date, settings_row=settings_row, extra=extra)
        if (meeting.record_produced_due, meeting.record_distributed_due) != (due.produced, due.distributed):
            changed.append((meeting.pk, due.produced, due.distributed))
    # Not save(): refreshing a cache must not change updated_at, or an open form would look stale.
    update_columns(HsbMeeting, changed, ["record_produced_due", "record_distributed_due"])
    return len(changed)


# --- training -------------------------------------------------------------------------------


def outside_practitioner_get_or_add(*, name: str, agency: str) -> OutsidePractitioner:
    """The outside practitioner of that name and agency (in any case), added if new."""
    name, agency = " ".join(name.split()), " ".join(agency.split())
    found = OutsidePractitioner.objects.filter(name__iexact=name, agency__iexact=agency).first()
    if found is not None:
        return found
    practitioner = OutsidePractitioner(name=name, agency=agency)
    practitioner.full_clean()
    practitioner.save()
    return practitioner


@transaction.atomic
def hsb_training_record_add(
    *,
    course: str,
    completed_on: date,
    staff: StaffMember | None = None,
    practitioner_name: str = "",
    practitioner_agency: str = "",
) -> HsbTrainingRecord:
    """Put a worker's completed course on the training register: a member of staff, or an
    outside practitioner by name and agency (added to the register's practitioners if new)."""
    errors: dict[str, str] = {}
    outside = bool(practitioner_name.strip() or practitioner_agency.strip())
    if (staff is None) == (not outside):
        errors["staff"] = (
            "Choose the member of staff, or enter an outside practitioner's name and agency, not both"
        )
    elif outside and not practitioner_name.strip():
        errors["practitioner_name"] = "Enter the outside practitioner's name"
    elif outside and not practitioner_agency.strip():
        errors["practitioner_agency"] = "Enter the outside practitioner's agency"
    _not_in_future(errors, "completed_on", completed_on, "date the course was completed")
    if errors:
        raise ValidationError(errors)
    practitioner = (
        outside_practitioner_get_or_add(name=practitioner_name, agency=practitioner_agency)
        if outside
        else None
    )
    duplicate = HsbTrainingRecord.objects.filter(
        staff=staff, practitioner=practitioner, course=course, completed_on=completed_on
    )
    if duplicate.exists():
        raise ValidationError(
            {"completed_on": f"That course on {long_date(completed_on)} is already on the register for them"}
        )
    record = HsbTrainingRecord(
        staff=staff, practitioner=practitioner, course=course, completed_on=completed_on
    )
    record.full_clean()
    record.save()
    return record


def planned_course_add(
    *,
    course: str,
    audience: str,
    places: int | None = None,
    planned_from: date | None = None,
    notes: str = "",
) -> PlannedCourse:
    """Add a course to the HSB training plan."""
    planned = PlannedCourse(
        course=course,
        audience=audience.strip(),
        places=places,
        planned_from=planned_from,
        notes=notes.strip(),
    )
    planned.full_clean()
    planned.save()
    return planned


# --- assessments ----------------------------------------------------------------------------


def worker_trained_in(
    *,
    course: str,
    on: date,
    staff: StaffMember | None = None,
    practitioner: OutsidePractitioner | None = None,
) -> bool:
    """Whether the worker's training record shows ``course`` completed on or before ``on``."""
    records = HsbTrainingRecord.objects.filter(course=course, completed_on__lte=on)
    if staff is not None:
        return records.filter(staff=staff).exists()
    return practitioner is not None and records.filter(practitioner=practitioner).exists()


@transaction.atomic
def hsb_assessment_record(
    *,
    referral: HsbReferral,
    tool: str,
    date: date,
    outcome: str,
    assessor_staff: StaffMember | None = None,
    assessor_practitioner: OutsidePractitioner | None = None,
    summary: str = "",
    age_confirmed: bool = False,
) -> HsbAssessment:
    """Record an AIM2 or AIM3 assessment of the referred child. Refused when the assessor has
    no training record for that model by the assessment date, naming the training missing; for a
    child outside the model's age range, refused until the assessor confirms it."""
    referral = HsbReferral.objects.select_related("child").get(pk=referral.pk)
    errors: dict[str, str] = {}
    if (assessor_staff is None) == (assessor_practitioner is None):
        errors["assessor_staff"] = (
            "Choose who did the assessment: a member of staff or an outside practitioner, not both"
        )
    _not_in_future(errors, "date", date, "date of the assessment")
    if date is not None and date < referral.received_on:
        errors["date"] = (
            f"The assessment cannot be before the referral was received on {long_date(referral.received_on)}"
        )
    if "assessor_staff" not in errors and date is not None and tool in TRAINING_FOR_TOOL:
        course = TRAINING_FOR_TOOL[tool]
        if not worker_trained_in(
            course=course, on=date, staff=assessor_staff, practitioner=assessor_practitioner
        ):
            field = "assessor_staff" if assessor_staff is not None else "assessor_practitioner"
            name = assessor_staff.full_name if assessor_staff is not None else assessor_practitioner.name
            errors[field] = (
                f"{name} has no {Course(course).label} training on the register by {long_date(date)}. "
                "Add their training record first, or choose a trained assessor"
            )
    if date is not None and tool in AGE_RANGES and not age_confirmed:
        child = referral.child
        suits = AGE_RANGES[tool]
        age = child.age_on(date)
        if not suits.fits(age=age, sex=child.sex):
            aged = "not yet born" if age is None else f"{age}"
            model = AssessmentTool(tool).label
            errors["age_confirmed"] = (
                f"{child.short_name} was {aged} on {long_date(date)}: {model} is designed for "
                f"{suits.described}. Confirm that you used {model}, or choose another model"
            )
    if errors:
        raise ValidationError(errors)
    assessment = HsbAssessment(
        referral=referral,
        tool=tool,
        date=date,
        assessor_staff=assessor_staff,
        assessor_practitioner=assessor_practitioner,
        outcome=outcome,
        summary=summary.strip(),
        age_confirmed=age_confirmed,
    )
    assessment.full_clean()
    assessment.save()
    return assessment
