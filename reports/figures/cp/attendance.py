"""Child protection figures: who took part in conferences and who contested them: chair
continuity, agency attendance and reports, appeals and complaints."""

from __future__ import annotations

from django.db.models import (
    Count,
    F,
    OuterRef,
    Q,
    Subquery,
)

from conferences.models import (
    Agency,
    AppealOutcome,
    Appellant,
    ConferenceStatus,
)
from conferences.selectors import (
    appeals_for_figures,
    conferences_for_figures,
    invitations_for_figures,
)
from reports.figures.base import FigureQuery, breakdown, figure, iso_day, rate
from reports.figures.cp._common import (
    CONFERENCE_ROWS_NEED,
    REVIEW_TYPES,
    SECTION,
    _conference_row,
    _held,
)

# An invitation's row shows its conference (and is about the children considered there); an
# appeal's row too, and the child it is about when it names one.
INVITATION_ROWS_NEED = (*CONFERENCE_ROWS_NEED, "conferences.view_agencyinvitation")
APPEAL_ROWS_NEED = (*CONFERENCE_ROWS_NEED, "conferences.view_appeal", "people.view_child")


def _continuity_rows(query: FigureQuery):
    previous_chair = Subquery(
        conferences_for_figures()
        .filter(family=OuterRef("family"), status=ConferenceStatus.HELD, date__lt=OuterRef("date"))
        .order_by("-date", "-pk")
        .values("chair_id")[:1]
    )
    return _held(query).filter(conference_type__in=REVIEW_TYPES).annotate(previous_chair=previous_chair)


def _continuity_records(query: FigureQuery) -> list[dict]:
    """Every review conference in the period, with whether its chair chaired the one before."""
    rows = (
        _continuity_rows(query)
        .select_related("family", "chair")
        .prefetch_related("children")
        .order_by("family__reference", "date", "pk")
    )
    return [
        _conference_row(c, same_chair=c.previous_chair is not None and c.previous_chair == c.chair_id)
        for c in rows
    ]


@figure(
    key="cp_chair_continuity",
    kind="rate",
    section=SECTION,
    label="Review conferences with the same chair as before",
    definition="Review conferences held in the period chaired by the IRO who chaired the family's "
    "previous held conference. Filters: the chair.",
    records=_continuity_records,
    records_need=CONFERENCE_ROWS_NEED,
)
def cp_chair_continuity(query: FigureQuery) -> dict:
    rows = _continuity_rows(query)
    totals = rows.aggregate(all=Count("pk"), same=Count("pk", filter=Q(previous_chair=F("chair_id"))))
    return rate(totals["same"], totals["all"])


def _invitations(query: FigureQuery):
    return invitations_for_figures().filter(
        conference__in=_held(query).values("pk"), agency__in=Agency.values
    )


def _invitation_records(query: FigureQuery) -> list[dict]:
    """One row per agency invited to a conference held in the period; the figure counts each
    row once for each of invited, attended and report submitted that is true."""
    rows = (
        _invitations(query)
        .select_related("conference__family", "conference__chair")
        .prefetch_related("conference__children")
        .order_by("conference__date", "conference_id", "agency")
    )
    return [
        _conference_row(
            invitation.conference,
            agency=invitation.agency,
            invited=invitation.invited,
            attended=invitation.attended,
            report_submitted=invitation.report_submitted,
        )
        for invitation in rows
    ]


@figure(
    key="cp_agency_attendance",
    kind="breakdown",
    section=SECTION,
    label="Agency contribution to conferences",
    definition="Per agency, at conferences held in the period: invited, attended, report submitted. "
    "Filters: the chair.",
    records=_invitation_records,
    records_need=INVITATION_ROWS_NEED,
)
def cp_agency_attendance(query: FigureQuery) -> dict:
    # Grouped by agency: three counts per group, not three FILTER clauses per agency over every
    # invitation; an agency with no invitation shows 0.
    rows = (
        _invitations(query)
        .values("agency")
        .annotate(
            invited=Count("pk", filter=Q(invited=True)),
            attended=Count("pk", filter=Q(attended=True)),
            report_submitted=Count("pk", filter=Q(report_submitted=True)),
        )
        .order_by("agency")
    )
    parts = ("invited", "attended", "report_submitted")
    found = {row["agency"]: row for row in rows}
    return breakdown(
        {agency: {part: found.get(agency, {}).get(part, 0) for part in parts} for agency in Agency.values}
    )


def _appeals(query: FigureQuery):
    rows = appeals_for_figures().filter(
        received_on__gte=query.start, received_on__lte=query.end, appellant__in=Appellant.values
    )
    if query.team_id is not None:
        rows = rows.filter(conference__chair__team_id=query.team_id)
    if query.iro_id is not None:
        rows = rows.filter(conference__chair_id=query.iro_id)
    return rows


def _appeal_records(query: FigureQuery) -> list[dict]:
    rows = (
        _appeals(query)
        .select_related("conference__family", "conference__chair")
        .prefetch_related("conference__children")
        .order_by("received_on", "pk")
    )
    return [
        {
            "child_id": appeal.child_id,
            **_conference_row(
                appeal.conference,
                appeal_id=appeal.pk,
                received_on=iso_day(appeal.received_on),
                appellant=appeal.appellant,
                stage=appeal.stage,
                outcome=appeal.outcome,
            ),
        }
        for appeal in rows
    ]


@figure(
    key="cp_appeals",
    kind="breakdown",
    section=SECTION,
    label="Appeals and complaints",
    definition="Appeals and complaints received in the period, by appellant and outcome, with the "
    "stage reached. Filters: the chair of the conference appealed against.",
    records=_appeal_records,
    records_need=APPEAL_ROWS_NEED,
)
def cp_appeals(query: FigureQuery) -> dict:
    rows = _appeals(query)
    aggregates = {}
    for appellant in Appellant.values:
        aggregates[f"{appellant}__total"] = Count("pk", filter=Q(appellant=appellant))
        aggregates[f"{appellant}__stage_2_or_3"] = Count("pk", filter=Q(appellant=appellant, stage__gte=2))
        for outcome in AppealOutcome.values:
            aggregates[f"{appellant}__{outcome}"] = Count(
                "pk", filter=Q(appellant=appellant, outcome=outcome)
            )
    totals = rows.aggregate(**aggregates)
    return breakdown(
        {
            appellant: {
                "total": totals[f"{appellant}__total"],
                "stage_2_or_3": totals[f"{appellant}__stage_2_or_3"],
                **{outcome: totals[f"{appellant}__{outcome}"] for outcome in AppealOutcome.values},
            }
            for appellant in Appellant.values
        }
    )
