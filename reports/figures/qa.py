"""QA alert figures (docs/figures.md, "QA alerts" table).

Every figure is one database aggregate over a qa_alerts selector (two for the ones that list
every IRO or team, whose names come with them), so the number of queries never depends on how
many alerts there are.

Filters: ``team`` and ``iro`` mean the IRO who raised the alert (``iro`` that IRO, ``team`` the
IROs of that team), as the other figures mean the chair; the team an alert was addressed to is a
breakdown of its own (``qa_alerts_by_team``).
"""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet

from iro_service.people.models import StaffMember, Team
from qa_alerts.codes import ReferralKind
from qa_alerts.models import AlertContext, AlertKind, AlertStatus
from qa_alerts.selectors import (
    alert_concerns_for_figures,
    alert_figure_rows,
    alert_referrals_for_figures,
    alerts_for_figures,
    challenge_meetings_for_figures,
    concern_categories,
    escalation_stage_names,
)
from reports.figures.base import FigureQuery, breakdown, count, figure, iso_day, rate

SECTION = "QA alerts"

# A drill-down row shows the alert, the children it is about (written to the access log), the
# IRO who raised it and the team it was addressed to.
ALERT_ROWS_NEED = (
    "people.view_child",
    "qa_alerts.view_qaalert",
    "qa_alerts.view_alertchild",
    "people.view_staffmember",
    "people.view_team",
)
FILTERS = "Filters: the IRO who raised the alert."


def _alerts(query: FigureQuery) -> QuerySet:
    rows = alerts_for_figures()
    if query.team_id is not None:
        rows = rows.filter(raised_by__team_id=query.team_id)
    if query.iro_id is not None:
        rows = rows.filter(raised_by_id=query.iro_id)
    return rows


def _raised(query: FigureQuery) -> QuerySet:
    return _alerts(query).filter(raised_on__gte=query.start, raised_on__lte=query.end)


def _concerns_raised(query: FigureQuery) -> QuerySet:
    return _raised(query).filter(kind=AlertKind.CONCERN)


def _rows(alerts: QuerySet) -> list[dict]:
    return [
        {
            "alert_id": alert.pk,
            "reference": alert.reference,
            "child_ids": [link.child_id for link in alert.children.all()],
            "raised_on": iso_day(alert.raised_on),
            "kind": alert.kind,
            "context": alert.context,
            "iro": alert.raised_by.full_name,
            "team": alert.team.name,
            "categories": [concern.category.code for concern in alert.concerns.all()],
            "stage": alert.stage,
            "highest_stage": alert.highest_stage,
            "response_due": iso_day(alert.response_due),
            "first_response_on": iso_day(alert.first_response_on),
            "status": alert.status,
            "resolved_on": iso_day(alert.resolved_on),
            "outcome": alert.outcome,
        }
        for alert in alert_figure_rows(alerts)
    ]


def _raised_rows(query: FigureQuery) -> list[dict]:
    return _rows(_raised(query))


def _concern_rows(query: FigureQuery) -> list[dict]:
    return _rows(_concerns_raised(query))


@figure(
    key="qa_alerts_raised",
    kind="breakdown",
    section=SECTION,
    label="QA alerts raised",
    definition="Alerts raised in the period by context (cic: the child was in care; cp: on a child "
    "protection plan; both) and kind (good_practice, concern). " + FILTERS,
    records=_raised_rows,
    records_need=ALERT_ROWS_NEED,
)
def qa_alerts_raised(query: FigureQuery) -> dict:
    aggregates = {
        f"{context}__{kind}": Count("pk", filter=Q(context=context, kind=kind))
        for context in AlertContext.values
        for kind in AlertKind.values
    }
    totals = _raised(query).aggregate(**aggregates)
    return breakdown(
        {
            context: {kind: totals[f"{context}__{kind}"] for kind in AlertKind.values}
            for context in AlertContext.values
        }
    )


def _category_rows(query: FigureQuery) -> list[dict]:
    return _rows(_concerns_raised(query).filter(concerns__isnull=False).distinct())


@figure(
    key="qa_concern_categories",
    kind="breakdown",
    section=SECTION,
    label="Categories of concern raised",
    definition="Concern categories on alerts raised in the period, an alert counting once for each "
    "category it raises: in all, and by context (cic, cp, both). Keys are the categories' keys. " + FILTERS,
    records=_category_rows,
    records_need=ALERT_ROWS_NEED,
)
def qa_concern_categories(query: FigureQuery) -> dict:
    codes = list(concern_categories().values_list("code", flat=True))
    raised = _raised(query).values("pk")
    aggregates = {}
    for code in codes:
        aggregates[f"all__{code}"] = Count("pk", filter=Q(category__code=code))
        for context in AlertContext.values:
            aggregates[f"{context}__{code}"] = Count(
                "pk", filter=Q(category__code=code, alert__context=context)
            )
    totals = alert_concerns_for_figures().filter(alert__in=raised).aggregate(**aggregates) if codes else {}
    return breakdown(
        {
            group: {code: totals[f"{group}__{code}"] for code in codes}
            for group in ("all", *AlertContext.values)
        }
    )


