"""Reads for the dashboards. Figures come from the figures service (the same computation the API
and the annual report use); lists of work come from the apps' selectors. Each function runs a
fixed number of queries, whatever the number of children, reviews or IROs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery

from conferences import selectors as conferences
from hsb.selectors import referrals_for_figures
from iro_service.people.models import IroAllocation, StaffMember
from iro_service.people.selectors import iro_list
from iro_service.timescales.dates import add_working_days
from iro_service.timescales.selectors import timescale_settings
from qa_alerts import selectors as qa_alerts
from reports.dashboards.periods import Period
from reports.figures import REGISTRY, FigureQuery
from reports.figures.cp._common import _chair_on, _open_on
from reports.models import TargetStatus
from reports.selectors import figures_document
from reports.targets.selectors import FigureBenchmarks, benchmarks_for_year
from reviews import selectors as reviews

# The headline figures of docs/figures.md, by section, in the order the tiles show them.
HEADLINES: dict[str, tuple[str, ...]] = {
    "Children in care": (
        "cic_at_end",
        "lac_reviews_on_time",
        "lac_reviews_late",
        "lac_reviews_overdue_at_end",
        "lac_participation",
        "lac_sw_reports_on_time",
        "lac_records_on_time",
        "lac_records_out_of_timescale",
        "iro_cic_per_fte",
        "iro_continuity",
    ),
    "Child protection": (
        "cp_plans_at_end",
        "cp_conferences_held",
        "icpc_on_time",
        "rcpc_on_time",
        "cp_conferences_stood_down",
        "cp_repeat_plans",
        "cp_repeat_plans_2y",
        "cp_multiple_categories",
        "cp_plans_ended_2_years_plus",
        "cp_records_on_time",
        "cp_chair_continuity",
    ),
    "Harmful sexual behaviour": ("hsb_referrals", "hsb_meetings_held", "hsb_below_threshold"),
    "QA alerts": ("qa_responses_on_time", "qa_alerts_open_at_end"),
}
HEADLINE_KEYS = tuple(key for keys in HEADLINES.values() for key in keys)


@dataclass(frozen=True)
class Value:
    """One figure's value as a tile shows it: a series figure is shown by its last point."""

    value: float | int | None
    numerator: int | None = None
    denominator: int | None = None
    unit: str = "count"
    as_at: date | None = None  # a series figure: the month or quarter end shown

    @property
    def shown(self) -> str:
        if self.value is None:
            return "No data"
        return f"{self.value:g}%" if self.unit == "%" else f"{self.value:g}"


def figure_value(result: dict) -> Value:
    """The single number of a figure's answer (see docs/figures.md for the shapes)."""
    if isinstance(result["value"], list):
        points = result["value"]
        if not points:
            return Value(None, unit=result["unit"])
        last = points[-1]
        return Value(
            last["value"],
            last.get("numerator"),
            last.get("denominator"),
            result["unit"],
            as_at=date.fromisoformat(last["date"]),
        )
    return Value(result["value"], result.get("numerator"), result.get("denominator"), result["unit"])


@dataclass(frozen=True)
class Tile:
    """A headline figure for the chosen period, beside the period before, the same period a
    year earlier, its target and status (a word), and its comparators."""

    key: str
    label: str
    definition: str
    current: Value
    previous: Value
    year_before: Value
    benchmarks: FigureBenchmarks
    has_records: bool

    @property
    def status(self) -> TargetStatus | None:
        return self.benchmarks.status_of(self.current.value)

    @property
    def status_colour(self) -> str:
        """The GOV.UK tag colour beside the status word (the word carries the meaning)."""
        return STATUS_COLOURS[self.status] if self.status else "grey"


STATUS_COLOURS = {
    TargetStatus.GREEN: "green",
    TargetStatus.AMBER: "yellow",
    TargetStatus.RED: "red",
    TargetStatus.NO_DATA: "grey",
}


def dashboard_tiles(*, period: Period, team_id: int | None, iro_id: int | None) -> dict[str, list[Tile]]:
    """The managers' dashboard: every headline figure, by section."""

    def compute(chosen: Period) -> dict[str, Value]:
        # Each year's headline figures are one document, kept until the records change (the
        # API's cache): a manager opening the dashboard again, or another manager, waits for
        # no count.
        query = FigureQuery(start=chosen.start, end=chosen.end, team_id=team_id, iro_id=iro_id)
        figures = figures_document(query=query, keys=HEADLINE_KEYS)["figures"]
        return {key: figure_value(figures[key]) for key in HEADLINE_KEYS}

    current, previous, year_before = (
        compute(period),
        compute(period.previous()),
        compute(period.year_before()),
    )
    benchmarks = benchmarks_for_year(year=period.year, keys=HEADLINE_KEYS)
    return {
        section: [
            Tile(
                key=key,
                label=REGISTRY[key].label,
                definition=REGISTRY[key].definition,
                current=current[key],
                previous=previous[key],
                year_before=year_before[key],
                benchmarks=benchmarks.get(key, FigureBenchmarks(key=key, year=period.year)),
                has_records=REGISTRY[key].records is not None,
            )
            for key in keys
        ]
        for section, keys in HEADLINES.items()
    }


