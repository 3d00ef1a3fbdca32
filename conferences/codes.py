"""Choices of the conferences app that are fixed by law, by the CIN census or by this service,
and the sets of them the rules use (which stages each type of conference considers).
``conferences.models`` re-exports them, so ``from conferences.models import ConferenceType``
keeps working."""

from functools import cache
from pathlib import Path

from django.db import models
from lxml import etree


class ConferenceType(models.TextChoices):
    """The conference types of seed section 6.1, including the combined ones held when the
    children of one family are at different stages."""

    INITIAL = "initial", "Initial"
    INITIAL_PRE_BIRTH = "initial_pre_birth", "Initial pre-birth"
    INITIAL_AND_PRE_BIRTH = "initial_and_pre_birth", "Initial / Pre-birth Initial"
    INITIAL_RECEIVING_IN = "initial_receiving_in", "Initial receiving-in"
    INITIAL_RECONVENED = "initial_reconvened", "Initial re-convened"
    FIRST_REVIEW = "first_review", "1st Review"
    FIRST_REVIEW_AND_PRE_BIRTH = "first_review_and_pre_birth", "1st Review / Pre-birth Initial"
    FIRST_REVIEW_AND_INITIAL = "first_review_and_initial", "1st Review / Initial"
    REVIEW_AND_PRE_BIRTH = "review_and_pre_birth", "Review / Pre-birth Initial"
    REVIEW_AND_FIRST_REVIEW = "review_and_first_review", "Review / 1st Review"
    REVIEW_AND_INITIAL = "review_and_initial", "Subsequent Review / Initial"
    REVIEW = "review", "Subsequent Review"


class ChildStage(models.TextChoices):
    """Where one child is in the conference cycle; a combined conference has children at two."""

    INITIAL = "initial", "Initial"
    INITIAL_PRE_BIRTH = "initial_pre_birth", "Initial pre-birth"
    FIRST_REVIEW = "first_review", "1st review"
    REVIEW = "review", "Subsequent review"


# The stages of the children each type of conference considers: a combined type needs a child
# at each of its stages, a single type children at its one stage only.
TYPE_STAGES: dict[str, frozenset[str]] = {
    ConferenceType.INITIAL: frozenset({ChildStage.INITIAL}),
    ConferenceType.INITIAL_PRE_BIRTH: frozenset({ChildStage.INITIAL_PRE_BIRTH}),
    ConferenceType.INITIAL_AND_PRE_BIRTH: frozenset({ChildStage.INITIAL, ChildStage.INITIAL_PRE_BIRTH}),
    ConferenceType.INITIAL_RECEIVING_IN: frozenset({ChildStage.INITIAL}),
    ConferenceType.INITIAL_RECONVENED: frozenset({ChildStage.INITIAL}),
    ConferenceType.FIRST_REVIEW: frozenset({ChildStage.FIRST_REVIEW}),
    ConferenceType.FIRST_REVIEW_AND_PRE_BIRTH: frozenset(
        {ChildStage.FIRST_REVIEW, ChildStage.INITIAL_PRE_BIRTH}
    ),
    ConferenceType.FIRST_REVIEW_AND_INITIAL: frozenset({ChildStage.FIRST_REVIEW, ChildStage.INITIAL}),
    ConferenceType.REVIEW_AND_PRE_BIRTH: frozenset({ChildStage.REVIEW, ChildStage.INITIAL_PRE_BIRTH}),
    ConferenceType.REVIEW_AND_FIRST_REVIEW: frozenset({ChildStage.REVIEW, ChildStage.FIRST_REVIEW}),
    ConferenceType.REVIEW_AND_INITIAL: frozenset({ChildStage.REVIEW, ChildStage.INITIAL}),
    ConferenceType.REVIEW: frozenset({ChildStage.REVIEW}),
}

# Initial conferences have their own report timescales (seed 6.9); combined conferences that
# include a review follow the review timescale.
INITIAL_TYPES = frozenset(
    {
        ConferenceType.INITIAL,
        ConferenceType.INITIAL_PRE_BIRTH,
        ConferenceType.INITIAL_AND_PRE_BIRTH,
        ConferenceType.INITIAL_RECEIVING_IN,
        ConferenceType.INITIAL_RECONVENED,
    }
)

INITIAL_STAGES = frozenset({ChildStage.INITIAL, ChildStage.INITIAL_PRE_BIRTH})


def needs_strategy_discussion(*, conference_type: str, stages) -> bool:
    """Whether a conference of this type about children at ``stages`` counts from a strategy
    discussion: an initial conference does, unless the child was transferred in (it counts
    from the notification)."""
    return ChildStage.INITIAL in stages and conference_type != ConferenceType.INITIAL_RECEIVING_IN


REVIEW_STAGES = frozenset({ChildStage.FIRST_REVIEW, ChildStage.REVIEW})


class ConferenceStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    HELD = "held", "Held"
    STOOD_DOWN = "stood_down", "Stood down"