def _timeliness_measured(query: FigureQuery) -> QuerySet:
    # A concern still unanswered whose response is not due until after the period cannot be
    # judged yet; one answered, or overdue by the end, can.
    return _concerns_raised(query).filter(Q(first_response_on__isnull=False) | Q(response_due__lte=query.end))


@figure(
    key="qa_responses_on_time",
    kind="rate",
    section=SECTION,
    label="Concerns answered in time",
    definition="Concern alerts raised in the period whose first response (at any stage, whether or "
    "not it resolved the concern) arrived by the first response due date (the response timescale "
    "in working days), over the concerns raised in the period that were answered or due by the end "
    "date. Good practice alerts need no response and are left out. " + FILTERS,
    records=lambda query: _rows(_timeliness_measured(query)),
    records_need=ALERT_ROWS_NEED,
)
def qa_responses_on_time(query: FigureQuery) -> dict:
    totals = _timeliness_measured(query).aggregate(
        all=Count("pk"), on_time=Count("pk", filter=Q(first_response_on__lte=F("response_due")))
    )
    return rate(totals["on_time"], totals["all"])


@figure(
    key="qa_alerts_escalated",
    kind="breakdown",
    section=SECTION,
    label="Concerns by the highest stage reached",
    definition="Concern alerts raised in the period by the highest stage they reached: 0 for the "
    "practitioner and team manager (not escalated), then each escalation stage of the settings by "
    "its number. " + FILTERS,
    records=_concern_rows,
    records_need=ALERT_ROWS_NEED,
)
def qa_alerts_escalated(query: FigureQuery) -> dict:
    stages = range(len(escalation_stage_names()) + 1)
    totals = _concerns_raised(query).aggregate(
        **{str(stage): Count("pk", filter=Q(highest_stage=stage)) for stage in stages},
        beyond=Count("pk", filter=Q(highest_stage__gt=len(stages) - 1)),
    )
    value = {str(stage): totals[str(stage)] for stage in stages}
    if totals["beyond"]:
        # Stages reached before the settings were shortened.
        value["beyond_current_stages"] = totals["beyond"]
    return breakdown(value)


def _open_at_end(query: FigureQuery) -> QuerySet:
    return (
        _alerts(query)
        .filter(kind=AlertKind.CONCERN, raised_on__lte=query.end)
        .filter(Q(resolved_on__isnull=True) | Q(resolved_on__gt=query.end))
    )


@figure(
    key="qa_alerts_open_at_end",
    kind="count",
    section=SECTION,
    label="Concerns open at the end date",
    definition="Concern alerts raised on or before the end date and not resolved by it. " + FILTERS,
    records=lambda query: _rows(_open_at_end(query)),
    records_need=ALERT_ROWS_NEED,
)
def qa_alerts_open_at_end(query: FigureQuery) -> dict:
    return count(_open_at_end(query).aggregate(n=Count("pk"))["n"])


@figure(
    key="qa_alerts_by_iro",
    kind="breakdown",
    section=SECTION,
    label="QA alerts raised by each IRO",
    definition="Alerts raised in the period by each IRO in post at any time in it, by kind, keyed by "
    "the IRO's staff id: an IRO who raised none shows 0 (seed 6.13: some IROs were not using "
    "alerts). " + FILTERS,
    records=_raised_rows,
    records_need=ALERT_ROWS_NEED,
)
def qa_alerts_by_iro(query: FigureQuery) -> dict:
    in_post = (
        StaffMember.objects.iros()
        .filter(start_date__lte=query.end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=query.start))
    )
    if query.team_id is not None:
        in_post = in_post.filter(team_id=query.team_id)
    if query.iro_id is not None:
        in_post = in_post.filter(pk=query.iro_id)
    raised_in_period = Q(
        qa_alerts_raised__raised_on__gte=query.start, qa_alerts_raised__raised_on__lte=query.end
    )
    rows = in_post.annotate(
        good_practice=Count(
            "qa_alerts_raised", filter=raised_in_period & Q(qa_alerts_raised__kind=AlertKind.GOOD_PRACTICE)
        ),
        concern=Count(
            "qa_alerts_raised", filter=raised_in_period & Q(qa_alerts_raised__kind=AlertKind.CONCERN)
        ),
    ).order_by("last_name", "first_name", "pk")
    return breakdown(
        {
            str(iro.pk): {
                "name": iro.full_name,
                "good_practice": iro.good_practice,
                "concern": iro.concern,
                "total": iro.good_practice + iro.concern,
            }
            for iro in rows
        }
    )


