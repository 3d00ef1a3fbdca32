"""Reads for the conferences app: one named query per screen, owning its joins, each a fixed
number of queries however many rows there are."""

from __future__ import annotations

import calendar
import heapq
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Concat

from conferences import dfe_rules
from conferences.cin_census.exporter import child_facts, children_in_scope
from conferences.codes import PlanEndReason
from conferences.due_dates import initial_conference_due, initial_conference_latest_discussion
from conferences.models import (
    TYPE_STAGES,
    AgencyInvitation,
    Appeal,
    ChildProtectionPlan,
    ChildStage,
    Conference,
    ConferenceChild,
    ConferenceChildView,
    ConferenceStatus,
    Section47Enquiry,
    StrategyDiscussion,
)
from iro_service.core.dfe import DfeWarning
from iro_service.people.models import Child, Family, FamilyMembership, StaffMember
from iro_service.people.selectors import child_current_iro_field, iro_allocated_on
from iro_service.timescales.dates import (
    add_months,
    collection_year,
    collection_year_bounds,
    extra_non_working_days,
)
from iro_service.timescales.selectors import timescale_settings

# "Within 2 years" is the local variant of the repeat-plan measure (domain.md section 3).
REPEAT_WITHIN_MONTHS = 24
# Plans open this long are flagged as long-running (seed 6.5).
LONG_PLAN_MONTHS = 24


def _conference_rows() -> QuerySet[Conference]:
    return Conference.objects.select_related("family", "chair").prefetch_related(
        Prefetch(
            "children",
            queryset=ConferenceChild.objects.select_related("child").order_by(*ConferenceChild.BY_NAME),
        )
    )


# --- chairs ---------------------------------------------------------------------------------


def conferences_upcoming(*, on: date, until: date | None = None, chair: StaffMember | None = None):
    """Booked conferences from ``on`` (to ``until``), soonest first."""
    rows = _conference_rows().filter(status=ConferenceStatus.BOOKED, date__gte=on)
    if until is not None:
        rows = rows.filter(date__lte=until)
    if chair is not None:
        rows = rows.filter(chair=chair)
    return rows.order_by("date", "pk").select_related("chair__user")


def records_overdue(*, on: date, chair: StaffMember | None = None):
    """Held conferences whose record was due before ``on`` and is not yet distributed."""
    rows = records_to_distribute().filter(record_due__lt=on)
    if chair is not None:
        rows = rows.filter(chair=chair)
    return rows.select_related("chair__user")


def conferences_not_recorded(*, on: date, chair: StaffMember | None = None):
    """Booked conferences whose date has passed: the chair still has to record them (or business
    support to mark them stood down)."""
    rows = _conference_rows().filter(status=ConferenceStatus.BOOKED, date__lt=on)
    if chair is not None:
        rows = rows.filter(chair=chair)
    return rows.order_by("date", "pk")


# --- business support -----------------------------------------------------------------------


def reports_outstanding(*, on: date):
    """Booked conferences from ``on`` still missing the date the report reached the parents or
    the chair, soonest first."""
    return (
        _conference_rows()
        .filter(status=ConferenceStatus.BOOKED, date__gte=on)
        .filter(Q(report_to_parents_on__isnull=True) | Q(report_to_chair_on__isnull=True))
        .order_by("date", "pk")
    )


def records_to_distribute(
    *,
    chair_id: int | None = None,
    team_id: int | None = None,
    completed_from: date | None = None,
    completed_to: date | None = None,
    overdue_on: date | None = None,
):
    """Held conferences whose record and plan have not been distributed, most overdue first.
    Filtered by the chair, the chair's team, the date the record was completed (both ends
    included; a bound leaves out records not yet completed) and, with ``overdue_on``, to those
    whose record was due before that day."""
    rows = _conference_rows().filter(
        status=ConferenceStatus.HELD, record_distributed_on__isnull=True, paperwork_tracked=True
    )
    if chair_id:
        rows = rows.filter(chair_id=chair_id)
    if team_id:
        rows = rows.filter(chair__team_id=team_id)
    if completed_from:
        rows = rows.filter(record_completed_on__gte=completed_from)
    if completed_to:
        rows = rows.filter(record_completed_on__lte=completed_to)
    if overdue_on:
        rows = rows.filter(record_due__lt=overdue_on)
    return rows.order_by("record_due", "date", "pk")