class StoodDownReason(models.TextChoices):
    """Why a conference could not go ahead on the day (seed 6.7)."""

    AGENCY_NON_ATTENDANCE = "agency_non_attendance", "Agency non-attendance"
    TRANSFERRING_AUTHORITY_ABSENT = "transferring_authority_absent", "Transferring authority absent"
    LATE_OR_INCOMPLETE_REPORT = "late_or_incomplete_report", "Late or incomplete report"
    FAMILY_NOT_PREPARED = "family_not_prepared", "Family not prepared"
    SOCIAL_WORKER_UNAVAILABLE = "social_worker_unavailable", "Social worker unavailable"
    NO_INTERPRETER = "no_interpreter", "No interpreter"
    UNSAFE_TO_CONTINUE = "unsafe_to_continue", "Unsafe to continue"
    OTHER = "other", "Other"


class ConferenceOutcome(models.TextChoices):
    PLAN_STARTED = "plan_started", "Child protection plan started"
    PLAN_CONTINUED = "plan_continued", "Child protection plan continues"
    PLAN_ENDED = "plan_ended", "Child protection plan ended"
    NOT_NEEDED = "not_needed", "Plan not needed"


class Agency(models.TextChoices):
    POLICE = "police", "Police"
    GP = "gp", "GP"
    HEALTH_VISITOR = "health_visitor", "Health visitor"
    SCHOOL_NURSE = "school_nurse", "School nurse"
    SCHOOL = "school", "School"
    PROBATION = "probation", "Probation"
    ADULT_MENTAL_HEALTH = "adult_mental_health", "Adult mental health"
    SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse service"
    HOUSING = "housing", "Housing"
    OTHER = "other", "Other"


# The agencies as the record page lists them, by the service each belongs to, so that the ten
# of them read as four short groups rather than one long column.
AGENCY_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Health",
        (
            Agency.GP,
            Agency.HEALTH_VISITOR,
            Agency.SCHOOL_NURSE,
            Agency.ADULT_MENTAL_HEALTH,
            Agency.SUBSTANCE_MISUSE,
        ),
    ),
    ("Education", (Agency.SCHOOL,)),
    ("Police and probation", (Agency.POLICE, Agency.PROBATION)),
    ("Housing and other agencies", (Agency.HOUSING, Agency.OTHER)),
)


class AbuseCategory(models.TextChoices):
    NEGLECT = "NEG", "Neglect"
    PHYSICAL = "PHY", "Physical abuse"
    EMOTIONAL = "EMO", "Emotional abuse"
    SEXUAL = "SAB", "Sexual abuse"


class PlanEndReason(models.TextChoices):
    NO_LONGER_AT_RISK = "no_longer_at_risk", "No longer at continuing risk of significant harm"
    LEGAL_PROCEEDINGS = "legal_proceedings", "Child in care or subject to legal proceedings"
    MOVED_AWAY = "moved_away", "Moved to another local authority"
    REACHED_18 = "reached_18", "Reached 18"
    DIED = "died", "Child died"
    OTHER = "other", "Other"
    NOT_RECORDED = "not_recorded", "Not recorded (imported)"


# The CIN census codes a plan's category with one code, MUL standing for more than one.
CIN_CATEGORY_CHOICES = [*AbuseCategory.choices, ("MUL", "More than one category")]


class Appellant(models.TextChoices):
    YOUNG_PERSON = "young_person", "Young person"
    PARENT_OR_CARER = "parent_or_carer", "Parent or carer"
    PROFESSIONAL = "professional", "Professional"


class AppealOutcome(models.TextChoices):
    PENDING = "pending", "Not yet decided"
    UPHELD = "upheld", "Upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"
    RESOLVED = "resolved", "Resolved"
    WITHDRAWN = "withdrawn", "Withdrawn or disengaged"


class ReminderKind(models.TextChoices):
    CHAIR = "chair", "A chair's conferences and overdue records"
    PAPERWORK = "paperwork", "Business support's paperwork outstanding"


def code_list_labels() -> dict[str, dict[str, str]]:
    """The CIN census codes the conference pages show (``ConferencesConfig.code_lists``):
    categories of abuse, MUL included."""
    return {"cp_category": dict(CIN_CATEGORY_CHOICES)}


# The DfE's CIN census schema (liiatools' copy; see conferences/cin_census/spec/README.md).
CIN_SCHEMA = Path(__file__).parent / "cin_census" / "spec" / "CIN_schema_2024.xsd"
XS = "{http://www.w3.org/2001/XMLSchema}"
NO_FACTORS = "21"  # "No factors identified": never with another factor (DfE rule 8869)


@cache
def assessment_factors() -> dict[str, str]:
    """The factors identified at the end of an assessment, code to the DfE's description, in
    the schema's order, read from the DfE's published schema (``AssessmentFactors``)."""
    tree = etree.parse(str(CIN_SCHEMA))  # nosec B320 - the project's own copy of the DfE schema
    found = tree.find(f"{XS}simpleType[@name='assessmentfactorstype']")
    return {
        item.get("value"): " ".join(item.findtext(f"{XS}annotation/{XS}documentation", "").split())
        for item in found.iter(f"{XS}enumeration")
    }
