"""Models of the conferences app. Child protection: conferences, attendance, reports, records, CP
plans and appeals (domain.md section 3).

Dates are facts; the due dates on ``Conference`` and ``ConferenceChild`` are a cache written by
one function, ``services.conference_due_dates_refresh``, so that reports can compare columns in
SQL (on time = ``date <= due_date``).

The choices (``ConferenceType``, ``ChildStage``, ...) and the stage sets live in
``conferences.codes``; they are imported here so that callers can keep naming
them from ``conferences.models``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, RangeOperators
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from simple_history.models import HistoricalRecords

from conferences.codes import (  # noqa: F401 (re-exported)
    CIN_CATEGORY_CHOICES,
    INITIAL_STAGES,
    INITIAL_TYPES,
    REVIEW_STAGES,
    TYPE_STAGES,
    AbuseCategory,
    Agency,
    AppealOutcome,
    Appellant,
    ChildStage,
    ConferenceOutcome,
    ConferenceStatus,
    ConferenceType,
    PlanEndReason,
    ReminderKind,
    StoodDownReason,
    assessment_factors,
)
from iro_service.core.restriction import RestrictedQuerySet
from iro_service.people.codes import JobRole
from iro_service.people.models import Child, DateRange, Family, StaffMember


class StrategyDiscussion(models.Model):
    """The multi-agency strategy discussion about a family at which section 47 enquiries were
    started. The initial conference is due 15 working days (a setting) after it."""

    child_path = "enquiries__child"

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="strategy_discussions")
    date = models.DateField("date of the strategy discussion")
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"Strategy discussion for {self.family.name} on {self.date:%d %b %Y}"


class Section47Enquiry(models.Model):
    """A section 47 enquiry about one child, started at a strategy discussion. Kept per child:
    the CIN census reports S47ActualStartDate and DateOfInitialCPC child by child."""

    child_path = "child"

    strategy_discussion = models.ForeignKey(
        StrategyDiscussion, on_delete=models.CASCADE, related_name="enquiries"
    )
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="section47_enquiries")
    start_date = models.DateField("date the section 47 enquiry started")
    icpc_not_required = models.BooleanField(
        "initial conference not required",
        null=True,
        blank=True,
        help_text="CIN census ICPCnotRequired, kept from an import so that the export repeats it.",
    )
    # The child and family assessment the enquiry is part of (the CIN census Assessments
    # module): children's social care's own record, written here so that the census holds it.
    assessment_started_on = models.DateField("date the assessment started", null=True, blank=True)
    assessment_authorised_on = models.DateField("date the assessment was authorised", null=True, blank=True)
    assessment_factors = ArrayField(
        models.CharField(max_length=3),
        blank=True,
        default=list,
        help_text="The factors identified at the end of the assessment (the DfE's codes).",
    )
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["start_date"]
        verbose_name = "section 47 enquiry"
        verbose_name_plural = "section 47 enquiries"
        constraints = [
            models.UniqueConstraint(
                fields=["strategy_discussion", "child"], name="s47_one_enquiry_per_child_per_discussion"
            ),
            models.CheckConstraint(
                condition=Q(assessment_authorised_on__isnull=True)
                | Q(
                    assessment_started_on__isnull=False,
                    assessment_authorised_on__gte=models.F("assessment_started_on"),
                ),
                name="s47_assessment_authorised_after_start",
            ),
            models.CheckConstraint(
                condition=Q(assessment_factors=[]) | Q(assessment_authorised_on__isnull=False),
                name="s47_assessment_factors_when_authorised",
            ),
        ]

    def __str__(self) -> str:
        return f"Section 47 enquiry for {self.child} from {self.start_date:%d %b %Y}"

    @property
    def has_assessment(self) -> bool:
        return self.assessment_started_on is not None

    @property
    def assessment_factor_labels(self) -> list[str]:
        """Each factor identified with its DfE description ("3A: Domestic violence: ...")."""
        descriptions = assessment_factors()
        return [f"{code}: {descriptions.get(code, code)}" for code in self.assessment_factors]


class Conference(models.Model):
    """A child protection conference for a family, chaired by an IRO, about one or more of its
    children. Booked by business support, recorded by the chair; stood down on the day with a
    reason and rearranged as another conference. A stood-down conference is not held and does
    not move the clock."""

    child_path = "children__child"

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="conferences")
    conference_type = models.CharField(max_length=32, choices=ConferenceType.choices)
    date = models.DateField("date of the conference")
    # Blank only for a conference imported from the CIN census, which does not say who chaired it.
    chair = models.ForeignKey(
        StaffMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chaired_conferences",
        limit_choices_to={"job_role": JobRole.IRO},
    )
    strategy_discussion = models.ForeignKey(
        StrategyDiscussion, on_delete=models.PROTECT, null=True, blank=True, related_name="conferences"
    )
    paperwork_tracked = models.BooleanField(
        default=True,
        help_text="False for a conference imported from a CIN census: the return holds no report or "
        "record dates, so it is left out of the paperwork lists, reminders and figures.",
    )
    transfer_notified_on = models.DateField(
        "date the transfer in was notified",
        null=True,
        blank=True,
        help_text="Receiving-in conferences only: the clock starts from this date.",
    )
    status = models.CharField(
        max_length=16, choices=ConferenceStatus.choices, default=ConferenceStatus.BOOKED
    )
    stood_down_reason = models.CharField(max_length=40, choices=StoodDownReason.choices, blank=True)
    stood_down_detail = models.CharField(max_length=500, blank=True)
    rearranged_as = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="rearranged_from"
    )

    # Cached due dates: written only by services.conference_due_dates_refresh.
    due_date = models.DateField("due by", null=True, blank=True)
    parent_report_due = models.DateField("report to parents due by", null=True, blank=True)
    chair_report_due = models.DateField("report to chair due by", null=True, blank=True)
    record_due = models.DateField("record due by", null=True, blank=True)

    report_to_parents_on = models.DateField("date the report reached the parents", null=True, blank=True)
    report_to_chair_on = models.DateField("date the report reached the chair", null=True, blank=True)
    record_completed_on = models.DateField("date the record was completed", null=True, blank=True)
    record_distributed_on = models.DateField(
        "date the record and plan were distributed", null=True, blank=True
    )

    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "pk"]
        permissions = [
            ("book_conference", "Can book and rearrange conferences"),
            ("record_conference", "Can record what a conference decided"),
            ("track_conference_paperwork", "Can record reports received and records distributed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="stood_down") | Q(stood_down_reason=""),
                name="conference_reason_only_when_stood_down",
            ),
            models.CheckConstraint(
                condition=~Q(status="stood_down") | ~Q(stood_down_reason=""),
                name="conference_stood_down_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(transfer_notified_on__isnull=True) | Q(conference_type="initial_receiving_in"),
                name="conference_transfer_date_only_receiving_in",
            ),
            models.CheckConstraint(
                condition=Q(report_to_parents_on__isnull=True)
                | Q(report_to_parents_on__lte=models.F("date")),
                name="conference_parent_report_not_after_conference",
            ),
            models.CheckConstraint(
                condition=Q(report_to_chair_on__isnull=True) | Q(report_to_chair_on__lte=models.F("date")),
                name="conference_chair_report_not_after_conference",
            ),
            models.CheckConstraint(
                condition=Q(record_distributed_on__isnull=True) | Q(status="held"),
                name="conference_record_only_when_held",
            ),
            models.CheckConstraint(
                condition=Q(record_completed_on__isnull=True) | Q(record_completed_on__gte=models.F("date")),
                name="conference_record_completed_after_conference",
            ),
            models.CheckConstraint(
                condition=Q(record_distributed_on__isnull=True)
                | (
                    Q(record_completed_on__isnull=False)
                    & Q(record_distributed_on__gte=models.F("record_completed_on"))
                ),
                name="conference_record_distributed_after_completed",
            ),
            models.CheckConstraint(
                condition=Q(rearranged_as__isnull=True) | Q(status="stood_down"),
                name="conference_only_stood_down_rearranged",
            ),
        ]
        indexes = [
            models.Index(fields=["chair", "date"], name="conference_chair_date_idx"),
            models.Index(fields=["family", "date"], name="conference_family_date_idx"),
            # The family's previous held conference (chair continuity), read for every review
            # conference of the period: the last entry before the date, no sort.
            models.Index(
                fields=["family", "date", "id"], condition=Q(status="held"), name="conference_family_held_idx"
            ),
            models.Index(
                fields=["record_due"],
                name="conference_record_open_idx",
                condition=Q(status="held", record_distributed_on__isnull=True),
            ),
            # The conferences to book: the children with a conference booked now (some 40,000
            # nationally among 1.6 million) are left out, and the strategy discussions already
            # followed by a conference; each a scan of every conference without these.
            models.Index(fields=["id"], condition=Q(status="booked"), name="conference_booked_idx"),
            models.Index(
                fields=["strategy_discussion"],
                condition=Q(status__in=["booked", "held"], strategy_discussion__isnull=False),
                name="conference_discussion_idx",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_conference_type_display()} conference for {self.family.name} on {self.date:%d %b %Y}"
        )

    def get_absolute_url(self) -> str:
        return reverse("conferences:conference-detail", args=[self.pk])

    @property
    def is_initial(self) -> bool:
        return self.conference_type in INITIAL_TYPES

    @property
    def is_held(self) -> bool:
        return self.status == ConferenceStatus.HELD


class ConferenceChild(models.Model):
    """One child considered at a conference: the stage they are at, the date their stage was
    due by, and what the conference decided for them. The family of a conference are the
    children in the household at the time; children move between households."""

    child_path = "child"

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="children")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="conferences_considered")
    stage = models.CharField(max_length=24, choices=ChildStage.choices)
    outcome = models.CharField(max_length=24, choices=ConferenceOutcome.choices, blank=True)
    due_date = models.DateField("due by", null=True, blank=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    # The order the pages list a conference's children in. Not the default ordering: that would
    # join people_child into every query on this table, subqueries and deletes included.
    BY_NAME = ("child__last_name", "child__first_name", "child_id")

    class Meta:
        ordering = ["conference_id", "child_id"]
        verbose_name_plural = "conference children"
        constraints = [
            models.UniqueConstraint(fields=["conference", "child"], name="conference_child_once"),
            # An initial conference starts a plan or finds none needed; a review continues or
            # ends one.
            models.CheckConstraint(
                condition=Q(outcome="")
                | Q(stage__in=["initial", "initial_pre_birth"], outcome__in=["plan_started", "not_needed"])
                | Q(stage__in=["first_review", "review"], outcome__in=["plan_continued", "plan_ended"]),
                name="conference_child_outcome_fits_stage",
            ),
        ]
        indexes = [models.Index(fields=["child", "conference"], name="conference_child_child_idx")]

    def __str__(self) -> str:
        return f"{self.child} at {self.conference}"


VIEW_LIMIT = 2000


class ConferenceChildView(models.Model):
    """One point in the child's views section of the conference record: what the child said,
    in their own words, and what they were asked, for the record the chair writes and business
    support distribute. The chair (or the child's IRO) adds it, most often from the child's
    answer to their consultation before the conference; the consultations app says which
    answer, as the conferences app knows nothing of consultations."""

    child_path = "conference_child__child"

    conference_child = models.ForeignKey(ConferenceChild, on_delete=models.CASCADE, related_name="views")
    asked = models.CharField("what they were asked", max_length=300, blank=True)
    text = models.TextField("what they said", max_length=VIEW_LIMIT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["conference_child_id", "recorded_at", "id"]
        verbose_name = "child's view on the conference record"
        verbose_name_plural = "children's views on the conference record"
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="conference_child_view_has_words"),
        ]

    def __str__(self) -> str:
        return f"A view of {self.conference_child.child} on the conference record"


class AgencyInvitation(models.Model):
    """An agency invited to a conference: whether it came and sent a report (seed 6.11)."""

    child_path = "conference__children__child"

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="invitations")
    agency = models.CharField(max_length=24, choices=Agency.choices)
    invited = models.BooleanField(default=True)
    attended = models.BooleanField(default=False)
    report_submitted = models.BooleanField(default=False)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["conference_id", "agency"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "agency"], name="agency_invited_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_agency_display()} at {self.conference}"


class ChildProtectionPlanQuerySet(RestrictedQuerySet):
    def with_repeat_facts(self) -> ChildProtectionPlanQuerySet:
        """Annotate ``is_repeat`` (the child had any earlier plan, or an import declared one:
        the national measure) and ``previous_plan_ended`` (the end of the child's latest
        earlier plan, for the local "within 2 years" variant)."""
        earlier = ChildProtectionPlan.objects.filter(
            child=OuterRef("child"), start_date__lt=OuterRef("start_date")
        )
        return self.annotate(
            has_earlier_plan=Exists(earlier),
            previous_plan_ended=Subquery(earlier.order_by("-start_date").values("end_date")[:1]),
        ).annotate(is_repeat=Q(has_earlier_plan=True) | Q(previous_plans_declared__gt=0))

    def open_on(self, day) -> ChildProtectionPlanQuerySet:
        """Plans a child was on at the end of ``day``: started by then, not yet ended."""
        return self.filter(start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gt=day))


class ChildProtectionPlan(models.Model):
    """A child's child protection plan: starts on the date of the conference that made it, with
    one or more categories of abuse, and ends on the date of the conference that ended it.
    One child's plans never overlap."""

    child_path = "child"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="cp_plans")
    start_conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, null=True, blank=True, related_name="plans_started"
    )
    start_date = models.DateField()
    categories = ArrayField(
        models.CharField(max_length=3, choices=AbuseCategory.choices), default=list, blank=True
    )
    categories_not_itemised = models.BooleanField(
        default=False,
        help_text="Imported plans with the CIN code MUL (more than one category, not listed).",
    )
    end_conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, null=True, blank=True, related_name="plans_ended"
    )
    end_date = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=24, choices=PlanEndReason.choices, blank=True)
    previous_plans_declared = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Number of earlier plans declared by an import (NumberOfPreviousCPP).",
    )
    initial_category = models.CharField(
        "initial category of abuse",
        max_length=3,
        choices=CIN_CATEGORY_CHOICES,
        blank=True,
        help_text="CIN census InitialCategoryOfAbuse from an import (categories are the latest).",
    )
    # Cached, like a conference's due dates: written only by
    # ``conferences.services.conference_due_dates_refresh`` from the child's held conferences,
    # so that the conferences still to book are read from an index (nationally, working out
    # the last held conference of every open plan took three seconds a page). None once the
    # plan has ended.
    next_review_counted_from = models.DateField(
        "next review counted from",
        null=True,
        blank=True,
        editable=False,
        help_text="The child's last held conference, or the plan's start when none is held yet.",
    )
    next_review_due = models.DateField("next review due by", null=True, blank=True, editable=False)
    history = HistoricalRecords()

    objects = ChildProtectionPlanQuerySet.as_manager()

    class Meta:
        ordering = ["child_id", "start_date"]
        verbose_name = "child protection plan"
        permissions = [
            ("view_structured_review_list", "Can see the list of plans due a structured review"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(categories_not_itemised=True) | Q(categories__len__gte=1),
                name="cp_plan_has_a_category",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="cp_plan_ends_after_start",
            ),
            models.CheckConstraint(
                condition=(Q(end_date__isnull=True) & Q(end_reason=""))
                | (Q(end_date__isnull=False) & ~Q(end_reason="")),
                name="cp_plan_end_has_reason",
            ),
            ExclusionConstraint(
                name="cp_plan_no_overlap",
                expressions=[
                    ("child", RangeOperators.EQUAL),
                    (DateRange("start_date", "end_date", models.Value("[)")), RangeOperators.OVERLAPS),
                ],
            ),
        ]
        indexes = [
            models.Index(fields=["start_date"], name="cp_plan_open_idx", condition=Q(end_date__isnull=True)),
            models.Index(
                fields=["next_review_due"], name="cp_plan_review_due_idx", condition=Q(end_date__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"Child protection plan for {self.child} from {self.start_date:%d %b %Y}"

    @property
    def category_labels(self) -> list[str]:
        labels = dict(AbuseCategory.choices)
        if self.categories_not_itemised:
            return ["More than one category (not itemised)"]
        return [labels.get(code, code) for code in self.categories]


class CinEpisode(models.Model):
    """A child-in-need episode as the CIN census reports it (its CINdetails): kept from an import
    so that the export can repeat what this system does not otherwise hold, from the referral to
    the closure of the case. Child protection facts (section 47 enquiries, conferences, plans)
    live in their own models; an episode covers those dated from its referral to its closure."""

    child_path = "child"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="cin_episodes")
    referral_date = models.DateField("CIN referral date")
    referral_source = models.CharField(max_length=3, help_text="CIN census ReferralSource code.")
    primary_need = models.CharField(max_length=2, blank=True, help_text="CIN census PrimaryNeedCode.")
    closure_date = models.DateField("CIN closure date", null=True, blank=True)
    closure_reason = models.CharField(max_length=3, blank=True, help_text="CIN census ReasonForClosure.")
    referral_nfa = models.BooleanField("referral: no further action", default=False)
    initial_cpc_date = models.DateField(
        "date of the initial conference (episode)",
        null=True,
        blank=True,
        help_text="The episode-level DateOfInitialCPC as imported.",
    )
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["child_id", "referral_date"]
        verbose_name = "CIN episode"
        constraints = [
            models.UniqueConstraint(fields=["child", "referral_date"], name="cin_episode_once_per_referral"),
            models.CheckConstraint(
                condition=Q(closure_date__isnull=True) | Q(closure_date__gte=models.F("referral_date")),
                name="cin_episode_closed_after_referral",
            ),
        ]

    def __str__(self) -> str:
        return f"CIN episode for {self.child} from {self.referral_date:%d %b %Y}"


class Appeal(models.Model):
    """An appeal or complaint about a conference's decision or conduct (seed 6.14), by a young
    person, a parent or carer, or a professional, through up to three stages."""

    child_path = "conference__children__child"

    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="appeals")
    child = models.ForeignKey(
        Child, on_delete=models.SET_NULL, null=True, blank=True, related_name="cp_appeals"
    )
    appellant = models.CharField(max_length=24, choices=Appellant.choices)
    received_on = models.DateField("date received")
    stage = models.PositiveSmallIntegerField(default=1)
    outcome = models.CharField(max_length=16, choices=AppealOutcome.choices, default=AppealOutcome.PENDING)
    response_sent_on = models.DateField("date the written response was sent", null=True, blank=True)
    summary = models.CharField(max_length=500, blank=True)
    # The version an editor started from: a change is refused if the appeal changed since.
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(stage__gte=1) & Q(stage__lte=3), name="appeal_stage_1_to_3"),
            models.CheckConstraint(
                condition=Q(response_sent_on__isnull=True) | Q(response_sent_on__gte=models.F("received_on")),
                name="appeal_response_after_received",
            ),
        ]

    def __str__(self) -> str:
        return f"Appeal by {self.get_appellant_display().lower()} about {self.conference}"


class ConferenceReminder(models.Model):
    """That the nightly job has sent one reminder email for a day. The row is written (and
    committed) before the email goes, so a second run of the job, even a concurrent one,
    sends nothing twice; a failed send removes it so that the retry sends it."""

    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    recipient = models.CharField(max_length=254, help_text="The address the reminder went to.")
    sent_on = models.DateField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-sent_on", "kind", "recipient"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "sent_on"], name="conference_reminder_once_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient} on {self.sent_on:%d %b %Y}"