@dataclass
class ToBook:
    """A conference that should be booked: an initial after a strategy discussion, or the next
    review of a child's plan."""

    kind: str
    due: date | None
    family: Family | None
    children: list[Child] = field(default_factory=list)
    last_conference: date | None = None
    strategy_discussion: StrategyDiscussion | None = None


@dataclass(frozen=True)
class _ToBookKey:
    """A conference to book before it is read in full: enough to place it in the list."""

    due: date
    kind: str
    family_id: int | None
    child_ids: tuple[int, ...] = ()
    discussion_id: int | None = None
    last_conference: date | None = None

    @property
    def order(self) -> tuple:
        # Soonest due first; on one day the initials (counted in working days from the
        # discussion, the tighter timescale) before the reviews. Within each kind the order is
        # the database's.
        return (self.due, 0 if self.kind == "Initial" else 1)


class ConferencesToBook(Sequence):
    """The conferences to book, soonest due first: the initials from the strategy discussions,
    counted and paged by the database (ordered by the discussion's date, as their due date
    rises with it), and the reviews from the open plans' cached next reviews, grouped by
    household and due day in one query whose rows are kept for the list's life. A slice
    merges as many of each as it could need and reads in full only the families, children
    and discussions it shows: nationally the list is tens of thousands long, and a page shows
    50. Two queries to count it, at most seven a slice."""

    CHUNK = 1000

    def __init__(self, *, discussions: QuerySet, plans: QuerySet, settings_row, extra):
        self.discussions = discussions.order_by("date", "family__name", "pk")
        self.plans = plans
        self.settings_row = settings_row
        self.extra = extra
        self._initial_count: int | None = None
        self._review_rows: list[tuple] | None = None

    def _reviews(self) -> list[tuple]:
        # Counting the groups costs what reading them does (every open plan is grouped before
        # the first can be known), so they are read once, in order, and counted in Python.
        if self._review_rows is None:
            self._review_rows = _review_groups(self.plans)
        return self._review_rows

    def __len__(self) -> int:
        if self._initial_count is None:
            self._initial_count = self.discussions.count()
        return self._initial_count + len(self._reviews())

    def _keys(self, stop: int | None) -> list[_ToBookKey]:
        """The first ``stop`` items of the list (all of it for None): the first ``stop`` of
        each kind merged, as no more of either can come before the ``stop``-th."""
        initials = self.discussions.values_list("pk", "date", "family_id")
        initial_keys = (
            _ToBookKey(
                due=initial_conference_due(
                    counted_from=discussed_on, settings_row=self.settings_row, extra=self.extra
                ),
                kind="Initial",
                family_id=family_id,
                discussion_id=pk,
            )
            for pk, discussed_on, family_id in (initials if stop is None else initials[:stop])
        )
        review_keys = (
            _ToBookKey(
                due=due, kind="Review", family_id=family_id, child_ids=tuple(child_ids), last_conference=last
            )
            for due, family_id, child_ids, last in self._reviews()[:stop]
        )
        merged = heapq.merge(initial_keys, review_keys, key=lambda key: key.order)
        return list(merged if stop is None else itertools.islice(merged, stop))

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _step = index.indices(len(self))
        if start >= stop:
            return []
        return _to_book_items(self._keys(stop)[start:stop])

    def __iter__(self):
        # Whole, for a download: each kind read once, the items read in full a chunk at a time.
        keys = self._keys(None)
        for start in range(0, len(keys), self.CHUNK):
            yield from _to_book_items(keys[start : start + self.CHUNK])


