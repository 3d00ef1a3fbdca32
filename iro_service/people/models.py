"""Children, families, teams and staff: the people every other app refers to."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, DateRangeField, RangeOperators
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Func, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from iro_service.core.db import CurrentDate
from iro_service.core.restriction import RestrictedQuerySet
from iro_service.people.codes import (
    CHILD_ID_PATTERN,
    CHILD_ID_RULE,
    UPN_PATTERN,
    Disability,
    Employment,
    Ethnicity,
    JobRole,
    Sex,
    TeamKind,
)


class DateRange(Func):
    """daterange(start, end, '[)'): the half-open range used by the overlap exclusions."""

    function = "DATERANGE"
    output_field = DateRangeField()


class Team(models.Model):
    """A team: the IRO service's teams, business support and the social work teams IROs challenge."""

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=32, choices=TeamKind.choices, default=TeamKind.OTHER)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StaffMemberQuerySet(models.QuerySet):
    def in_post(self, on: date) -> StaffMemberQuerySet:
        """Staff employed on ``on``: started on or before it and not yet left."""
        return self.filter(start_date__lte=on).filter(Q(end_date__isnull=True) | Q(end_date__gte=on))

    def iros(self) -> StaffMemberQuerySet:
        return self.filter(job_role=JobRole.IRO)

    def total_fte(self) -> Decimal:
        """The summed FTE, in one aggregate query (0 when there is nobody)."""
        return self.aggregate(total=models.Sum("fte"))["total"] or Decimal("0")


class StaffMember(models.Model):
    """A member of staff: an IRO (with FTE, for caseload), a manager, business support or a
    practitioner that QA alerts are addressed to. Practitioners need no user account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_member",
    )
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    email = models.EmailField(blank=True)
    job_role = models.CharField(max_length=32, choices=JobRole.choices)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="members")
    fte = models.DecimalField(
        "full-time equivalent",
        max_digits=3,
        decimal_places=2,
        default=1,
        help_text="1.00 for full time; 0.60 for three days a week.",
    )
    employment = models.CharField(max_length=16, choices=Employment.choices, default=Employment.PERMANENT)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="Last day in post.")
    history = HistoricalRecords()

    objects = StaffMemberQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(condition=Q(fte__gt=0) & Q(fte__lte=1), name="staff_fte_between_0_and_1"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="staff_left_after_starting",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Child(models.Model):
    """A child known to the IRO service: in care, on a child protection plan, or unborn and the
    subject of a pre-birth conference. Special-category personal data: every view is logged."""

    local_child_id = models.CharField(
        "child ID",
        max_length=20,
        unique=True,
        validators=[RegexValidator(CHILD_ID_PATTERN, message=f"Enter a valid child ID: {CHILD_ID_RULE}.")],
        help_text="The council's own identifier (SSDA903 CHILD, CIN census LAchildID): "
        "up to 10 letters or digits.",
    )
    # Blank only for a child imported from a statutory return, which carries no names.
    first_name = models.CharField(max_length=80, blank=True)
    last_name = models.CharField(max_length=80, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_birth = models.DateField(
        null=True, blank=True, help_text="For an unborn child, instead of a date of birth."
    )
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, default=Ethnicity.NOBT)
    disabilities = ArrayField(
        models.CharField(max_length=4, choices=Disability.choices),
        default=list,
        blank=True,
        help_text="CIN census codes; NONE stands alone.",
    )
    upn = models.CharField(
        "unique pupil number",
        max_length=13,
        blank=True,
        help_text="13 characters: a letter then 12 letters or digits; or UN1 to UN10, the DfE's "
        "codes for why it is not known.",
    )
    is_mother = models.BooleanField(
        "is a mother", null=True, blank=True, help_text="SSDA903 MOTHER: for a young woman in care."
    )
    mother_child_dob = models.DateField(
        "her child's date of birth", null=True, blank=True, help_text="SSDA903 MC_DOB."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "local_child_id"]
        verbose_name_plural = "children"
        permissions = [
            ("restrict_child", "Restrict a child's record to named staff"),
            (
                "change_any_childs_records",
                "Change reviews and conferences they neither chair nor are the child's IRO for",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_of_birth__isnull=False) | Q(expected_date_of_birth__isnull=False),
                name="child_has_birth_or_expected_date",
            ),
            models.CheckConstraint(
                condition=Q(date_of_birth__isnull=True) | Q(date_of_birth__lte=CurrentDate()),
                name="child_born_not_in_future",
            ),
            models.CheckConstraint(
                condition=~Q(disabilities__contains=[Disability.NONE]) | Q(disabilities__len=1),
                name="child_disability_none_stands_alone",
            ),
            models.CheckConstraint(
                condition=Q(upn="") | Q(upn__regex=UPN_PATTERN),
                name="child_upn_format",
            ),
            models.CheckConstraint(
                condition=Q(local_child_id__regex=CHILD_ID_PATTERN),
                name="child_local_id_format",
            ),
            models.CheckConstraint(
                condition=Q(mother_child_dob__isnull=True) | Q(is_mother=True),
                name="child_mother_child_dob_only_for_a_mother",
            ),
        ]
        indexes = [
            models.Index(fields=["last_name", "first_name"], name="child_name_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.local_child_id})"

    def get_absolute_url(self) -> str:
        return reverse("people:child-detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return name or f"Child {self.local_child_id} (name not recorded)"

    @property
    def sort_name(self) -> str:
        """ "Last, First" as lists show it; for a child imported without names, the full name."""
        if self.first_name and self.last_name:
            return f"{self.last_name}, {self.first_name}"
        return self.full_name

    @property
    def short_name(self) -> str:
        """How a message refers to the child: the first name, or the child ID if none is recorded."""
        return self.first_name or f"Child {self.local_child_id}"

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None

    def age_on(self, on: date) -> int | None:
        """Age in whole years on ``on``; None for an unborn child."""
        if self.date_of_birth is None or on < self.date_of_birth:
            return None
        born = self.date_of_birth
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class ChildRestriction(models.Model):
    """A child's record restricted to named staff (a relative of a member of staff, a child in
    the news): everyone else is answered 404 by every page and endpoint of the child, and the
    child is left out of every list, search, figure drill-down and export they can reach
    (``iro_service.core.restriction``). Lifting the restriction deletes the row; the history
    keeps who restricted the record, when, why and for whom."""

    child = models.OneToOneField(Child, on_delete=models.CASCADE, related_name="restriction")
    reason = models.CharField(
        max_length=500, help_text="Why the record is restricted, for the managers who review it."
    )
    restricted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["child_id"]

    def __str__(self) -> str:
        return f"Restriction of {self.child}"


class ChildRestrictionMember(models.Model):
    """One member of staff named on a restriction: they keep seeing the child's record."""

    restriction = models.ForeignKey(ChildRestriction, on_delete=models.CASCADE, related_name="members")
    staff_member = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["restriction_id", "staff_member_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["restriction", "staff_member"], name="child_restriction_member_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff_member} may see {self.restriction.child}"


