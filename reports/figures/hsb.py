"""Harmful sexual behaviour figures (docs/figures.md, "Harmful sexual behaviour" table).

Each figure is one database aggregate over an hsb selector. Whether a child was in care on a
day comes from the periods of care (``hsb.selectors`` annotates it through
``reviews.selectors.child_in_care_on``), never from a typed answer.

Filters: meeting figures filter on the meeting's chair (``chair__team_id`` / ``chair_id``);
referral figures on the child's allocated IRO on the date the referral was received.

The rows behind them are HSB records, the most restricted the service keeps: the drill-down
needs ``hsb.view_hsb_records`` as well as the child's record."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, QuerySet

from hsb.codes import BrookRating, Course, ReferralOutcome
from hsb.selectors import meetings_for_figures, referrals_for_figures, training_for_figures
from reports.figures.base import FigureQuery, breakdown, count, figure, iso_day
from reviews.selectors import iro_allocated_on

SECTION = "Harmful sexual behaviour"
REFERRAL_ROWS_NEED = ("people.view_child", "hsb.view_hsb_records")
MEETING_ROWS_NEED = ("people.view_child", "hsb.view_hsb_records", "people.view_staffmember")
# The training register is about workers, not children (nothing goes to the access log), but is
# an HSB page: it needs what the register needs, and is hidden as it is.
TRAINING_ROWS_NEED = ("hsb.view_hsb_records", "people.view_staffmember")
NOT_RATED = "not_rated"
NOT_DECIDED = "not_decided"


def _referrals(query: FigureQuery) -> QuerySet:
    rows = referrals_for_figures().filter(received_on__gte=query.start, received_on__lte=query.end)
    if query.team_id is not None or query.iro_id is not None:
        rows = rows.filter(
            iro_allocated_on(on=OuterRef("received_on"), team_id=query.team_id, iro_id=query.iro_id)
        )
    return rows


def _meetings(query: FigureQuery) -> QuerySet:
    rows = meetings_for_figures().filter(date__gte=query.start, date__lte=query.end)
    if query.team_id is not None:
        rows = rows.filter(chair__team_id=query.team_id)
    if query.iro_id is not None:
        rows = rows.filter(chair_id=query.iro_id)
    return rows


def _below() -> Q:
    return Q(decided_on__isnull=False, rating=BrookRating.GREEN)


def _referral_rows(rows: QuerySet) -> list[dict]:
    return [
        {
            "referral_id": referral.pk,
            "child_id": referral.child_id,
            "child": referral.child.local_child_id,
            "received_on": iso_day(referral.received_on),
            "rating": referral.rating,
            "threshold_met": referral.threshold_met,
            "outcome": referral.outcome,
            "ethnicity": referral.child.ethnicity,
            "in_care_on_received": referral.in_care_on_received,
        }
        for referral in rows.select_related("child").order_by("received_on", "pk")
    ]


def _meeting_rows(rows: QuerySet) -> list[dict]:
    return [
        {
            "meeting_id": meeting.pk,
            "referral_id": meeting.referral_id,
            "child_id": meeting.referral.child_id,
            "child": meeting.referral.child.local_child_id,
            "date": iso_day(meeting.date),
            "chair": meeting.chair.full_name,
            "child_in_care": meeting.child_in_care,
        }
        for meeting in rows.select_related("referral__child", "chair").order_by("date", "pk")
    ]


@figure(
    key="hsb_referrals",
    kind="count",
    section=SECTION,
    label="Referrals to the HSB lead",
    definition="HSB referrals received in the period. Filters: the child's allocated IRO on the date "
    "the referral was received.",
    records=lambda query: _referral_rows(_referrals(query)),
    records_need=REFERRAL_ROWS_NEED,
    records_hidden=True,
)
def hsb_referrals(query: FigureQuery) -> dict:
    return count(_referrals(query).aggregate(n=Count("pk"))["n"])


@figure(
    key="hsb_meetings_held",
    kind="count",
    section=SECTION,
    label="HSB meetings held",
    definition="HSB meetings held in the period (a referral's review meetings count too). "
    "Filters: the chair.",
    records=lambda query: _meeting_rows(_meetings(query)),
    records_need=MEETING_ROWS_NEED,
    records_hidden=True,
)
def hsb_meetings_held(query: FigureQuery) -> dict:
    return count(_meetings(query).aggregate(n=Count("pk"))["n"])


@figure(
    key="hsb_below_threshold",
    kind="count",
    section=SECTION,
    label="Referrals below the threshold for an HSB meeting",
    definition="Referrals received in the period whose threshold decision found the behaviour green on "
    "the Brook traffic light tool: below the threshold for an HSB meeting (amber or red meets it). "
    "Referrals not yet decided are not counted. Filters: as hsb_referrals.",
    records=lambda query: _referral_rows(_referrals(query).filter(_below())),
    records_need=REFERRAL_ROWS_NEED,
    records_hidden=True,
)
def hsb_below_threshold(query: FigureQuery) -> dict:
    return count(_referrals(query).aggregate(n=Count("pk", filter=_below()))["n"])


@figure(
    key="hsb_referrals_by_rating",
    kind="breakdown",
    section=SECTION,
    label="Referrals by Brook traffic light rating",
    definition="Referrals received in the period by rating (green, amber, red; amber is orange on the "
    "2020 tool), and not_rated for those with no rating yet. Filters: as hsb_referrals.",
    records=lambda query: _referral_rows(_referrals(query)),
    records_need=REFERRAL_ROWS_NEED,
    records_hidden=True,
)
def hsb_referrals_by_rating(query: FigureQuery) -> dict:
    aggregates = {code: Count("pk", filter=Q(rating=code)) for code in BrookRating.values}
    aggregates[NOT_RATED] = Count("pk", filter=Q(rating=""))
    return breakdown(_referrals(query).aggregate(**aggregates))


@figure(
    key="hsb_referrals_by_outcome",
    kind="breakdown",
    section=SECTION,
    label="Referrals by outcome",
    definition="Referrals received in the period by the outcome of the threshold decision (HSB meeting "
    "and intervention plan; basic intervention by the allocated social worker; referral for "
    "post-sexual-abuse therapy; no further action), and not_decided. Filters: as hsb_referrals.",
    records=lambda query: _referral_rows(_referrals(query)),
    records_need=REFERRAL_ROWS_NEED,
    records_hidden=True,
)
def hsb_referrals_by_outcome(query: FigureQuery) -> dict:
    aggregates = {code: Count("pk", filter=Q(outcome=code)) for code in ReferralOutcome.values}
    aggregates[NOT_DECIDED] = Count("pk", filter=Q(outcome=""))
    return breakdown(_referrals(query).aggregate(**aggregates))


@figure(
    key="hsb_referrals_by_ethnicity",
    kind="breakdown",
    section=SECTION,
    label="Referrals by the child's ethnicity",
    definition="Referrals received in the period by the child's ethnicity code. Filters: as hsb_referrals.",
    records=lambda query: _referral_rows(_referrals(query)),
    records_need=REFERRAL_ROWS_NEED,
    records_hidden=True,
)
def hsb_referrals_by_ethnicity(query: FigureQuery) -> dict:
    rows = _referrals(query).values("child__ethnicity").annotate(n=Count("pk")).order_by("child__ethnicity")
    return breakdown({row["child__ethnicity"]: row["n"] for row in rows})


@figure(
    key="hsb_meetings_children_in_care",
    kind="count",
    section=SECTION,
    label="Children at HSB meetings who were in care",
    definition="Children at HSB meetings held in the period who were in care on the meeting date, from "
    "their periods of care (a child who left care that day was not); each child once. Filters: the chair.",
    records=lambda query: _meeting_rows(_meetings(query).filter(child_in_care=True)),
    records_need=MEETING_ROWS_NEED,
    records_hidden=True,
)
def hsb_meetings_children_in_care(query: FigureQuery) -> dict:
    rows = _meetings(query).filter(child_in_care=True)
    return count(rows.aggregate(n=Count("referral__child", distinct=True))["n"])


def _training(query: FigureQuery) -> QuerySet:
    return training_for_figures().filter(
        completed_on__gte=query.start, completed_on__lte=query.end, course__in=Course.values
    )


@figure(
    key="hsb_training_completed",
    kind="breakdown",
    section=SECTION,
    label="HSB courses completed",
    definition="HSB courses completed in the period, by course (staff and outside practitioners, each "
    "completion once). No filters.",
    records=lambda query: [
        {
            "training_id": record.pk,
            "worker": record.worker_name,
            "outside_practitioner": record.practitioner_id is not None,
            "course": record.course,
            "completed_on": iso_day(record.completed_on),
        }
        for record in _training(query).select_related("staff", "practitioner").order_by("completed_on", "pk")
    ],
    records_need=TRAINING_ROWS_NEED,
    records_hidden=True,
)
def hsb_training_completed(query: FigureQuery) -> dict:
    totals = _training(query).aggregate(
        **{course: Count("pk", filter=Q(course=course)) for course in Course.values}
    )
    return breakdown(totals)