# One household at a time is a constraint on the memberships, so the join is one row a child.
_REVIEW_GROUPS_SQL = """
    SELECT plan.next_review_due, membership.family_id,
           array_agg(plan.child_id ORDER BY plan.child_id) AS child_ids,
           min(plan.next_review_counted_from)
    FROM ({inner}) AS plan
    LEFT JOIN {membership} AS membership
        ON membership.child_id = plan.child_id AND membership.end_date IS NULL
    LEFT JOIN {family} AS family ON family.id = membership.family_id
    GROUP BY plan.next_review_due, COALESCE(membership.family_id, -plan.child_id), membership.family_id
    ORDER BY plan.next_review_due, min(COALESCE(family.name, '')), child_ids
"""


def _review_groups(plans: QuerySet) -> list[tuple]:
    """The reviews to book: ``plans`` (the open plans to book a review for, already restricted
    to the reader) joined to each child's household now, one row a household and due day (a
    child in no household is a row alone) with its children and the day the review is counted
    from, soonest due first, then by household name. Written as SQL because the ORM cannot
    group the rows of a subquery by a joined row: as a subquery a plan, the household was read
    54,504 times nationally."""
    inner, params = (
        plans.order_by()
        .values("child_id", "next_review_due", "next_review_counted_from")
        .query.sql_with_params()
    )
    membership = connection.ops.quote_name(FamilyMembership._meta.db_table)
    family = connection.ops.quote_name(Family._meta.db_table)
    # Only table names and the ORM's own SQL go in; every value is a parameter.
    sql = _REVIEW_GROUPS_SQL.format(inner=inner, membership=membership, family=family)  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _to_book_items(keys: list[_ToBookKey]) -> list[ToBook]:
    """The items ``keys`` name, with their families, children and discussions read whole."""
    if not keys:
        return []
    families = Family.objects.in_bulk({key.family_id for key in keys if key.family_id})
    children = Child.objects.in_bulk({child_id for key in keys for child_id in key.child_ids})
    discussions = StrategyDiscussion.objects.prefetch_related("enquiries__child").in_bulk(
        {key.discussion_id for key in keys if key.discussion_id}
    )
    items = []
    for key in keys:
        discussion = discussions.get(key.discussion_id)
        items.append(
            ToBook(
                kind=key.kind,
                due=key.due,
                family=families.get(key.family_id),
                children=(
                    [enquiry.child for enquiry in discussion.enquiries.all()]
                    if discussion
                    else [children[child_id] for child_id in key.child_ids]
                ),
                last_conference=key.last_conference,
                strategy_discussion=discussion,
            )
        )
    return items


def conferences_to_book(*, on: date, user, due_by: date | None = None) -> ConferencesToBook:
    """Initial conferences still to book after a strategy discussion, and reviews still to book
    for children on plans (the children of one household due on one day together), soonest due
    first, leaving out the children hidden from ``user``; with ``due_by``, only those due by
    that day. Counted and paged by the database (see ``ConferencesToBook``)."""
    settings_row = timescale_settings()
    # Read once: asked for each discussion, the cache would be read once a row.
    extra = extra_non_working_days()
    booked_or_held = Conference.objects.filter(
        strategy_discussion=OuterRef("pk"), status__in=[ConferenceStatus.BOOKED, ConferenceStatus.HELD]
    )
    discussions = StrategyDiscussion.objects.restrict(user).filter(~Exists(booked_or_held))
    # NOT IN, not NOT EXISTS: PostgreSQL keeps it a hashed set of the few children with a
    # conference booked, whatever it guesses of the plans; as an anti-join, a cut at a day
    # (which it guesses far too few plans pass) turned into a probe of every child's
    # conferences, 124,572 of them nationally (1.0 s for 0.3 s).
    booked = ConferenceChild.objects.filter(conference__status=ConferenceStatus.BOOKED).values("child_id")
    # When each open plan is next due a review is cached (``plan_next_review``, written by the
    # refresh service), so that a cut at a day reads only the plans due by it, from an index.
    plans = (
        ChildProtectionPlan.objects.restrict(user)
        .filter(end_date__isnull=True, next_review_due__isnull=False)
        .exclude(child_id__in=booked)
    )
    if due_by is not None:
        discussions = discussions.filter(
            date__lte=initial_conference_latest_discussion(
                due_by=due_by, settings_row=settings_row, extra=extra
            )
        )
        plans = plans.filter(next_review_due__lte=due_by)
    return ConferencesToBook(discussions=discussions, plans=plans, settings_row=settings_row, extra=extra)