# --- IRO caseloads ----------------------------------------------------------------------------


@dataclass
class Caseload:
    """One IRO's (or one team's) open work on a day, and children in care per full-time post
    against the IRO Handbook's guidance (50 to 70)."""

    name: str
    team: str
    fte: Decimal
    children_in_care: int = 0
    children_on_plans: int = 0
    hsb_referrals: int = 0
    open_alerts: int = 0
    staff_id: int | None = None
    team_id: int | None = None

    @property
    def per_fte(self) -> float | None:
        if not self.fte:
            return None
        return float(
            (Decimal(self.children_in_care + self.children_on_plans) / self.fte).quantize(Decimal("0.1"))
        )


def _counts_by(rows, field_name: str, counted: str = "pk") -> dict[int, int]:
    return {
        row[field_name]: row["n"]
        for row in rows.values(field_name).annotate(n=Count(counted, distinct=True)).order_by()
        if row[field_name] is not None
    }


def iro_caseloads(
    *, on: date, since: date, team_id: int | None = None, iro_id: int | None = None
) -> list[Caseload]:
    """Per IRO in post on ``on``: children in care allocated to them, children on a plan whose
    latest conference they chaired, HSB referrals received since ``since`` for children
    allocated to them, and QA concerns they raised still open. Five queries."""
    iros = iro_list(on=on).order_by("team__name", "last_name", "first_name")
    if team_id:
        iros = iros.filter(team_id=team_id)
    if iro_id:
        iros = iros.filter(pk=iro_id)
    iros = list(iros)
    ids = [iro.pk for iro in iros]
    periods = reviews.periods_in_care_on(on=on)
    plans = conferences.plans_for_figures().filter(_open_on(on))
    referrals = referrals_for_figures().filter(received_on__gte=since, received_on__lte=on)
    if team_id or iro_id:
        # One team's or one IRO's caseloads (the IRO's own page) count their children, not the
        # country's: each row's IRO is a subquery, and for one IRO's page nationally the
        # plans and periods took 2.3 s and 1.9 s. Each cut keeps every child the subquery
        # could give one of these IROs, so the counts are the same as without it.
        periods = periods.filter(
            child_id__in=IroAllocation.objects.filter(iro_id__in=ids).filter(_open_on(on)).values("child_id")
        )
        plans = plans.filter(
            child_id__in=conferences.held_links_for_figures()
            .filter(conference__chair_id__in=ids, conference__date__lte=on)
            .values("child_id")
        )
        referrals = referrals.filter(
            child_id__in=IroAllocation.objects.filter(iro_id__in=ids, start_date__lte=on)
            .filter(Q(end_date__isnull=True) | Q(end_date__gt=since))
            .values("child_id")
        )
    allocated = Subquery(
        IroAllocation.objects.filter(child=OuterRef("child"), start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
        .order_by("-start_date", "-pk")
        .values("iro_id")[:1]
    )
    in_care = _counts_by(periods.annotate(iro_on=allocated), "iro_on", "child")
    on_plans = _counts_by(plans.annotate(chair_at=_chair_on(on)), "chair_at", "child")
    referral_iro = Subquery(
        IroAllocation.objects.filter(child=OuterRef("child"), start_date__lte=OuterRef("received_on"))
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=OuterRef("received_on")))
        .order_by("-start_date", "-pk")
        .values("iro_id")[:1]
    )
    hsb = _counts_by(referrals.annotate(iro_on=referral_iro), "iro_on")
    concerns = (
        qa_alerts.alerts_for_figures()
        .filter(kind="concern", raised_on__lte=on)
        .filter(Q(resolved_on__isnull=True) | Q(resolved_on__gt=on))
    )
    if team_id or iro_id:
        concerns = concerns.filter(raised_by_id__in=ids)
    alerts = _counts_by(concerns, "raised_by_id")
    return [
        Caseload(
            name=iro.full_name,
            team=iro.team.name,
            fte=iro.fte,
            children_in_care=in_care.get(iro.pk, 0),
            children_on_plans=on_plans.get(iro.pk, 0),
            hsb_referrals=hsb.get(iro.pk, 0),
            open_alerts=alerts.get(iro.pk, 0),
            staff_id=iro.pk,
            team_id=iro.team_id,
        )
        for iro in iros
    ]


