"""Figures about children in care (docs/figures.md, "Children in care" table).

Each figure is one database aggregate over a queryset from ``reviews.selectors`` (or two, for
the caseload per FTE): conditional counts with FILTER, comparing the cached due-date columns the
reviews app keeps, so the number of queries never depends on the number of children or reviews.
The drill-down functions return the rows behind a figure as plain dicts.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count, Q

from iro_service.people.selectors import iros_in_post_with_fte
from reports.figures.base import FigureQuery, breakdown, count, figure, month_ends, rate, series
from reviews.codes import ParticipationCode
from reviews.due_dates import is_on_time, late_filter, on_time_filter
from reviews.selectors import (
    cafcass_involvements_for_figures,
    lac_reviews_for_figures,
    legal_advice_referrals_for_figures,
    periods_in_care_on,
    periods_of_care_for_figures,
)

SECTION = "Children in care"

CHAIR_FILTER = "The team and IRO filters mean the IRO who chaired the review."
ALLOCATION_FILTER = (
    "The team and IRO filters mean the child's allocated IRO on the end date "
    "(an allocation that ends on a day no longer covers it)."
)
# PN1-PN6: the child took part in some way; PN7: absent and views not conveyed. PN0 (under 4)
# is outside the measure altogether.
TOOK_PART = [code for code in ParticipationCode.values if code not in ("PN0", "PN7")]
PARTICIPATION_DENOMINATOR = [*TOOK_PART, ParticipationCode.PN7]

# What a user must be allowed to see to be shown each kind of drill-down row (Figure.records_need):
# a period's row shows the child, the period, its legal status, the allocated IRO and the reviews.
PERIOD_ROWS_NEED = (
    "people.view_child",
    "reviews.view_periodofcare",
    "reviews.view_episode",
    "reviews.view_lacreview",
    "people.view_iroallocation",
)
STARTED_OR_CEASED_ROWS_NEED = ("people.view_child", "reviews.view_periodofcare")
REVIEW_ROWS_NEED = ("people.view_child", "reviews.view_lacreview", "people.view_staffmember")
CONTINUITY_ROWS_NEED = ("people.view_child", "reviews.view_lacreview")
CAFCASS_ROWS_NEED = ("people.view_child", "reviews.view_cafcassinvolvement")
LEGAL_ADVICE_ROWS_NEED = ("people.view_child", "reviews.view_legaladvicereferral")


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _name(person) -> str:
    return person.full_name if person is not None else ""


# --- the querysets ---------------------------------------------------------------------------


def _reviews_in_period(query: FigureQuery):
    return lac_reviews_for_figures(team_id=query.team_id, iro_id=query.iro_id).filter(
        review_date__range=(query.start, query.end)
    )


def _in_care_at_end(query: FigureQuery):
    return periods_in_care_on(on=query.end, team_id=query.team_id, iro_id=query.iro_id)


ON_TIME = on_time_filter("review")
LATE = late_filter("review")
SW_REPORT_ON_TIME = on_time_filter("sw_report")
RECORD_ON_TIME = on_time_filter("record")
OVERDUE_AT_END = "review_due_on_day__lt"


def _review_row(review) -> dict:
    return {
        "review_id": review.pk,
        "child_id": review.child_id,
        "child": review.child.full_name,
        "local_child_id": review.child.local_child_id,
        "sequence": review.sequence,
        "review_date": _iso(review.review_date),
        "due_date": _iso(review.due_date),
        "chair": _name(review.chair),
    }


def _review_rows(reviews, **extra_fields) -> list[dict]:
    """One query: the reviews with their child and chair, oldest first."""
    rows = []
    for review in reviews.select_related("child", "chair").order_by("review_date", "pk"):
        row = _review_row(review)
        for name, value in extra_fields.items():
            row[name] = value(review)
        rows.append(row)
    return rows


def _period_rows(periods) -> list[dict]:
    return [
        {
            "child_id": period.child_id,
            "child": period.child.full_name,
            "local_child_id": period.child.local_child_id,
            "in_care_since": _iso(period.start_date),
            "legal_status": period.legal_status_on_day or "",
            "iro": f"{period.iro_first_name} {period.iro_last_name}" if period.iro_last_name else "",
            "last_review": _iso(period.last_review_on_day),
            "next_review_due": _iso(period.review_due_on_day),
        }
        for period in periods.select_related("child").order_by("child__last_name", "child__first_name", "pk")
    ]


# --- children in care ------------------------------------------------------------------------


def _cic_at_end_records(query: FigureQuery) -> list[dict]:
    return _period_rows(_in_care_at_end(query))


@figure(
    key="cic_at_end",
    kind="count",
    section=SECTION,
    label="Children in care at the end of the period",
    definition="Children looked after on the end date: a period of care that started on or before it "
    "and had not ended by it. " + ALLOCATION_FILTER,
    records=_cic_at_end_records,
    records_need=PERIOD_ROWS_NEED,
)
def cic_at_end(query: FigureQuery) -> dict:
    return count(_in_care_at_end(query).count())


def _started_or_ceased_rows(periods) -> list[dict]:
    """Drill-down rows for periods of care started or ended in the period."""
    return [
        {
            "child_id": period.child_id,
            "child": period.child.full_name,
            "local_child_id": period.child.local_child_id,
            "start_date": _iso(period.start_date),
            "end_date": _iso(period.end_date),
        }
        for period in periods.select_related("child")
    ]


def _started_records(query: FigureQuery) -> list[dict]:
    periods = periods_of_care_for_figures(team_id=query.team_id, iro_id=query.iro_id).filter(
        start_date__range=(query.start, query.end)
    )
    return _started_or_ceased_rows(periods.order_by("start_date", "pk"))


@figure(
    key="cic_started",
    kind="count",
    section=SECTION,
    label="Periods of care started",
    definition="Periods of care that started in the period. The team and IRO filters mean the child's "
    "IRO on the day the period started.",
    records=_started_records,
    records_need=STARTED_OR_CEASED_ROWS_NEED,
)
def cic_started(query: FigureQuery) -> dict:
    periods = periods_of_care_for_figures(team_id=query.team_id, iro_id=query.iro_id)
    return count(periods.filter(start_date__range=(query.start, query.end)).count())


def _ceased_records(query: FigureQuery) -> list[dict]:
    periods = periods_of_care_for_figures(
        team_id=query.team_id, iro_id=query.iro_id, allocated_on_field="end_date"
    ).filter(end_date__range=(query.start, query.end))
    return _started_or_ceased_rows(periods.order_by("end_date", "pk"))


@figure(
    key="cic_ceased",
    kind="count",
    section=SECTION,
    label="Periods of care ended",
    definition="Periods of care that ended in the period. The team and IRO filters mean the child's "
    "IRO on the day the period ended.",
    records=_ceased_records,
    records_need=STARTED_OR_CEASED_ROWS_NEED,
)
def cic_ceased(query: FigureQuery) -> dict:
    periods = periods_of_care_for_figures(
        team_id=query.team_id, iro_id=query.iro_id, allocated_on_field="end_date"
    )
    return count(periods.filter(end_date__range=(query.start, query.end)).count())


@figure(
    key="cic_s20_at_end",
    kind="count",
    section=SECTION,
    label="Children in care under section 20 at the end of the period",
    definition="Of the children in care on the end date, those whose legal status that day (the episode "
    "covering it) is V2, accommodation under section 20. " + ALLOCATION_FILTER,
    records=lambda query: _period_rows(_in_care_at_end(query).filter(legal_status_on_day="V2")),
    records_need=PERIOD_ROWS_NEED,
)
def cic_s20_at_end(query: FigureQuery) -> dict:
    return count(_in_care_at_end(query).filter(legal_status_on_day="V2").count())


# --- reviews ---------------------------------------------------------------------------------


@figure(
    key="lac_reviews_held",
    kind="count",
    section=SECTION,
    label="LAC reviews held",
    definition="Reviews whose date (the date of part 1) is in the period. " + CHAIR_FILTER,
    records=lambda query: _review_rows(_reviews_in_period(query)),
    records_need=REVIEW_ROWS_NEED,
)
def lac_reviews_held(query: FigureQuery) -> dict:
    return count(_reviews_in_period(query).count())


def _late_review_records(query: FigureQuery) -> list[dict]:
    """The late reviews, with the date each was due, the date held and why."""
    return _review_rows(
        _reviews_in_period(query).filter(LATE),
        days_late=lambda review: (review.review_date - review.due_date).days,
        late_reason=lambda review: review.late_reason,
    )


@figure(
    key="lac_reviews_on_time",
    kind="rate",
    section=SECTION,
    label="LAC reviews held on time",
    definition="Of the reviews held in the period, those held on or before their due date (20 working days "
    "after coming into care, then 3 months, then 6 months, each from the date the last review was "
    "actually held). Drill-down lists the late ones. " + CHAIR_FILTER,
    records=_late_review_records,
    records_need=REVIEW_ROWS_NEED,
)
def lac_reviews_on_time(query: FigureQuery) -> dict:
    totals = _reviews_in_period(query).aggregate(held=Count("pk"), on_time=Count("pk", filter=ON_TIME))
    return rate(totals["on_time"], totals["held"])


@figure(
    key="lac_reviews_late",
    kind="count",
    section=SECTION,
    label="LAC reviews held late",
    definition="Reviews held in the period after their due date. " + CHAIR_FILTER,
    records=_late_review_records,
    records_need=REVIEW_ROWS_NEED,
)
def lac_reviews_late(query: FigureQuery) -> dict:
    return count(_reviews_in_period(query).filter(LATE).count())


def _participation_records(query: FigureQuery) -> list[dict]:
    """The reviews in the measure (PN1-PN7), those where the child's views were not conveyed first."""
    rows = _review_rows(
        _reviews_in_period(query).filter(participation_code__in=PARTICIPATION_DENOMINATOR),
        participation_code=lambda review: review.participation_code,
        took_part=lambda review: review.participation_code in TOOK_PART,
    )
    return sorted(rows, key=lambda row: row["took_part"])