# --- families -------------------------------------------------------------------------------


@dataclass
class FamilyPage:
    family: Family
    conferences: list[Conference]
    children: list[Child]
    continuity: dict[int, bool | None]


def family_for_page(*, pk: int, user) -> FamilyPage:
    """A family with its conferences (oldest first, with children, agencies and appeals), the
    children who have been in the household with their plans, and for each held conference
    whether the chair was the same as at the family's previous held conference. A child hidden
    from ``user``, and every conference about them, is left out."""
    family = Family.objects.get(pk=pk)
    conferences = list(
        _conference_rows()
        .restrict(user)
        .filter(family=family)
        .prefetch_related(
            Prefetch("invitations", queryset=AgencyInvitation.objects.order_by("agency")),
            "appeals",
        )
        .select_related("rearranged_as")
        .order_by("date", "pk")
    )
    memberships = FamilyMembership.objects.filter(family=family)
    children = list(
        Child.objects.restrict(user)
        .filter(pk__in=memberships.values("child_id"))
        .prefetch_related(
            Prefetch(
                "cp_plans",
                queryset=ChildProtectionPlan.objects.with_repeat_facts().order_by("start_date"),
            )
        )
        .order_by("date_of_birth", "expected_date_of_birth", "first_name")
    )
    continuity: dict[int, bool | None] = {}
    previous_chair = None
    for conference in conferences:
        if conference.status != ConferenceStatus.HELD:
            continue
        continuity[conference.pk] = None if previous_chair is None else previous_chair == conference.chair_id
        previous_chair = conference.chair_id
    return FamilyPage(family=family, conferences=conferences, children=children, continuity=continuity)


def family_list(*, search: str = "", user) -> QuerySet[Family]:
    """The Families page: households that have had a conference, by name, each with its chair
    (``chair_name``: the chair of its latest conference held or booked, with its date in
    ``chair_since``) and the children living in it now (``current_members``, each child with
    their plans, latest first, in ``plans_latest_first``). Four queries for a page of any length:
    the count, the page, the members, their plans."""
    latest = Conference.objects.filter(
        family=OuterRef("pk"), status__in=[ConferenceStatus.HELD, ConferenceStatus.BOOKED]
    ).order_by("-date", "-pk")
    chair = latest.annotate(name=Concat("chair__first_name", Value(" "), "chair__last_name"))
    families = Family.objects.filter(Exists(Conference.objects.filter(family=OuterRef("pk")))).annotate(
        chair_name=Subquery(chair.values("name")[:1]),
        chair_since=Subquery(latest.values("date")[:1]),
    )
    search = search.strip()
    if search:
        families = families.filter(Q(name__icontains=search) | Q(reference__iexact=search))
    members = (
        FamilyMembership.objects.restrict(user)
        .filter(end_date__isnull=True)
        .select_related("child")
        .prefetch_related(
            Prefetch(
                "child__cp_plans",
                queryset=ChildProtectionPlan.objects.order_by("-start_date"),
                to_attr="plans_latest_first",
            )
        )
        .order_by("child__date_of_birth", "child__expected_date_of_birth", "child__first_name", "pk")
    )
    return families.order_by("name", "reference", "pk").prefetch_related(
        Prefetch("memberships", queryset=members, to_attr="current_members")
    )


