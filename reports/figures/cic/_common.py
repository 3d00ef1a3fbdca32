"""What the children-in-care figures share: the querysets, the on-time filters, the rows of a
drill-down and what a user must be allowed to see to be shown them."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum

from iro_service.people.models import Employment
from iro_service.people.selectors import iros_in_post_with_fte
from reports.figures.base import FigureQuery, counts, iso_day, shared
from reviews.codes import ParticipationCode
from reviews.due_dates import late_filter, on_time_filter
from reviews.selectors import (
    in_care_on,
    lac_reviews_for_figures,
    period_allocated_on,
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


def _name(person) -> str:
    return person.full_name if person is not None else ""


# --- the querysets ---------------------------------------------------------------------------


def _reviews_in_period(query: FigureQuery):
    return lac_reviews_for_figures(team_id=query.team_id, iro_id=query.iro_id).filter(
        review_date__range=(query.start, query.end)
    )


def _in_care_at_end(query: FigureQuery):
    return periods_in_care_on(on=query.end, team_id=query.team_id, iro_id=query.iro_id)


def _period_counts(query: FigureQuery) -> dict:
    """The periods of care in care at the end (``at_end``), started (``started``) and ended
    (``ended``) in the period, each with its own meaning of the team and IRO filters: one query
    for cic_at_end, cic_started, cic_ceased and iro_cic_per_fte."""

    def build(query: FigureQuery):
        team_id, iro_id = query.team_id, query.iro_id
        period = (query.start, query.end)
        started = period_allocated_on(team_id=team_id, iro_id=iro_id, allocated_on_field="start_date")
        ended = period_allocated_on(team_id=team_id, iro_id=iro_id, allocated_on_field="end_date")
        return periods_of_care_for_figures(), {
            "at_end": Count("pk", filter=in_care_on(on=query.end, team_id=team_id, iro_id=iro_id)),
            "started": Count("pk", filter=Q(start_date__range=period) & started),
            "ended": Count("pk", filter=Q(end_date__range=period) & ended),
        }

    return counts("cic_periods", query, build)


def iros_in_post_totals(query: FigureQuery) -> dict:
    """The summed FTE of the IROs in post on the end date (``fte``, 0 when there is nobody) and
    their head count by employment: one query for iro_fte_at_end, iro_staff_at_end and
    iro_cic_per_fte."""

    def compute() -> dict:
        iros = iros_in_post_with_fte(on=query.end, team_id=query.team_id, iro_id=query.iro_id)
        totals = iros.aggregate(
            fte=Sum("fte"), **{kind: Count("pk", filter=Q(employment=kind)) for kind in Employment.values}
        )
        return {**totals, "fte": totals["fte"] or Decimal("0")}

    return shared("iros_in_post", query, compute)


ON_TIME = on_time_filter("review")
LATE = late_filter("review")
SW_REPORT_ON_TIME = on_time_filter("sw_report")
RECORD_ON_TIME = on_time_filter("record")
OVERDUE_AT_END = "review_due_on_day__lt"


def _review_counts(query: FigureQuery) -> dict:
    """The reviews held in the period (``held``), on time and late: one query for the figures
    counting them."""

    def build(query: FigureQuery):
        return _reviews_in_period(query), {
            "held": Count("pk"),
            "on_time": Count("pk", filter=ON_TIME),
            "late": Count("pk", filter=LATE),
        }

    return counts("lac_reviews", query, build)


def _paperwork_counts(query: FigureQuery) -> dict:
    """The reviews held in the period (``held``), with the social worker's report on time and
    with the record distributed on time: one query for the two paperwork figures."""

    def build(query: FigureQuery):
        return _reviews_in_period(query), {
            "held": Count("pk"),
            "sw_report_on_time": Count("pk", filter=SW_REPORT_ON_TIME),
            "record_on_time": Count("pk", filter=RECORD_ON_TIME),
        }

    return counts("lac_review_paperwork", query, build)


def _participation_counts(query: FigureQuery) -> dict:
    """The reviews held in the period in the participation measure (``coded``: PN1 to PN7), with
    the child taking part (PN1 to PN6), and by participation code (``code_PN0``...): one query
    for the two participation figures."""

    def build(query: FigureQuery):
        return _reviews_in_period(query), {
            "coded": Count("pk", filter=Q(participation_code__in=PARTICIPATION_DENOMINATOR)),
            "took_part": Count("pk", filter=Q(participation_code__in=TOOK_PART)),
            **{
                f"code_{code}": Count("pk", filter=Q(participation_code=code))
                for code in ParticipationCode.values
            },
        }

    return counts("lac_participation", query, build)


def _review_row(review) -> dict:
    return {
        "review_id": review.pk,
        "child_id": review.child_id,
        "child": review.child.full_name,
        "local_child_id": review.child.local_child_id,
        "sequence": review.sequence,
        "review_date": iso_day(review.review_date),
        "due_date": iso_day(review.due_date),
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
            "in_care_since": iso_day(period.start_date),
            "legal_status": period.legal_status_on_day or "",
            "iro": f"{period.iro_first_name} {period.iro_last_name}" if period.iro_last_name else "",
            "last_review": iso_day(period.last_review_on_day),
            "next_review_due": iso_day(period.review_due_on_day),
        }
        for period in periods.select_related("child").order_by("child__last_name", "child__first_name", "pk")
    ]


def _cic_at_end_records(query: FigureQuery) -> list[dict]:
    return _period_rows(_in_care_at_end(query))