@figure(
    key="lac_participation",
    kind="rate",
    section=SECTION,
    label="Children who took part in their review",
    definition="Reviews in the period coded PN1 to PN6 over those coded PN1 to PN7: children under 4 "
    "(PN0) and reviews with no code are left out. " + CHAIR_FILTER,
    records=_participation_records,
    records_need=REVIEW_ROWS_NEED,
)
def lac_participation(query: FigureQuery) -> dict:
    totals = _reviews_in_period(query).aggregate(
        coded=Count("pk", filter=Q(participation_code__in=PARTICIPATION_DENOMINATOR)),
        took_part=Count("pk", filter=Q(participation_code__in=TOOK_PART)),
    )
    return rate(totals["took_part"], totals["coded"])


@figure(
    key="lac_participation_codes",
    kind="breakdown",
    section=SECTION,
    label="Participation in reviews by code",
    definition="Reviews in the period by SSDA903 participation code, PN0 to PN7. " + CHAIR_FILTER,
    records=lambda query: _review_rows(
        _reviews_in_period(query).filter(participation_code__in=ParticipationCode.values),
        participation_code=lambda review: review.participation_code,
    ),
    records_need=REVIEW_ROWS_NEED,
)
def lac_participation_codes(query: FigureQuery) -> dict:
    totals = _reviews_in_period(query).aggregate(
        **{code: Count("pk", filter=Q(participation_code=code)) for code in ParticipationCode.values}
    )
    return breakdown(totals)


