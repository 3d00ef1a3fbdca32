"""Consultation figures: invitations sent before reviews and how many came back, by who was
asked and by the child's age, and the reviews the child's views reached in time.

Each figure is one aggregate query over ``consultations.selectors``, so the number of queries
never depends on how many consultations there are. No team or IRO filters: business support
send most invitations, so who sent one says nothing about an IRO's work. Consultations before
review child protection conferences are left out (the selector leaves them out): these figures
are of consultations before LAC reviews, counted by review meeting."""

from __future__ import annotations

from django.db.models import BooleanField, Case, Count, ExpressionWrapper, F, Q, Value, When
from django.utils import timezone

from consultations.codes import CHILD_AUDIENCES, Audience
from consultations.selectors import consultations_sent_between
from reports.figures.base import FigureQuery, breakdown, figure, iso_day, rate

SECTION = "Consultations"
NO_FILTERS = "No filters."
# The child's age on the meeting's date, in whole years.
AGE_BANDS = {
    "under_8": Q(age__lt=8),
    "8_to_11": Q(age__gte=8, age__lte=11),
    "12_to_15": Q(age__gte=12, age__lte=15),
    "16_and_over": Q(age__gte=16),
    "unknown": Q(age__isnull=True),
}
# The child's views reached the IRO in time: returned on or before the meeting's date.
RETURNED_BY_THE_MEETING = Q(returned_at__isnull=False, returned_at__date__lte=F("meeting__date"))


# A drill-down row is one invitation: the child it is about (written to the access log), the
# review meeting it was for, who was asked and whether they replied. Never the answers: those
# are for the IROs, on the meeting's page.
ROWS_NEED = ("people.view_child", "reviews.view_reviewmeeting", "consultations.view_consultation")


def _sent(query: FigureQuery):
    return consultations_sent_between(start=query.start, end=query.end)


def _rows(consultations, *, with_in_time: bool = False) -> list[dict]:
    """The age band and whether the views came back in time are the figures' own expressions,
    worked out by PostgreSQL, so the rows cannot count differently from the figures."""
    consultations = consultations.annotate(
        age_band=Case(*(When(condition, then=Value(band)) for band, condition in AGE_BANDS.items())),
        in_time=ExpressionWrapper(RETURNED_BY_THE_MEETING, output_field=BooleanField()),
    )
    return [
        {
            "consultation_id": consultation.pk,
            "child_id": consultation.child_id,
            "meeting_id": consultation.meeting_id,
            "meeting_date": iso_day(consultation.meeting.date),
            "asked": consultation.audience,
            "age_band": consultation.age_band,
            "sent": iso_day(timezone.localdate(consultation.created_at)),
            "returned": iso_day(
                timezone.localdate(consultation.returned_at) if consultation.returned_at else None
            ),
        }
        | ({"in_time": consultation.in_time} if with_in_time else {})
        for consultation in consultations.select_related("meeting").order_by("created_at", "pk")
    ]


def _sent_rows(query: FigureQuery) -> list[dict]:
    return _rows(_sent(query))


def _children_rows(query: FigureQuery, *, with_in_time: bool = False) -> list[dict]:
    return _rows(_sent(query).filter(audience__in=CHILD_AUDIENCES), with_in_time=with_in_time)


def _meeting_rows(query: FigureQuery) -> list[dict]:
    """One row per review meeting a child was sent a consultation for, saying whether the
    child's views came back on or before the meeting's date (the figure's numerator)."""
    meetings: dict[tuple, dict] = {}
    for row in _children_rows(query, with_in_time=True):
        meeting = meetings.setdefault(
            (row["meeting_date"], row["meeting_id"]),
            {
                "meeting_id": row["meeting_id"],
                "child_id": row["child_id"],
                "meeting_date": row["meeting_date"],
                "consultations_sent": 0,
                "views_in_time": False,
            },
        )
        meeting["consultations_sent"] += 1
        meeting["views_in_time"] = meeting["views_in_time"] or row["in_time"]
    return [meetings[key] for key in sorted(meetings)]


@figure(
    key="consultations_by_respondent",
    kind="breakdown",
    section=SECTION,
    label="Consultations sent and returned, by who was asked",
    records=_sent_rows,
    records_need=ROWS_NEED,
    definition="Consultations sent in the period, by who they were for (child, child_easy_read, carer, "
    "parent, social_worker): how many were sent and how many were returned (the person sent their "
    "answers). " + NO_FILTERS,
)
def consultations_by_respondent(query: FigureQuery) -> dict:
    aggregates = {}
    for audience in Audience.values:
        aggregates[f"{audience}__sent"] = Count("pk", filter=Q(audience=audience))
        aggregates[f"{audience}__returned"] = Count(
            "pk", filter=Q(audience=audience, returned_at__isnull=False)
        )
    totals = _sent(query).aggregate(**aggregates)
    return breakdown(
        {
            audience: {what: totals[f"{audience}__{what}"] for what in ("sent", "returned")}
            for audience in Audience.values
        }
    )


@figure(
    key="consultations_children_by_age",
    kind="breakdown",
    section=SECTION,
    label="Children's consultations sent and returned, by age",
    records=_children_rows,
    records_need=ROWS_NEED,
    definition="Consultations sent to children (either version) in the period, by the child's age "
    "on the meeting's date (under_8, 8_to_11, 12_to_15, 16_and_over, unknown): sent and returned. "
    + NO_FILTERS,
)
def consultations_children_by_age(query: FigureQuery) -> dict:
    aggregates = {}
    for band, condition in AGE_BANDS.items():
        aggregates[f"{band}__sent"] = Count("pk", filter=condition)
        aggregates[f"{band}__returned"] = Count("pk", filter=condition & Q(returned_at__isnull=False))
    totals = _sent(query).filter(audience__in=CHILD_AUDIENCES).aggregate(**aggregates)
    return breakdown(
        {band: {what: totals[f"{band}__{what}"] for what in ("sent", "returned")} for band in AGE_BANDS}
    )


@figure(
    key="consultations_views_before_review",
    kind="rate",
    section=SECTION,
    label="Review meetings with the child's views received beforehand",
    records=_meeting_rows,
    records_need=ROWS_NEED,
    definition="Of the review meetings a child was sent a consultation for in the period, those "
    "where the child returned it on or before the meeting's date. " + NO_FILTERS,
)
def consultations_views_before_review(query: FigureQuery) -> dict:
    totals = (
        _sent(query)
        .filter(audience__in=CHILD_AUDIENCES)
        .aggregate(
            meetings=Count("meeting_id", distinct=True),
            in_time=Count(
                "meeting_id",
                distinct=True,
                filter=RETURNED_BY_THE_MEETING,
            ),
        )
    )
    return rate(totals["in_time"], totals["meetings"])
