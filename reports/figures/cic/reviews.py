"""Children in care: reviews held and on time, participation, social workers' reports and records."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q

from reports.figures.base import (
    FigureQuery,
    breakdown,
    count,
    counts,
    figure,
    iso_day,
    month_ends,
    rate,
    series,
)
from reports.figures.cic._common import (
    ALLOCATION_FILTER,
    CHAIR_FILTER,
    LATE,
    OVERDUE_AT_END,
    PARTICIPATION_DENOMINATOR,
    PERIOD_ROWS_NEED,
    REVIEW_ROWS_NEED,
    SECTION,
    TOOK_PART,
    _in_care_at_end,
    _paperwork_counts,
    _participation_counts,
    _period_rows,
    _review_counts,
    _review_row,
    _review_rows,
    _reviews_in_period,
)
from reviews.codes import ParticipationCode
from reviews.due_dates import is_on_time
from reviews.selectors import (
    in_care_on,
    lac_reviews_for_figures,
    periods_of_care_for_figures,
    review_due_on,
)


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
    return count(_review_counts(query)["held"])


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
    totals = _review_counts(query)
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
    return count(_review_counts(query)["late"])


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
    totals = _participation_counts(query)
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
    totals = _participation_counts(query)
    return breakdown({code: totals[f"code_{code}"] for code in ParticipationCode.values})


def _sw_report_records(query: FigureQuery) -> list[dict]:
    """Every review in the period with its report's due and received dates, late or missing first."""
    rows = _review_rows(
        _reviews_in_period(query),
        sw_report_due=lambda review: iso_day(review.sw_report_due),
        sw_report_received=lambda review: iso_day(review.sw_report_received),
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
    totals = _paperwork_counts(query)
    return rate(totals["sw_report_on_time"], totals["held"])


def _records_on_time_records(query: FigureQuery) -> list[dict]:
    rows = _review_rows(
        _reviews_in_period(query),
        record_due=lambda review: iso_day(review.record_due),
        record_distributed=lambda review: iso_day(review.record_distributed),
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
    totals = _paperwork_counts(query)
    return rate(totals["record_on_time"], totals["held"])


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
            record_due=iso_day(review.record_due),
            record_completed=iso_day(review.record_completed),
            record_distributed=iso_day(review.record_distributed),
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

    def build(query: FigureQuery):
        reviews = lac_reviews_for_figures(team_id=query.team_id, iro_id=query.iro_id).filter(
            record_due__lt=ends[-1]
        )
        # One query: one FILTER aggregate per month end.
        return reviews, {
            f"e{index}": Count("pk", filter=_out_of_timescale_on(day)) for index, day in enumerate(ends)
        }

    totals = counts("lac_records_out_of_timescale", query, build)
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
    def build(query: FigureQuery):
        periods = periods_of_care_for_figures().filter(
            in_care_on(on=query.end, team_id=query.team_id, iro_id=query.iro_id)
        )
        overdue = periods.annotate(review_due_on_day=review_due_on(query.end)).filter(
            **{OVERDUE_AT_END: query.end}
        )
        return overdue, {"n": Count("pk")}

    return count(counts("lac_reviews_overdue_at_end", query, build)["n"])