def _sw_report_records(query: FigureQuery) -> list[dict]:
    """Every review in the period with its report's due and received dates, late or missing first."""
    rows = _review_rows(
        _reviews_in_period(query),
        sw_report_due=lambda review: _iso(review.sw_report_due),
        sw_report_received=lambda review: _iso(review.sw_report_received),
        on_time=lambda review: is_on_time(review, "sw_report"),
    )
    return sorted(rows, key=lambda row: row["on_time"])


@figure(
    key="lac_sw_reports_on_time",
    kind="rate",
    section=SECTION,
    label="Social workers' reports received on time",
    definition="Of the reviews held in the period, those whose social worker's report was received at "
    "least the set number of working days before the review (a report never received is late). "
    + CHAIR_FILTER,
    records=_sw_report_records,
    records_need=REVIEW_ROWS_NEED,
)
def lac_sw_reports_on_time(query: FigureQuery) -> dict:
    totals = _reviews_in_period(query).aggregate(
        held=Count("pk"), on_time=Count("pk", filter=SW_REPORT_ON_TIME)
    )
    return rate(totals["on_time"], totals["held"])


def _records_on_time_records(query: FigureQuery) -> list[dict]:
    rows = _review_rows(
        _reviews_in_period(query),
        record_due=lambda review: _iso(review.record_due),
        record_distributed=lambda review: _iso(review.record_distributed),
        on_time=lambda review: is_on_time(review, "record"),
    )
    return sorted(rows, key=lambda row: row["on_time"])