@figure(
    key="qa_alerts_by_team",
    kind="breakdown",
    section=SECTION,
    label="QA alerts by the team addressed",
    definition="Alerts raised in the period by the team they were addressed to (the practitioner's "
    "team), by kind, keyed by the team's id; concerns also by whether they are still open. " + FILTERS,
    records=_raised_rows,
    records_need=ALERT_ROWS_NEED,
)
def qa_alerts_by_team(query: FigureQuery) -> dict:
    rows = (
        _raised(query)
        .values("team_id")
        .annotate(
            good_practice=Count("pk", filter=Q(kind=AlertKind.GOOD_PRACTICE)),
            concern=Count("pk", filter=Q(kind=AlertKind.CONCERN)),
            still_open=Count("pk", filter=Q(status=AlertStatus.OPEN)),
        )
        .order_by("team_id")
    )
    rows = list(rows)
    names = dict(Team.objects.filter(pk__in=[row["team_id"] for row in rows]).values_list("pk", "name"))
    return breakdown(
        {
            str(row["team_id"]): {
                "team": names[row["team_id"]],
                "good_practice": row["good_practice"],
                "concern": row["concern"],
                "open": row["still_open"],
            }
            for row in rows
        }
    )


# --- challenge meetings and referrals beyond the council (seed 5.9.8, 5.10) ------------------


def _referrals_made(query: FigureQuery) -> QuerySet:
    referrals = alert_referrals_for_figures().filter(referred_on__gte=query.start, referred_on__lte=query.end)
    if query.team_id is not None:
        referrals = referrals.filter(alert__raised_by__team_id=query.team_id)
    if query.iro_id is not None:
        referrals = referrals.filter(alert__raised_by_id=query.iro_id)
    return referrals


# A challenge meeting's row names the children whose cases it discussed (written to the access log).
MEETING_ROWS_NEED = ("people.view_child", "qa_alerts.view_challengemeeting")


def _meetings_held(query: FigureQuery) -> QuerySet:
    return challenge_meetings_for_figures().filter(held_on__gte=query.start, held_on__lte=query.end)


def _meeting_rows(query: FigureQuery) -> list[dict]:
    meetings = _meetings_held(query).prefetch_related("children", "themes").order_by("held_on", "pk")
    return [
        {
            "meeting_id": meeting.pk,
            "held_on": iso_day(meeting.held_on),
            "child_ids": [child.pk for child in meeting.children.all()],
            "themes": sorted(theme.name for theme in meeting.themes.all()),
        }
        for meeting in meetings
    ]


def _referral_rows(query: FigureQuery) -> list[dict]:
    referrals = (
        _referrals_made(query)
        .select_related("alert")
        .prefetch_related("alert__children")
        .order_by("referred_on", "pk")
    )
    return [
        {
            "alert_id": referral.alert_id,
            "reference": referral.alert.reference,
            "child_ids": [link.child_id for link in referral.alert.children.all()],
            "kind": referral.kind,
            "referred_on": iso_day(referral.referred_on),
        }
        for referral in referrals
    ]


@figure(
    key="qa_challenge_meetings",
    kind="count",
    section=SECTION,
    label="Challenge meetings held",
    definition="Challenge meetings of IROs with the assistant director (and the agency decision maker) "
    "held in the period. No filters: the meetings are the service's, not one IRO's.",
    records=_meeting_rows,
    records_need=MEETING_ROWS_NEED,
)
def qa_challenge_meetings(query: FigureQuery) -> dict:
    return count(_meetings_held(query).count())


@figure(
    key="qa_challenge_themes",
    kind="breakdown",
    section=SECTION,
    label="Themes discussed at challenge meetings",
    definition="The themes discussed at challenge meetings held in the period, by the theme's name: the "
    "number of meetings that discussed each. No filters.",
    records=lambda query: [row for row in _meeting_rows(query) if row["themes"]],
    records_need=MEETING_ROWS_NEED,
)
def qa_challenge_themes(query: FigureQuery) -> dict:
    rows = (
        challenge_meetings_for_figures()
        .filter(held_on__gte=query.start, held_on__lte=query.end, themes__isnull=False)
        .values("themes__name")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n", "themes__name")
    )
    return breakdown({row["themes__name"]: row["n"] for row in rows})


@figure(
    key="qa_referrals",
    kind="breakdown",
    section=SECTION,
    label="Referrals to Cafcass and for independent legal advice",
    definition="Referrals made from QA alerts in the period, by kind (cafcass, legal_advice). " + FILTERS,
    records=_referral_rows,
    records_need=(*ALERT_ROWS_NEED, "qa_alerts.view_alertreferral"),
)
def qa_referrals(query: FigureQuery) -> dict:
    kinds = {kind: Count("pk", filter=Q(kind=kind)) for kind in ReferralKind.values}
    totals = _referrals_made(query).aggregate(**kinds)
    return breakdown(totals)
