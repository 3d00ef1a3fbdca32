"""Models of the reviews app. Children in care: periods of care, episodes, LAC reviews and their
parts, visits and records.

Dates are facts; the due dates stored here (``LacReview.due_date``, ``sw_report_due``,
``decisions_due``, ``record_due`` and ``PeriodOfCare.next_review_due``) are a cache written by
one function, ``services.period_due_dates_refresh``, so that lists and figures can compare
columns in SQL.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from iro_service.core.db import CurrentDate
from iro_service.core.restriction import RestrictedQuerySet
from iro_service.people.codes import POSTCODE_PATTERN, POSTCODE_RULE, URN_PATTERN, URN_RULE, JobRole
from iro_service.people.models import Child, DateRange, StaffMember
from reviews.codes import CodeListName, ContactKind, MeetingStatus, ParticipationCode, PermanencePlanType
from reviews.due_dates import is_on_time


class Code(models.Model):
    """One code of an SSDA903 code list, valid from collection year ``first_year`` to
    ``last_year`` (named by the year each ends: 2017 is 2016-17). Code lists change between
    years, so they are data, loaded by a migration and extended by the next one."""

    list_name = models.CharField(max_length=24, choices=CodeListName.choices)
    code = models.CharField(max_length=8)
    label = models.CharField(max_length=200)
    first_year = models.PositiveSmallIntegerField(default=2004)
    last_year = models.PositiveSmallIntegerField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["list_name", "code", "first_year"]
        constraints = [
            models.UniqueConstraint(fields=["list_name", "code", "first_year"], name="code_unique_by_year"),
            models.CheckConstraint(
                condition=Q(last_year__isnull=True) | Q(last_year__gte=F("first_year")),
                name="code_years_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.label}"


class PeriodOfCare(models.Model):
    """A continuous time looked after, made of SSDA903 episodes: it starts with an episode whose
    reason for new episode is S and ends when the last episode ends. Each period restarts the
    review cycle. ``start_date`` and ``end_date`` are kept equal to the episodes' by the
    services; ``is_short_breaks`` and ``next_review_due`` are cached by the refresh service."""

    child_path = "child"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="periods_of_care")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    is_short_breaks = models.BooleanField(
        default=False, help_text="Every episode has legal status V3 or V4 (short breaks)."
    )
    next_review_due = models.DateField(
        null=True, blank=True, help_text="Cached: the due date of the next review while the period is open."
    )
    first_review_due = models.DateField(
        null=True,
        blank=True,
        help_text="Cached: the due date of the period's first review, kept after the period ends so that "
        "figures for a past date know when a child with no review yet was due one.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["child_id", "start_date"]
        verbose_name_plural = "periods of care"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="period_of_care_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(start_date__lte=CurrentDate()), name="period_of_care_not_in_future"
            ),
            # '[]' on the closed end: a child who leaves care one day cannot be in a new
            # period the same day. Two open periods always overlap, so this also means at most
            # one open period per child.
            ExclusionConstraint(
                name="period_of_care_no_overlap",
                expressions=[
                    ("child", RangeOperators.EQUAL),
                    (DateRange("start_date", "end_date", models.Value("[]")), RangeOperators.OVERLAPS),
                ],
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(next_review_due__isnull=True),
                name="period_of_care_closed_has_no_review_due",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_review_due"], condition=Q(end_date__isnull=True), name="period_open_due_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.child} in care from {self.start_date:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.end_date is None


class Episode(models.Model):
    """An SSDA903 episode: a stretch of a period of care with one legal status and placement.
    The episodes of a period are contiguous (each starts the day the one before ends) and the
    first has reason for new episode S."""

    child_path = "period__child"

    period = models.ForeignKey(PeriodOfCare, on_delete=models.CASCADE, related_name="episodes")
    start_date = models.DateField("date episode commenced (DECOM)")
    reason_for_new_episode = models.CharField("reason for new episode (RNE)", max_length=2)
    legal_status = models.CharField("legal status (LS)", max_length=2)
    category_of_need = models.CharField("category of need (CIN)", max_length=2)
    # Three characters from 2025-26, when Z1 became Z11 to Z14.
    placement = models.CharField("placement type (PLACE)", max_length=3)
    placement_provider = models.CharField("placement provider", max_length=3, blank=True)
    end_date = models.DateField("date episode ceased (DEC)", null=True, blank=True)
    reason_ceased = models.CharField("reason episode ceased (REC)", max_length=4, blank=True)
    reason_place_change = models.CharField("reason for placement change", max_length=6, blank=True)
    home_postcode = models.CharField(max_length=8, blank=True)
    placement_postcode = models.CharField(max_length=8, blank=True)
    urn = models.CharField("Ofsted URN", max_length=10, blank=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["period_id", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="episode_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True, reason_ceased="")
                | (Q(end_date__isnull=False) & ~Q(reason_ceased="")),
                name="episode_end_date_and_reason_together",
            ),
            ExclusionConstraint(
                name="episode_no_overlap_in_period",
                expressions=[
                    ("period", RangeOperators.EQUAL),
                    (DateRange("start_date", "end_date", models.Value("[)")), RangeOperators.OVERLAPS),
                ],
            ),
        ]

    def __str__(self) -> str:
        return f"Episode from {self.start_date:%d %b %Y} ({self.legal_status}, {self.placement})"

    def clean(self) -> None:
        # The postcodes and URN go into the SSDA903 return as they are: hold them to its formats.
        errors = {}
        for name, pattern, rule in (
            ("home_postcode", POSTCODE_PATTERN, POSTCODE_RULE),
            ("placement_postcode", POSTCODE_PATTERN, POSTCODE_RULE),
            ("urn", URN_PATTERN, URN_RULE),
        ):
            value = getattr(self, name)
            if value and not re.fullmatch(pattern, value):
                errors[name] = f"'{value}' is not {rule}."
        if errors:
            raise ValidationError(errors)


class LacReview(models.Model):
    """A looked-after child's review. It may be held in parts; its date is the date of part 1,
    written only by the service that writes the parts. The *_due dates are a cache refreshed by
    ``services.period_due_dates_refresh`` so that being on time is a comparison of columns:
    review_date <= due_date, sw_report_received <= sw_report_due, decisions_circulated <=
    decisions_due, record_distributed <= record_due."""

    child_path = "child"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="lac_reviews")
    period = models.ForeignKey(PeriodOfCare, on_delete=models.CASCADE, related_name="reviews")
    sequence = models.PositiveSmallIntegerField(help_text="1 for the first review of the period of care.")
    review_date = models.DateField(help_text="The date of part 1.")
    due_date = models.DateField()
    chair = models.ForeignKey(
        StaffMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chaired_reviews",
        limit_choices_to={"job_role": JobRole.IRO},
        help_text="Blank only for reviews imported from another system.",
    )
    participation_code = models.CharField(max_length=3, choices=ParticipationCode.choices, blank=True)
    sw_report_received = models.DateField("social worker's report received", null=True, blank=True)
    sw_report_due = models.DateField()
    decisions_circulated = models.DateField(null=True, blank=True)
    decisions_due = models.DateField()
    record_completed = models.DateField("record completed by the IRO", null=True, blank=True)
    record_distributed = models.DateField(null=True, blank=True)
    record_due = models.DateField()
    next_review_due = models.DateField(
        null=True,
        blank=True,
        help_text="Cached: the due date of the review after this one, worked out from this review's "
        "date, so that figures for a past date know when the next review was due.",
    )
    late_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["child_id", "review_date"]
        permissions = [("distribute_record", "Can mark review records distributed")]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "sequence"],
                name="lac_review_sequence_unique_in_period",
                deferrable=models.Deferrable.DEFERRED,
            ),
            models.UniqueConstraint(fields=["period", "review_date"], name="lac_review_one_per_day"),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="lac_review_sequence_from_1"),
            models.CheckConstraint(
                condition=Q(review_date__lte=CurrentDate()), name="lac_review_not_in_future"
            ),
            models.CheckConstraint(
                condition=Q(participation_code="") | Q(participation_code__in=ParticipationCode.values),
                name="lac_review_participation_code_valid",
            ),
            models.CheckConstraint(
                condition=Q(record_distributed__isnull=True)
                | Q(record_completed__isnull=False, record_distributed__gte=F("record_completed")),
                name="lac_review_record_distributed_after_completed",
            ),
            models.CheckConstraint(
                condition=Q(record_completed__isnull=True) | Q(record_completed__gte=F("review_date")),
                name="lac_review_record_completed_after_review",
            ),
        ]
        indexes = [
            models.Index(
                fields=["record_due"],
                condition=Q(record_completed__isnull=False, record_distributed__isnull=True),
                name="lac_review_to_distribute_idx",
            ),
            models.Index(fields=["review_date"], name="lac_review_date_idx"),
        ]

    def __str__(self) -> str:
        return f"Review {self.sequence} for {self.child} on {self.review_date:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:review-edit", args=[self.pk])

    @property
    def is_on_time(self) -> bool:
        return is_on_time(self, "review")


class ReviewPart(models.Model):
    """One meeting of a review held in parts. Part 1 gives the review its date; later parts are
    on or after it and never move the review's date or the next review's due date."""

    child_path = "review__child"

    review = models.ForeignKey(LacReview, on_delete=models.CASCADE, related_name="parts")
    part_number = models.PositiveSmallIntegerField()
    date = models.DateField()
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["review_id", "part_number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "part_number"], name="review_part_unique_number"),
            models.CheckConstraint(condition=Q(part_number__gte=1), name="review_part_number_from_1"),
            models.CheckConstraint(condition=Q(date__lte=CurrentDate()), name="review_part_not_in_future"),
        ]

    def __str__(self) -> str:
        return f"Part {self.part_number} on {self.date:%d %b %Y}"


class ReviewMeeting(models.Model):
    """A review meeting booked by business support, and what became of it: held, cancelled or
    moved to another date, with the reason."""

    child_path = "period__child"

    period = models.ForeignKey(PeriodOfCare, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    status = models.CharField(max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.BOOKED)
    reason = models.CharField(max_length=500, blank=True, help_text="Why it was cancelled or moved.")
    review = models.ForeignKey(
        LacReview, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The version an editor started from: cancelling or moving a meeting is refused if it has
    # changed since, so two people cannot both act on it without seeing the other's change.
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["period_id", "date"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=[MeetingStatus.CANCELLED, MeetingStatus.REBOOKED]) | ~Q(reason=""),
                name="review_meeting_cancellation_has_reason",
            ),
            models.UniqueConstraint(
                fields=["period"],
                condition=Q(status=MeetingStatus.BOOKED),
                name="review_meeting_one_booked_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"Review meeting on {self.date:%d %b %Y} ({self.get_status_display()})"


class IroContact(models.Model):
    """A visit or other contact between the IRO and the child between reviews."""

    child_path = "child"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="iro_contacts")
    iro = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="contacts")
    date = models.DateField()
    kind = models.CharField(max_length=8, choices=ContactKind.choices)
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["child_id", "-date"]
        constraints = [
            models.CheckConstraint(condition=Q(date__lte=CurrentDate()), name="iro_contact_not_in_future"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.date:%d %b %Y}"


class PermanencePlan(models.Model):
    """The child's plan for permanence, agreed by the second review at the latest."""

    child_path = "period__child"

    period = models.ForeignKey(PeriodOfCare, on_delete=models.CASCADE, related_name="permanence_plans")
    plan_type = models.CharField(max_length=24, choices=PermanencePlanType.choices)
    date_agreed = models.DateField()
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["period_id", "date_agreed"]
        constraints = [
            models.UniqueConstraint(fields=["period", "date_agreed"], name="permanence_plan_one_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.get_plan_type_display()} agreed {self.date_agreed:%d %b %Y}"


class CafcassInvolvement(models.Model):
    """A Cafcass Children's Guardian during care proceedings, and the handover to the IRO when
    proceedings end."""

    child_path = "child"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="cafcass_involvements")
    guardian_name = models.CharField(max_length=120)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    handover_date = models.DateField(null=True, blank=True)
    # The version an editor started from: a change is refused if the record changed since.
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["child_id", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="cafcass_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(handover_date__isnull=True) | Q(handover_date__gte=F("start_date")),
                name="cafcass_handover_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Children's Guardian {self.guardian_name} from {self.start_date:%d %b %Y}"


class LegalAdviceReferral(models.Model):
    """A referral of the child for independent legal advice, which the IRO must consider when
    the child's rights are not being met."""

    child_path = "child"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="legal_advice_referrals")
    date_referred = models.DateField()
    reason = models.TextField()
    outcome = models.TextField(blank=True)
    # The version an editor started from: a change is refused if the record changed since.
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["child_id", "date_referred"]

    def __str__(self) -> str:
        return f"Referral for legal advice on {self.date_referred:%d %b %Y}"


class IroReminder(models.Model):
    """That the nightly job has sent an IRO their reminder for a day: it makes the job safe to
    run twice."""

    iro = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="review_reminders")
    sent_on = models.DateField()
    reviews_due = models.PositiveIntegerField()
    records_overdue = models.PositiveIntegerField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-sent_on"]
        constraints = [
            models.UniqueConstraint(fields=["iro", "sent_on"], name="iro_reminder_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"Reminder to {self.iro} on {self.sent_on:%d %b %Y}"