@figure(
    key="lac_records_on_time",
    kind="rate",
    section=SECTION,
    label="Review records distributed on time",
    definition="Of the reviews held in the period, those whose record was distributed within the set "
    "number of working days of the review (a record not yet distributed is not on time). " + CHAIR_FILTER,
    records=_records_on_time_records,
    records_need=REVIEW_ROWS_NEED,
)
def lac_records_on_time(query: FigureQuery) -> dict:
    totals = _reviews_in_period(query).aggregate(held=Count("pk"), on_time=Count("pk", filter=RECORD_ON_TIME))
    return rate(totals["on_time"], totals["held"])


def _out_of_timescale_on(day: date) -> Q:
    return Q(record_due__lt=day) & (Q(record_distributed__isnull=True) | Q(record_distributed__gt=day))


def _out_of_timescale_records(query: FigureQuery) -> list[dict]:
    """The records out of timescale on the query's end date, the longest overdue first."""
    reviews = lac_reviews_for_figures(team_id=query.team_id, iro_id=query.iro_id).filter(
        _out_of_timescale_on(query.end)
    )
    rows = []
    for review in reviews.select_related("child", "chair").order_by("record_due", "pk"):
        row = _review_row(review)
        row.update(
            record_due=_iso(review.record_due),
            record_completed=_iso(review.record_completed),
            record_distributed=_iso(review.record_distributed),
            days_overdue_at_end=(query.end - review.record_due).days,
        )
        rows.append(row)
    return rows


@figure(
    key="lac_records_out_of_timescale",
    kind="series",
    section=SECTION,
    label="Review records out of timescale at each month end",
    definition="At each month end in the period: reviews (held at any time) whose record was due before "
    "that day and had not been distributed on or before it. Drill-down lists them on the end date. "
    + CHAIR_FILTER,
    records=_out_of_timescale_records,
    records_need=REVIEW_ROWS_NEED,
)
def lac_records_out_of_timescale(query: FigureQuery) -> dict:
    ends = month_ends(query.start, query.end)
    if not ends:
        return series([])
    reviews = lac_reviews_for_figures(team_id=query.team_id, iro_id=query.iro_id).filter(
        record_due__lt=ends[-1]
    )
    # One query: one FILTER aggregate per month end.
    totals = reviews.aggregate(
        **{f"e{index}": Count("pk", filter=_out_of_timescale_on(day)) for index, day in enumerate(ends)}
    )
    return series([{"date": day, "value": totals[f"e{index}"]} for index, day in enumerate(ends)])


def _overdue_at_end_records(query: FigureQuery) -> list[dict]:
    return _period_rows(_in_care_at_end(query).filter(**{OVERDUE_AT_END: query.end}))


@figure(
    key="lac_reviews_overdue_at_end",
    kind="count",
    section=SECTION,
    label="Children in care whose review was overdue at the end of the period",
    definition="Children in care on the end date whose next review (after the last one held on or before "
    "that day) was due before it. " + ALLOCATION_FILTER,
    records=_overdue_at_end_records,
    records_need=PERIOD_ROWS_NEED,
)
def lac_reviews_overdue_at_end(query: FigureQuery) -> dict:
    return count(_in_care_at_end(query).filter(**{OVERDUE_AT_END: query.end}).count())


# --- the IRO service -------------------------------------------------------------------------


@figure(
    key="iro_cic_per_fte",
    kind="count",
    section=SECTION,
    label="Children in care per full-time IRO",
    definition="Children in care on the end date divided by the FTE of IROs in post that day (IRO "
    "Handbook guidance: 50 to 70). With a filter, the team's or IRO's children over their FTE.",
    # The rows are the children counted; the FTE they are divided by is iro_fte_at_end's rows.
    records=_cic_at_end_records,
    records_need=PERIOD_ROWS_NEED,
)
def iro_cic_per_fte(query: FigureQuery) -> dict:
    children = _in_care_at_end(query).count()
    fte = iros_in_post_with_fte(on=query.end, team_id=query.team_id, iro_id=query.iro_id).total_fte()
    if not fte:
        return count(None)
    return {**count(Decimal(children) / Decimal(fte), decimals=1), "children": children, "fte": float(fte)}


