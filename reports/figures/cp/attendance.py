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
from reports.figures.base import FigureQuery, breakdown, figure, rate
from reports.figures.cp._common import (
    CONFERENCE_ROWS_NEED,
    REVIEW_TYPES,
    SECTION,
    _held,
)


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
        {
            "conference_id": c.pk,
            "child_ids": sorted(link.child_id for link in c.children.all()),
            "family": c.family.reference,
            "date": c.date.isoformat(),
            "type": c.conference_type,
            "chair": c.chair.full_name if c.chair else "",
            "same_chair": c.previous_chair is not None and c.previous_chair == c.chair_id,
        }
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


@figure(
    key="cp_agency_attendance",
    kind="breakdown",
    section=SECTION,
    label="Agency contribution to conferences",
    definition="Per agency, at conferences held in the period: invited, attended, report submitted. "
    "Filters: the chair.",
)
def cp_agency_attendance(query: FigureQuery) -> dict:
    rows = invitations_for_figures().filter(
        conference__in=_held(query).values("pk"),
    )
    aggregates = {}
    for agency in Agency.values:
        aggregates[f"{agency}__invited"] = Count("pk", filter=Q(agency=agency, invited=True))
        aggregates[f"{agency}__attended"] = Count("pk", filter=Q(agency=agency, attended=True))
        aggregates[f"{agency}__report_submitted"] = Count(
            "pk", filter=Q(agency=agency, report_submitted=True)
        )
    totals = rows.aggregate(**aggregates)
    return breakdown(
        {
            agency: {
                part: totals[f"{agency}__{part}"] for part in ("invited", "attended", "report_submitted")
            }
            for agency in Agency.values
        }
    )


@figure(
    key="cp_appeals",
    kind="breakdown",
    section=SECTION,
    label="Appeals and complaints",
    definition="Appeals and complaints received in the period, by appellant and outcome, with the "
    "stage reached. Filters: the chair of the conference appealed against.",
)
def cp_appeals(query: FigureQuery) -> dict:
    rows = appeals_for_figures().filter(received_on__gte=query.start, received_on__lte=query.end)
    if query.team_id is not None:
        rows = rows.filter(conference__chair__team_id=query.team_id)
    if query.iro_id is not None:
        rows = rows.filter(conference__chair_id=query.iro_id)
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
