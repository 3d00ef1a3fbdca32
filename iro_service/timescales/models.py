"""Extra non-working days and the one row of local timescale settings."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class NonWorkingDay(models.Model):
    """A day the council does not count as a working day beyond England's bank holidays: a
    local closure day, or a one-off bank holiday announced after the ``holidays`` release."""

    date = models.DateField(unique=True, error_messages={"unique": "That day is already a non-working day"})
    description = models.CharField(max_length=120)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d %B %Y}: {self.description}"


def _days(default: int, help_text: str, maximum: int = 60):
    return models.PositiveSmallIntegerField(
        default=default,
        help_text=help_text,
        validators=[MinValueValidator(0), MaxValueValidator(maximum)],
    )


class ReviewDateFrom(models.TextChoices):
    FIRST_PART = "first_part", "The date of the first part"


def default_escalation_stages() -> list[str]:
    return ["Team manager", "Service manager", "Head of service", "Assistant director"]


class TimescaleSettings(models.Model):
    """Every timescale that differs between local authorities (the [setting]s of domain.md),
    with the defaults of the IRO Handbook and the seed authority. There is exactly one row:
    read it with ``selectors.timescale_settings()``, change it with
    ``services.timescale_settings_update()``."""

    singleton = models.BooleanField(default=True, editable=False, unique=True)

    # Children in care (domain.md section 2)
    review_date_from = models.CharField(
        max_length=16,
        choices=ReviewDateFrom.choices,
        default=ReviewDateFrom.FIRST_PART,
        help_text="Which part of a review held in parts gives the review its date. Counting the "
        "next review from a later part makes reviews late, so only the first part is offered.",
    )
    lac_sw_report_days_before = _days(
        3, "Working days before a LAC review that the social worker's report is due."
    )
    lac_decisions_days = _days(5, "Working days after a LAC review to circulate its decisions.")
    lac_record_days = _days(20, "Working days after a LAC review to distribute its record.")

    # Child protection (domain.md section 3)
    icpc_days_from_strategy = _days(
        15, "Working days from the strategy discussion to the initial conference."
    )
    transfer_in_days = _days(
        15, "Working days from notification of a transfer to the receiving-in conference."
    )
    pre_birth_weeks_gestation = models.PositiveSmallIntegerField(
        default=28,
        validators=[MinValueValidator(10), MaxValueValidator(40)],
        help_text="Weeks of gestation by which a pre-birth conference is held.",
    )
    icpc_report_to_parents_days = _days(
        2, "Working days before an initial conference that parents receive the report."
    )
    icpc_report_to_chair_days = _days(
        1, "Working days before an initial conference that the chair receives the report."
    )
    rcpc_report_days = _days(
        3, "Working days before a review conference that parents and chair receive the report."
    )
    cp_record_days = _days(10, "Working days after a conference to distribute the record and plan.")
    cp_record_target_days = _days(5, "Local target, in working days, for distributing a conference record.")
    cp_plan_structured_review_months = models.PositiveSmallIntegerField(
        default=9,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text="Months a plan has been open before it gets a structured review.",
    )

    # Harmful sexual behaviour (domain.md section 4): the record of an HSB meeting, kept like a
    # review's record. No national timescale: these are the local defaults.
    hsb_record_produced_days = models.PositiveSmallIntegerField(
        "HSB meeting record: working days to produce it",
        default=10,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
        help_text="Working days after an HSB meeting by which the chair produces its record.",
    )
    hsb_record_distributed_days = models.PositiveSmallIntegerField(
        "HSB meeting record: working days to distribute it",
        default=15,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
        help_text="Working days after an HSB meeting by which its record is distributed.",
    )

    # QA alerts (domain.md section 5)
    qa_response_days = _days(10, "Working days for a practitioner to respond to a QA alert.")
    qa_process_days = _days(20, "Working days within which the whole escalation should end.")
    qa_escalation_stages = models.JSONField(
        default=default_escalation_stages,
        help_text="The escalation stages, in order, by the role each is addressed to.",
    )
    qa_escalation_days = models.PositiveSmallIntegerField(
        "working days for each escalation stage",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="Working days the person a QA alert is escalated to has to respond, counted "
        "from the day it reaches their stage.",
    )
    qa_reminder_days = models.PositiveSmallIntegerField(
        "working days before a QA response is due to send a reminder",
        default=2,
        validators=[MinValueValidator(0), MaxValueValidator(20)],
        help_text="How many working days before a QA alert stage is due its addressee is reminded "
        "by email. 0 sends the reminder on the day it is due.",
    )
    qa_link_valid_days = models.PositiveSmallIntegerField(
        "days a QA response link works",
        default=28,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="Calendar days the response link in a QA alert email keeps working. After that "
        "the addressee must ask the IRO for a new one.",
    )

    # Reminders and caseload
    reminder_working_days = _days(10, "Working days ahead that reminders and amber status look.")
    caseload_guidance_min = models.PositiveSmallIntegerField(default=50)
    caseload_guidance_max = models.PositiveSmallIntegerField(default=70)

    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "timescale settings"
        verbose_name_plural = "timescale settings"
        constraints = [
            models.CheckConstraint(condition=Q(singleton=True), name="timescale_settings_single_row"),
            models.CheckConstraint(
                condition=Q(caseload_guidance_min__lte=models.F("caseload_guidance_max")),
                name="timescale_settings_caseload_range",
            ),
        ]

    def __str__(self) -> str:
        return "Timescale settings"


class DueDateSweep(models.Model):
    """The last complete nightly sweep of one app's cached due dates, and the calendar it
    worked to (``fingerprint``: the settings, the extra non-working days and the bank holidays'
    release). While the calendar is the same, the next sweep need only look at the records
    changed since this one began: nothing else can have moved a due date."""

    name = models.CharField(max_length=60, unique=True)
    fingerprint = models.CharField(max_length=64)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name}: {self.finished_at:%d %B %Y %H:%M}"