def _continuity_rows(query: FigureQuery):
    reviews = lac_reviews_for_figures(team_id=query.team_id, iro_id=query.iro_id, allocated_on=query.end)
    return (
        reviews.filter(review_date__range=(query.start, query.end))
        .values("child")
        .annotate(reviews=Count("pk"), chairs=Count("chair", distinct=True))
        .filter(reviews__gte=2)
    )


def _continuity_records(query: FigureQuery) -> list[dict]:
    rows = _continuity_rows(query).values(
        "child", "child__local_child_id", "child__first_name", "child__last_name", "reviews", "chairs"
    )
    return sorted(
        (
            {
                "child_id": row["child"],
                "child": f"{row['child__first_name']} {row['child__last_name']}",
                "local_child_id": row["child__local_child_id"],
                "reviews": row["reviews"],
                "chairs": row["chairs"],
                "same_iro": row["chairs"] == 1,
            }
            for row in rows
        ),
        key=lambda row: (row["same_iro"], row["local_child_id"]),
    )


@figure(
    key="iro_continuity",
    kind="rate",
    section=SECTION,
    label="Children whose reviews were all chaired by the same IRO",
    definition="Of the children with two or more reviews in the period, those whose reviews were all "
    "chaired by the same IRO. " + ALLOCATION_FILTER,
    records=_continuity_records,
    records_need=CONTINUITY_ROWS_NEED,
)
def iro_continuity(query: FigureQuery) -> dict:
    totals = _continuity_rows(query).aggregate(
        children=Count("child"), same=Count("child", filter=Q(chairs=1))
    )
    return rate(totals["same"], totals["children"])


# --- Cafcass and independent legal advice (seed 5.9.8, 5.11) ---------------------------------


def _cafcass_in_period(query: FigureQuery):
    return cafcass_involvements_for_figures().filter(
        Q(end_date__isnull=True) | Q(end_date__gte=query.start), start_date__lte=query.end
    )


def _cafcass_records(query: FigureQuery) -> list[dict]:
    """One row per child (the figure counts each child once), with the child's first guardian
    appointment in the period and how many there were."""
    rows: dict[int, dict] = {}
    appointments = _cafcass_in_period(query).select_related("child").order_by("child_id", "start_date", "pk")
    for involvement in appointments:
        row = rows.get(involvement.child_id)
        if row is None:
            rows[involvement.child_id] = {
                "child_id": involvement.child_id,
                "child": involvement.child.full_name,
                "local_child_id": involvement.child.local_child_id,
                "guardian": involvement.guardian_name,
                "appointed": _iso(involvement.start_date),
                "ended": _iso(involvement.end_date),
                "appointments": 1,
            }
        else:
            row["appointments"] += 1
    return sorted(rows.values(), key=lambda row: (row["appointed"] or "", row["local_child_id"]))


@figure(
    key="lac_cafcass_involvements",
    kind="count",
    section=SECTION,
    label="Children with a Children's Guardian",
    definition="Children with a Cafcass Children's Guardian appointed at any time in the period (the "
    "appointment began on or before the end and had not ended before the start); each child once. "
    "No filters.",
    records=_cafcass_records,
    records_need=CAFCASS_ROWS_NEED,
)
def lac_cafcass_involvements(query: FigureQuery) -> dict:
    return count(_cafcass_in_period(query).aggregate(n=Count("child", distinct=True))["n"])


@figure(
    key="lac_legal_advice_referrals",
    kind="count",
    section=SECTION,
    label="Referrals for independent legal advice",
    definition="Children referred by their IRO for independent legal advice in the period. No filters.",
    records=lambda query: [
        {
            "child_id": referral.child_id,
            "child": referral.child.full_name,
            "local_child_id": referral.child.local_child_id,
            "referred": _iso(referral.date_referred),
            "reason": referral.reason,
            "outcome": referral.outcome,
        }
        for referral in _legal_advice_in_period(query).select_related("child").order_by("date_referred", "pk")
    ],
    records_need=LEGAL_ADVICE_ROWS_NEED,
)
def lac_legal_advice_referrals(query: FigureQuery) -> dict:
    return count(_legal_advice_in_period(query).count())


def _legal_advice_in_period(query: FigureQuery):
    return legal_advice_referrals_for_figures().filter(
        date_referred__gte=query.start, date_referred__lte=query.end
    )
