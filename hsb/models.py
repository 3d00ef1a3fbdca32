"""Models of the hsb app. Harmful sexual behaviour: referrals to the HSB lead, threshold
decisions, HSB meetings and their records, AIM assessments and the training register
(domain.md section 4, seed section 7).

These are among the most sensitive records the service keeps: only those with
``hsb.view_hsb_records`` see them (and an IRO sees the referrals whose meetings they chair), and
everyone else is told they do not exist (``hsb.selectors.referrals_visible_to``).

Whether a child was in care on the referral date or a meeting date is never stored: it is
derived from the periods of care (``reviews.selectors.child_in_care_on``). The record due dates
of a meeting are a cache written by one function, ``services.hsb_meeting_due_dates_refresh``.

The choices (``BrookRating``, ``Course``...) and the rules that are data live in ``hsb.codes``.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from simple_history.models import HistoricalRecords

from hsb.codes import (  # noqa: F401 (re-exported)
    AGE_RANGES,
    BELOW_THRESHOLD_OUTCOMES,
    THRESHOLD_RATINGS,
    TRAINING_FOR_TOOL,
    AssessmentOutcome,
    AssessmentTool,
    BrookRating,
    BrookToolVersion,
    Course,
    Intervention,
    MeetingAgency,
    ReferralOutcome,
    meets_threshold,
    rating_label,
)
from iro_service.core.db import CurrentDate
from iro_service.core.restriction import RestrictedQuerySet
from iro_service.people.models import Child, StaffMember

DESCRIPTION_LIMIT = 2000
SUMMARY_LIMIT = 2000
REASON_LIMIT = 500


class HsbReferral(models.Model):
    """A referral to the HSB lead about a child's sexual behaviour: who referred and what they
    described, the Brook traffic light rating (and which version of the tool gave it), and the
    lead's threshold decision with its outcome. Amber or red meets the threshold for an HSB
    meeting; green does not, and gets one of the other outcomes."""

    child_path = "child"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="hsb_referrals")
    received_on = models.DateField("date the referral was received")
    referrer_name = models.CharField("referrer's name", max_length=120)
    referrer_team = models.CharField(
        "referrer's team or agency", max_length=120, help_text="For example, Locality Team East, or a school."
    )
    description = models.CharField(
        "what the referrer described",
        max_length=DESCRIPTION_LIMIT,
        help_text="The behaviour and its context.",
    )
    rating = models.CharField(
        "Brook traffic light rating", max_length=8, choices=BrookRating.choices, blank=True
    )
    tool_version = models.CharField(
        "version of the Brook tool", max_length=4, choices=BrookToolVersion.choices, blank=True
    )
    decided_on = models.DateField("date of the threshold decision", null=True, blank=True)
    decided_by = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, null=True, blank=True, related_name="hsb_decisions"
    )
    outcome = models.CharField(max_length=24, choices=ReferralOutcome.choices, blank=True)
    # What the referral is linked to, when the child has it: a period of care or a CP plan.
    period_of_care = models.ForeignKey(
        "reviews.PeriodOfCare", on_delete=models.SET_NULL, null=True, blank=True, related_name="hsb_referrals"
    )
    cp_plan = models.ForeignKey(
        "conferences.ChildProtectionPlan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hsb_referrals",
        verbose_name="child protection plan",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The version an editor started from: a decision is refused if the referral changed since.
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "pk"]
        verbose_name = "HSB referral"
        permissions = [
            ("view_hsb_records", "Can see every harmful sexual behaviour record"),
            ("manage_hsb_work", "Can record HSB referrals, threshold decisions, meetings and assessments"),
            ("manage_hsb_training", "Can keep the HSB training register and the planned courses"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(received_on__lte=CurrentDate()), name="hsb_referral_not_in_future"
            ),
            models.CheckConstraint(
                condition=Q(rating="", tool_version="") | (~Q(rating="") & ~Q(tool_version="")),
                name="hsb_referral_rating_has_tool_version",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True, decided_by__isnull=True, outcome="")
                | (Q(decided_on__isnull=False, decided_by__isnull=False) & ~Q(outcome="") & ~Q(rating="")),
                name="hsb_referral_decision_complete",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=F("received_on")),
                name="hsb_referral_decided_after_received",
            ),
            # The threshold rule itself: amber or red gets a meeting, green one of the others.
            models.CheckConstraint(
                condition=Q(outcome="")
                | Q(rating__in=sorted(THRESHOLD_RATINGS), outcome=ReferralOutcome.HSB_MEETING)
                | Q(rating=BrookRating.GREEN, outcome__in=sorted(BELOW_THRESHOLD_OUTCOMES)),
                name="hsb_referral_outcome_fits_threshold",
            ),
        ]
        indexes = [
            models.Index(fields=["received_on"], name="hsb_referral_received_idx"),
            models.Index(fields=["child", "received_on"], name="hsb_referral_child_idx"),
            models.Index(
                fields=["received_on"],
                name="hsb_referral_undecided_idx",
                condition=Q(decided_on__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"HSB referral for {self.child} received {self.received_on:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("hsb:referral-detail", args=[self.pk])

    @property
    def rating_label(self) -> str:
        return rating_label(self.rating, self.tool_version)

    @property
    def is_decided(self) -> bool:
        return self.decided_on is not None

    @property
    def threshold_met(self) -> bool | None:
        """Whether the referral met the threshold for an HSB meeting; None until decided."""
        return meets_threshold(self.rating) if self.is_decided else None


class HsbMeeting(models.Model):
    """An HSB meeting held about a referral, chaired by the HSB lead or an IRO: who came by
    agency, the risk assessment, the recommendations and the intervention assigned, the date
    it is to be reviewed, and its record: produced and distributed, each within the local
    timescale (cached in ``record_produced_due`` and ``record_distributed_due``). A meeting for
    a referral below the threshold needs the reason it was held all the same."""

    child_path = "referral__child"

    referral = models.ForeignKey(HsbReferral, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField("date of the meeting")
    chair = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="chaired_hsb_meetings")
    agencies = ArrayField(
        models.CharField(max_length=16, choices=MeetingAgency.choices),
        default=list,
        blank=True,
        verbose_name="agencies attending",
    )
    risk_summary = models.CharField("risk assessment summary", max_length=SUMMARY_LIMIT)
    recommendations = models.CharField(max_length=SUMMARY_LIMIT)
    intervention = models.CharField(
        "intervention assigned", max_length=16, choices=Intervention.choices, blank=True
    )
    review_on = models.DateField("date of the review", null=True, blank=True)
    override_reason = models.CharField(
        "why a meeting was held below the threshold", max_length=REASON_LIMIT, blank=True
    )
    record_produced_on = models.DateField("date the record was produced", null=True, blank=True)
    record_distributed_on = models.DateField("date the record was distributed", null=True, blank=True)
    # Cached due dates: written only by services.hsb_meeting_due_dates_refresh.
    record_produced_due = models.DateField("record to be produced by")
    record_distributed_due = models.DateField("record to be distributed by")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "pk"]
        verbose_name = "HSB meeting"
        constraints = [
            models.UniqueConstraint(fields=["referral", "date"], name="hsb_meeting_one_a_day"),
            models.CheckConstraint(condition=Q(date__lte=CurrentDate()), name="hsb_meeting_not_in_future"),
            models.CheckConstraint(
                condition=Q(review_on__isnull=True) | Q(review_on__gt=F("date")),
                name="hsb_meeting_review_after_meeting",
            ),
            models.CheckConstraint(
                condition=Q(record_produced_on__isnull=True) | Q(record_produced_on__gte=F("date")),
                name="hsb_meeting_record_after_meeting",
            ),
            models.CheckConstraint(
                condition=Q(record_distributed_on__isnull=True)
                | Q(record_produced_on__isnull=False, record_distributed_on__gte=F("record_produced_on")),
                name="hsb_meeting_record_distributed_after_produced",
            ),
        ]
        indexes = [
            models.Index(fields=["date"], name="hsb_meeting_date_idx"),
            models.Index(
                fields=["record_distributed_due"],
                name="hsb_meeting_record_open_idx",
                condition=Q(record_distributed_on__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"HSB meeting on {self.date:%d %b %Y}"

    @property
    def agency_labels(self) -> list[str]:
        labels = dict(MeetingAgency.choices)
        return [labels.get(code, code) for code in self.agencies]


class OutsidePractitioner(models.Model):
    """A practitioner from another agency (a youth offending service worker, a police officer)
    who is on the HSB training register or does assessments: by name and agency."""

    name = models.CharField(max_length=120)
    agency = models.CharField(max_length=120, help_text="For example, Youth Offending Service.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "agency"]
        constraints = [
            models.UniqueConstraint(Lower("name"), Lower("agency"), name="outside_practitioner_once"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency})"


def _one_worker(prefix: str) -> Q:
    staff, practitioner = f"{prefix}staff", f"{prefix}practitioner"
    return Q(**{f"{staff}__isnull": False, f"{practitioner}__isnull": True}) | Q(
        **{f"{staff}__isnull": True, f"{practitioner}__isnull": False}
    )


class HsbTrainingRecord(models.Model):
    """That a worker (a member of staff or an outside practitioner) completed an HSB course."""

    staff = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, null=True, blank=True, related_name="hsb_training"
    )
    practitioner = models.ForeignKey(
        OutsidePractitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="training"
    )
    course = models.CharField(max_length=16, choices=Course.choices)
    completed_on = models.DateField("date completed")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-completed_on", "pk"]
        verbose_name = "HSB training record"
        constraints = [
            models.CheckConstraint(condition=_one_worker(""), name="hsb_training_one_worker"),
            models.CheckConstraint(
                condition=Q(completed_on__lte=CurrentDate()), name="hsb_training_not_in_future"
            ),
            models.UniqueConstraint(
                fields=["staff", "course", "completed_on"], name="hsb_training_staff_once_a_day"
            ),
            models.UniqueConstraint(
                fields=["practitioner", "course", "completed_on"], name="hsb_training_practitioner_once_a_day"
            ),
        ]
        indexes = [models.Index(fields=["course", "completed_on"], name="hsb_training_course_idx")]

    def __str__(self) -> str:
        return f"{self.get_course_display()} on {self.completed_on:%d %b %Y}"

    @property
    def worker_name(self) -> str:
        return self.staff.full_name if self.staff_id else self.practitioner.name


class HsbAssessment(models.Model):
    """An AIM2 or AIM3 assessment of a referred child: by someone trained in that model (the
    training register is checked), with its outcome. A child outside the model's age range is
    assessed only when the assessor confirms it (``age_confirmed``)."""

    child_path = "referral__child"

    referral = models.ForeignKey(HsbReferral, on_delete=models.PROTECT, related_name="assessments")
    tool = models.CharField("assessment model", max_length=8, choices=AssessmentTool.choices)
    date = models.DateField("date of the assessment")
    assessor_staff = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, null=True, blank=True, related_name="hsb_assessments"
    )
    assessor_practitioner = models.ForeignKey(
        OutsidePractitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="assessments"
    )
    outcome = models.CharField(max_length=8, choices=AssessmentOutcome.choices)
    summary = models.CharField(max_length=REASON_LIMIT, blank=True)
    age_confirmed = models.BooleanField(
        "the assessor confirmed the model for a child outside its age range", default=False
    )
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "pk"]
        verbose_name = "HSB assessment"
        constraints = [
            models.CheckConstraint(condition=_one_worker("assessor_"), name="hsb_assessment_one_assessor"),
            models.CheckConstraint(condition=Q(date__lte=CurrentDate()), name="hsb_assessment_not_in_future"),
        ]

    def __str__(self) -> str:
        return f"{self.get_tool_display()} assessment on {self.date:%d %b %Y}"

    @property
    def assessor_name(self) -> str:
        return self.assessor_staff.full_name if self.assessor_staff_id else str(self.assessor_practitioner)


class PlannedCourse(models.Model):
    """A course in the HSB training plan (seed 7.4): for whom, with how many places."""

    course = models.CharField(max_length=16, choices=Course.choices)
    audience = models.CharField(max_length=200, help_text="Who the course is for.")
    places = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Leave blank when it is open to everyone in the audience."
    )
    planned_from = models.DateField("planned to start", null=True, blank=True)
    notes = models.CharField(max_length=REASON_LIMIT, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["planned_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(places__isnull=True) | Q(places__gte=1), name="planned_course_has_places"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_course_display()} for {self.audience}"