def team_caseloads(caseloads: list[Caseload]) -> list[Caseload]:
    """The IROs' caseloads summed per team (no queries)."""
    teams: dict[str, Caseload] = {}
    for row in caseloads:
        team = teams.setdefault(
            row.team, Caseload(name=row.team, team=row.team, fte=Decimal(0), team_id=row.team_id)
        )
        team.fte += row.fte
        team.children_in_care += row.children_in_care
        team.children_on_plans += row.children_on_plans
        team.hsb_referrals += row.hsb_referrals
        team.open_alerts += row.open_alerts
    return list(teams.values())


def caseload_guidance() -> tuple[int, int]:
    settings = timescale_settings()
    return settings.caseload_guidance_min, settings.caseload_guidance_max


@dataclass(frozen=True)
class FamilyContinuity:
    """A family's review conferences in the period and how many were chaired by the IRO who
    chaired the family's previous conference (seed 6.8)."""

    family_id: int
    family: str
    reviews: int
    same_chair: int
    chairs: int

    @property
    def rate(self) -> float | None:
        return round(self.same_chair * 100 / self.reviews, 1) if self.reviews else None


def chair_continuity_by_family(
    *, period: Period, team_id: int | None, iro_id: int | None
) -> list[FamilyContinuity]:
    """Per family with a review conference held in the period, by the rule of the figure
    ``cp_chair_continuity`` (whose total these rows add up to). One query."""
    from reports.figures.cp._common import REVIEW_TYPES, _held

    query = FigureQuery(start=period.start, end=period.end, team_id=team_id, iro_id=iro_id)
    previous_chair = Subquery(
        conferences.conferences_for_figures()
        .filter(family=OuterRef("family"), status="held", date__lt=OuterRef("date"))
        .order_by("-date", "-pk")
        .values("chair_id")[:1]
    )
    rows = (
        _held(query)
        .filter(conference_type__in=REVIEW_TYPES)
        .annotate(previous_chair=previous_chair)
        .values("family_id", "family__reference", "family__name")
        .annotate(
            reviews=Count("pk"),
            same=Count("pk", filter=Q(previous_chair=F("chair_id"))),
            chairs=Count("chair_id", distinct=True),
        )
        .order_by("family__reference")
    )
    return [
        FamilyContinuity(
            family_id=row["family_id"],
            family=f"{row['family__name']} ({row['family__reference']})",
            reviews=row["reviews"],
            same_chair=row["same"],
            chairs=row["chairs"],
        )
        for row in rows
    ]


# --- business support ---------------------------------------------------------------------------


class MeetingsToBook(Sequence):
    """The reviews to book (a queryset, counted and sliced by the database) followed by the
    conferences to book (``conferences.selectors.ConferencesToBook``), as one list for the
    paginator."""

    def __init__(self, reviews_to_book, conferences_to_book: Sequence):
        self.reviews = reviews_to_book
        self.conferences = conferences_to_book
        self._review_count: int | None = None

    def _reviews(self) -> int:
        if self._review_count is None:
            self._review_count = self.reviews.count()
        return self._review_count

    def __len__(self) -> int:
        return self._reviews() + len(self.conferences)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _step = index.indices(len(self))
        reviews = self._reviews()
        head = list(self.reviews[start : min(stop, reviews)]) if start < reviews else []
        return head + self.conferences[max(start - reviews, 0) : max(stop - reviews, 0)]

    def __iter__(self):
        # Whole, for a download: each list in its own few queries, not a slice a row.
        yield from self.reviews
        yield from self.conferences


class RecordsByIro(Sequence):
    """Records not produced or not distributed in time, an IRO a row, by name (the IRO writes,
    business support chases and distributes), counted as the reviews app's reminders list
    them. A slice counts the records of the IROs it shows only: nationally there are 6,250
    IROs, and counting every one's records took 0.8 s of a page showing 50. Four aggregate
    queries a slice, whatever its length."""

    def __init__(self, *, iros: list, today: date, review_records: QuerySet, conference_records: QuerySet):
        self.iros = iros
        self.today = today
        self.review_records = review_records
        self.conference_records = conference_records

    def __len__(self) -> int:
        return len(self.iros)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        return self._rows(self.iros[index])

    def __iter__(self):
        # Whole, for a download: every IRO's counts in the same four queries.
        yield from self._rows(self.iros)

    def _rows(self, iros: list) -> list[dict]:
        if not iros:
            return []
        ids = [iro.pk for iro in iros]
        review_overdue = reviews.records_overdue_by_iro(on=self.today, iro_ids=ids)
        conference_overdue = _counts_by(
            conferences.records_overdue(on=self.today).filter(chair_id__in=ids), "chair_id"
        )
        review_waiting = _counts_by(self.review_records.filter(chair_id__in=ids), "chair_id")
        conference_waiting = _counts_by(self.conference_records.filter(chair_id__in=ids), "chair_id")
        rows = []
        for iro in iros:
            overdue = review_overdue.get(iro.pk)
            rows.append(
                {
                    "iro": iro.full_name,
                    "staff_id": iro.pk,
                    "review_records_out_of_timescale": overdue.count if overdue else 0,
                    "review_records_to_distribute": review_waiting.get(iro.pk, 0),
                    "conference_records_out_of_timescale": conference_overdue.get(iro.pk, 0),
                    "conference_records_to_distribute": conference_waiting.get(iro.pk, 0),
                    "longest_overdue_days": (self.today - overdue.oldest_due).days if overdue else 0,
                }
            )
        return rows