class Family(models.Model):
    """A household. Conferences are for a family; children can move between families."""

    reference = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=120, help_text="How staff refer to the household.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "families"

    def __str__(self) -> str:
        return f"{self.name} ({self.reference})"


class FamilyMembership(models.Model):
    """A child's membership of a household from ``start_date`` until ``end_date`` (exclusive)."""

    child_path = "child"

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="memberships")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="family_memberships")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="family_membership_ends_after_start",
            ),
            ExclusionConstraint(
                name="family_membership_one_household_at_a_time",
                expressions=[
                    ("child", RangeOperators.EQUAL),
                    (DateRange("start_date", "end_date", models.Value("[)")), RangeOperators.OVERLAPS),
                ],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child} in {self.family} from {self.start_date}"


class IroAllocation(models.Model):
    """Which IRO a child has, from ``start_date`` until ``end_date`` (the day the next IRO takes
    over). History is kept because continuity of IRO is measured."""

    child_path = "child"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="iro_allocations")
    iro = models.ForeignKey(
        StaffMember,
        on_delete=models.PROTECT,
        related_name="allocations",
        limit_choices_to={"job_role": JobRole.IRO},
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["child_id", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="iro_allocation_ends_after_start",
            ),
            # Also guarantees one current IRO: two open-ended allocations always overlap.
            ExclusionConstraint(
                name="iro_allocation_no_overlap",
                expressions=[
                    ("child", RangeOperators.EQUAL),
                    (DateRange("start_date", "end_date", models.Value("[)")), RangeOperators.OVERLAPS),
                ],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.iro} for {self.child} from {self.start_date}"