@dataclass
class ChildProtectionRecord:
    """A child's child protection record: every conference that considered them, in whichever
    household it was, and their plans."""

    conferences: list[ConferenceChild]
    plans: list[ChildProtectionPlan]
    enquiries: list[Section47Enquiry]


def child_protection_record(*, child: Child) -> ChildProtectionRecord:
    """Everything the child's conferences-and-plans page shows, oldest first, in three queries:
    conferences, plans, and section 47 enquiries with their assessments."""
    conferences = list(
        ConferenceChild.objects.filter(child=child)
        .select_related("conference__family", "conference__chair", "conference__rearranged_as")
        .order_by("conference__date", "conference_id")
    )
    plans = list(ChildProtectionPlan.objects.with_repeat_facts().filter(child=child).order_by("start_date"))
    enquiries = list(
        Section47Enquiry.objects.filter(child=child)
        .select_related("strategy_discussion__family")
        .order_by("start_date", "pk")
    )
    return ChildProtectionRecord(conferences=conferences, plans=plans, enquiries=enquiries)


def conference_for_page(*, pk: int, user) -> Conference:
    """One conference with its children (and their views on the record), agencies, family and
    chair; a conference about a child
    hidden from ``user`` does not exist."""
    return (
        _conference_rows()
        .restrict(user)
        .prefetch_related(
            Prefetch("invitations", queryset=AgencyInvitation.objects.order_by("agency")),
            # The children's views on the record: one query, however many children and points.
            Prefetch("children__views", queryset=ConferenceChildView.objects.order_by("recorded_at", "id")),
        )
        .select_related("strategy_discussion", "rearranged_as")
        .get(pk=pk)
    )


def section47_enquiry_for_page(*, pk: int, user) -> Section47Enquiry:
    """One section 47 enquiry with its child and the strategy discussion's family, for the page
    recording its assessment (``Section47Enquiry.DoesNotExist`` if the child is hidden from
    ``user``)."""
    return (
        Section47Enquiry.objects.restrict(user)
        .select_related("child", "strategy_discussion__family")
        .get(pk=pk)
    )


def conference_child_for_page(*, pk: int, user) -> ConferenceChild:
    """One child's place at a conference, with the child, the conference, its family and chair
    (``ConferenceChild.DoesNotExist`` if the child is hidden from ``user``): for the pages of
    other apps about one child at one conference, such as its consultations."""
    return (
        ConferenceChild.objects.restrict(user)
        .select_related("child", "conference__family", "conference__chair")
        .get(pk=pk)
    )


# --- plans ----------------------------------------------------------------------------------


def structured_review_cutoff(*, on: date, months: int) -> date:
    """The latest start date of a plan that has been open ``months`` months on ``on``.

    add_months clamps to the end of a shorter month, so on the last day of a month every plan
    started on a later day of the month ``months`` before has reached the mark too (a plan
    started on 31 May is 9 months old on 28 February)."""
    cutoff = add_months(on, -months)
    if on.day == calendar.monthrange(on.year, on.month)[1]:
        cutoff = cutoff.replace(day=calendar.monthrange(cutoff.year, cutoff.month)[1])
    return cutoff