@dataclass
class Backlog:
    """Business support's fortnightly backlog (seed 5.6): review and conference records to
    produce and distribute, by IRO, with how long each is overdue; conference reports
    outstanding; meetings to book this week and next. The lists are querysets, unread: a page
    reads the slice it shows, a download the whole."""

    review_records: QuerySet
    conference_records: QuerySet
    reports_outstanding: QuerySet
    meetings_to_book: MeetingsToBook
    by_iro: Sequence = field(default_factory=list)
    book_until: date | None = None


def business_support_backlog(
    *, user, today: date, team_id: int | None = None, iro_id: int | None = None
) -> Backlog:
    """Everything business support must chase, distribute or book, from the apps' own queues,
    leaving out the records of children hidden from ``user``. The counts by IRO are aggregate
    queries: nationally the backlog is tens of thousands of records, and the page shows 50 of
    each list at a time."""
    review_records = reviews.records_to_distribute(user=user, today=today, iro_id=iro_id, team_id=team_id)
    conference_records = conferences.records_to_distribute(chair_id=iro_id, team_id=team_id).restrict(user)
    # This week and next: to the Sunday of next week.
    book_until = today + timedelta(days=13 - today.weekday())
    to_book = reviews.reviews_to_book(user=user, today=today, weeks=2, iro_id=iro_id).filter(
        next_review_due__lte=book_until
    )
    cp_to_book = conferences.conferences_to_book(on=today, user=user, due_by=book_until)
    outstanding = conferences.reports_outstanding(on=today).restrict(user).filter(date__lte=book_until)
    iros = iro_list(on=today).order_by("last_name", "first_name", "pk")
    if team_id:
        iros = iros.filter(team_id=team_id)
    if iro_id:
        iros = iros.filter(pk=iro_id)
    by_iro = RecordsByIro(
        iros=list(iros), today=today, review_records=review_records, conference_records=conference_records
    )
    return Backlog(
        review_records=review_records,
        conference_records=conference_records.select_related("chair", "family")
        # The children considered at each, for the access log: one query for the rows read.
        .prefetch_related("children"),
        reports_outstanding=outstanding.select_related("family").prefetch_related("children"),
        meetings_to_book=MeetingsToBook(to_book, cp_to_book),
        by_iro=by_iro,
        book_until=book_until,
    )


# --- the IRO's own page -----------------------------------------------------------------------

DUE_WORKING_DAYS = 10


@dataclass
class IroPage:
    iro: StaffMember
    caseload: Caseload | None
    due_until: date
    reviews_due: list
    conferences_due: list
    records_outstanding: list
    conference_records_outstanding: list
    alerts: object


def iro_page(*, user, iro: StaffMember, today: date) -> IroPage:
    """An IRO's caseload, what is due in the next 10 working days, their records outstanding and
    their alerts awaiting a response, leaving out the children hidden from ``user``."""
    until = add_working_days(today, DUE_WORKING_DAYS)
    caseload = next(
        iter(iro_caseloads(on=today, since=date(today.year - 1, today.month, 1), iro_id=iro.pk)), None
    )
    reminders = reviews.iro_reminders(on=today, iro=iro, user=user)
    reviews_due = [p for r in reminders for p in r.reviews_due if p.next_review_due <= until]
    records = [review for r in reminders for review in r.records_overdue]
    return IroPage(
        iro=iro,
        caseload=caseload,
        due_until=until,
        reviews_due=reviews_due,
        conferences_due=list(
            conferences.conferences_upcoming(on=today, until=until, chair=iro)
            .restrict(user)
            .select_related("family")
            # The children considered at each, for the access log: one query, however many rows.
            .prefetch_related("children")
        ),
        records_outstanding=records,
        conference_records_outstanding=list(
            conferences.records_overdue(on=today, chair=iro)
            .restrict(user)
            .select_related("family")
            .prefetch_related("children")
        ),
        alerts=qa_alerts.my_alerts(iro=iro, today=today, user=user),
    )


def has_records(key: str) -> bool:
    figure = REGISTRY.get(key)
    return figure is not None and figure.records is not None