def plans_for_structured_review(*, on: date) -> QuerySet[ChildProtectionPlan]:
    """Plans open on ``on`` for the structured-review period or longer (seed 6.5), longest
    first, with the child, the chair of the last conference and the repeat facts."""
    months = timescale_settings().cp_plan_structured_review_months
    cutoff = structured_review_cutoff(on=on, months=months)
    long_cutoff = structured_review_cutoff(on=on, months=LONG_PLAN_MONTHS)
    return (
        ChildProtectionPlan.objects.with_repeat_facts()
        .filter(start_date__lte=cutoff)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
        .annotate(
            last_conference=Subquery(
                ConferenceChild.objects.filter(
                    child=OuterRef("child"), conference__status=ConferenceStatus.HELD
                )
                .order_by("-conference__date")
                .values("conference__date")[:1]
            )
        )
        .annotate(
            over_two_years=Case(
                When(start_date__lte=long_cutoff, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .select_related("child", "start_conference__chair")
        .order_by("start_date", "pk")
    )


def plan_is_repeat_within(plan: ChildProtectionPlan, months: int = REPEAT_WITHIN_MONTHS) -> bool:
    """True when ``plan`` (annotated by ``with_repeat_facts``) started within ``months`` of the
    end of the child's previous plan."""
    previous_end = getattr(plan, "previous_plan_ended", None)
    return previous_end is not None and add_months(previous_end, months) >= plan.start_date


def plans_of(*, child: Child) -> QuerySet[ChildProtectionPlan]:
    """A child's child protection plans, latest first (for another app's record to link to one)."""
    return ChildProtectionPlan.objects.filter(child=child).order_by("-start_date", "pk")


def appeal_list() -> QuerySet[Appeal]:
    """Appeals and complaints, newest first, with their conference, family, chair and child, and
    the children considered at the conference."""
    return (
        Appeal.objects.select_related("conference__family", "conference__chair", "child")
        .prefetch_related("conference__children")
        .order_by("-received_on", "pk")
    )


def last_held_date(child: Child) -> date | None:
    return ConferenceChild.objects.filter(child=child, conference__status=ConferenceStatus.HELD).aggregate(
        last=Max("conference__date")
    )["last"]


def suggested_stages(*, children: list[Child], on: date, conference_type: str) -> list[tuple[Child, str]]:
    """Each child's stage at a conference on ``on``, from their plans: on an open plan, a first
    review until a review has been held, then subsequent reviews; otherwise an initial
    conference, pre-birth for an unborn child when the type has a pre-birth stage."""
    stages = TYPE_STAGES.get(conference_type, frozenset())
    result = []
    for child in children:
        plan = (
            ChildProtectionPlan.objects.filter(child=child, start_date__lt=on)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
            .first()
        )
        if plan is not None:
            reviewed = ConferenceChild.objects.filter(
                child=child,
                conference__status=ConferenceStatus.HELD,
                conference__date__gt=plan.start_date,
                conference__date__lt=on,
            ).exists()
            result.append((child, ChildStage.REVIEW if reviewed else ChildStage.FIRST_REVIEW))
        elif ChildStage.INITIAL_PRE_BIRTH in stages and (
            child.date_of_birth is None or child.date_of_birth > on
        ):
            result.append((child, ChildStage.INITIAL_PRE_BIRTH))
        else:
            result.append((child, ChildStage.INITIAL))
    return result


# --- performance figures (read by reports.figures.cp) ---------------------------------------


def conferences_for_figures() -> QuerySet[Conference]:
    """Every conference, for the child protection figures to aggregate over."""
    return Conference.objects.all()


def plans_for_figures() -> QuerySet[ChildProtectionPlan]:
    """Every plan (``with_repeat_facts()`` adds ``is_repeat`` and ``previous_plan_ended``)."""
    return ChildProtectionPlan.objects.all()


def held_links_for_figures() -> QuerySet[ConferenceChild]:
    """Children at held conferences, for "the chair of the child's latest conference"."""
    return ConferenceChild.objects.filter(conference__status=ConferenceStatus.HELD)


def stage_links_for_figures() -> QuerySet[ConferenceChild]:
    """Every child at every conference with the stage they were at and its due date."""
    return ConferenceChild.objects.all()


def s47_enquiries_for_figures():
    """Every section 47 enquiry (the DfE measures the initial conference from its start)."""
    from conferences.models import Section47Enquiry

    return Section47Enquiry.objects.all()


def invitations_for_figures() -> QuerySet[AgencyInvitation]:
    """Every agency invitation, for the agency attendance figure."""
    return AgencyInvitation.objects.all()


def appeals_for_figures() -> QuerySet[Appeal]:
    """Every appeal and complaint."""
    return Appeal.objects.all()


# --- for the QA alerts app ------------------------------------------------------------------


def children_on_plan_on(*, child_ids, on: date) -> set[int]:
    """Of ``child_ids``, the children on a child protection plan at the end of ``on``. One query."""
    return set(
        ChildProtectionPlan.objects.filter(child_id__in=list(child_ids))
        .open_on(on)
        .values_list("child_id", flat=True)
    )


# --- the DfE's CIN census rules ----------------------------------------------------------------


def children_dfe_warnings(*, child_ids: Iterable[int], year: int, as_of: date) -> list[DfeWarning]:
    """What the DfE's CIN census rules (``conferences.dfe_rules``) find in the records of the
    children ``child_ids`` for the census of collection year ``year``, as they stand on
    ``as_of``, child by child in name order. Five queries however many children and records."""
    ids = sorted(set(child_ids))
    if not ids:
        return []
    facts = child_facts(ids)
    found = []
    for child in Child.objects.filter(pk__in=ids).order_by("last_name", "first_name", "pk"):
        found += dfe_rules.child_warnings(child, facts[child.pk], year=year, as_of=as_of)
    return found


@dataclass(frozen=True)
class CinReturnQualityRow:
    """One record of the year that breaks one of the DfE's CIN census rules, with its child and
    the child's current IRO."""

    warning: DfeWarning
    child_id: int
    child_name: str
    local_child_id: str
    iro_name: str

    @property
    def record_label(self) -> str:
        return dfe_rules.RECORD_LABELS[self.warning.record]


def cin_return_quality_rows(
    *, user, today: date, team_id: int | None = None, iro_id: int | None = None, rule: str = ""
) -> list[CinReturnQualityRow]:
    """Every record of the current collection year to date that breaks one of the DfE's CIN
    census rules checked on save, child by child in name order: the children the census of the
    year would hold, filtered by their IRO (or the IRO's team) today as the SSDA903 rows are,
    children hidden from the user left out. Five queries whatever the number of rows."""
    year = collection_year(today)
    start, end = collection_year_bounds(year)
    as_of = min(today, end)
    children = (
        Child.objects.restrict(user)
        .filter(pk__in=children_in_scope(start, as_of))
        .annotate(
            iro_first_name=child_current_iro_field("iro__first_name"),
            iro_last_name=child_current_iro_field("iro__last_name"),
        )
        .order_by("last_name", "first_name", "pk")
    )
    if team_id or iro_id:
        children = children.filter(iro_allocated_on(on=today, team_id=team_id, iro_id=iro_id, child="pk"))
    children = list(children)
    facts = child_facts([child.pk for child in children]) if children else {}
    rows = []
    for child in children:
        iro_name = " ".join(n for n in (child.iro_first_name, child.iro_last_name) if n)
        for warning in dfe_rules.child_warnings(
            child, facts[child.pk], year=year, as_of=as_of, rules=[rule] if rule else None
        ):
            rows.append(
                CinReturnQualityRow(
                    warning=warning,
                    child_id=child.pk,
                    child_name=child.full_name,
                    local_child_id=child.local_child_id,
                    iro_name=iro_name,
                )
            )
    return rows


@dataclass(frozen=True)
class ProtectionFacts:
    """What the retention schedule (``retention/schedule.py``) needs to know of a child's plans."""

    open_plan: bool
    died: date | None


def protection_facts_by_child(*, child_ids: Iterable[int] | None = None) -> dict[int, ProtectionFacts]:
    """For every child who has had a child protection plan (or those of ``child_ids``): whether
    a plan is still open, and the earliest day a plan ended because the child died. One query."""
    plans = ChildProtectionPlan.objects.all()
    if child_ids is not None:
        plans = plans.filter(child_id__in=list(child_ids))
    rows = plans.values("child_id").annotate(
        open_plans=Count("pk", filter=Q(end_date__isnull=True)),
        died=Min("end_date", filter=Q(end_reason=PlanEndReason.DIED)),
    )
    return {
        row["child_id"]: ProtectionFacts(open_plan=row["open_plans"] > 0, died=row["died"]) for row in rows
    }
