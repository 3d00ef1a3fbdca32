"""Reads for the qa_alerts app: one named query per screen, owning its joins, each a fixed number
of queries however many rows there are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from iro_service.people.codes import TeamKind
from iro_service.people.models import Child, StaffMember, Team
from iro_service.timescales.selectors import timescale_settings
from qa_alerts.due_dates import process_due
from qa_alerts.models import (
    FIRST_STAGE_NAME,
    AlertChild,
    AlertConcern,
    AlertNotice,
    AlertReferral,
    AlertResponse,
    AlertStage,
    AlertStatus,
    AlertTransition,
    ChallengeAction,
    ChallengeMeeting,
    ChallengeTheme,
    ConcernCategory,
    QaAlert,
)


def escalation_stage_names() -> list[str]:
    """The escalation stages of the settings, in order: stage 1 is the first of them."""
    return list(timescale_settings().qa_escalation_stages)


def stage_name(number: int, names: list[str] | None = None) -> str:
    """What stage ``number`` is called: 0 is the practitioner and team manager."""
    if number == 0:
        return FIRST_STAGE_NAME
    names = escalation_stage_names() if names is None else names
    return names[number - 1] if number <= len(names) else f"Stage {number}"


def _current_stage(field: str) -> Subquery:
    return Subquery(
        AlertStage.objects.filter(alert=OuterRef("pk"), number=OuterRef("stage")).values(field)[:1]
    )


def alert_rows(*, today: date) -> QuerySet[QaAlert]:
    """Alerts with what every list shows: the children, the IRO, the team, the categories, the
    current stage's name and due date, and whether it is overdue on ``today``."""
    return (
        QaAlert.objects.select_related("raised_by", "team")
        .prefetch_related(
            Prefetch("children", queryset=AlertChild.objects.select_related("child").order_by("child_id")),
            Prefetch(
                "concerns",
                queryset=AlertConcern.objects.select_related("category").order_by(
                    "category__position", "category_id"
                ),
            ),
        )
        .annotate(
            stage_name=_current_stage("name"),
            stage_due=_current_stage("due_on"),
        )
        .annotate(
            is_overdue=Case(
                When(status=AlertStatus.OPEN, stage_due__lt=today, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )


# --- an IRO's alerts ------------------------------------------------------------------------


@dataclass
class MyAlerts:
    awaiting: list[QaAlert]
    overdue: list[QaAlert]
    escalated: list[QaAlert]
    resolved: list[QaAlert]
    good_practice: list[QaAlert]
    notices: list[AlertNotice]

    @property
    def shown(self) -> list[QaAlert]:
        return [*self.awaiting, *self.overdue, *self.escalated, *self.resolved, *self.good_practice]


RESOLVED_SHOWN = 25


def my_alerts(*, iro: StaffMember, today: date, user) -> MyAlerts:
    """'My alerts' for an IRO: open concerns awaiting a response at the first stage, overdue
    ones (any stage), escalated ones not overdue, the latest resolved ones and good practice
    shared, with the IRO's unread notices. Four queries."""
    rows = list(
        alert_rows(today=today)
        .restrict(user)
        .filter(raised_by=iro)
        .filter(Q(status=AlertStatus.OPEN) | Q(raised_on__gte=date(today.year - 1, today.month, 1)))
        .order_by("-raised_on", "-pk")
    )
    open_rows = [row for row in rows if row.status == AlertStatus.OPEN]
    return MyAlerts(
        awaiting=[r for r in open_rows if not r.is_overdue and r.stage == 0],
        overdue=[r for r in open_rows if r.is_overdue],
        escalated=[r for r in open_rows if not r.is_overdue and r.stage > 0],
        resolved=[r for r in rows if r.status == AlertStatus.RESOLVED][:RESOLVED_SHOWN],
        good_practice=[r for r in rows if r.status == AlertStatus.NOTED][:RESOLVED_SHOWN],
        notices=list(
            AlertNotice.objects.filter(iro=iro, read_at__isnull=True)
            .restrict(user)
            .select_related("alert")
            .order_by("-created_at", "-pk")
        ),
    )


def iro_alert_counts(*, iro: StaffMember, today: date) -> dict[str, int]:
    """The home panel's counts for an IRO, in two queries. Alerts and notices about a child
    hidden from the IRO are not counted: the panel links to "My alerts", which leaves them out."""
    counts = (
        QaAlert.objects.filter(raised_by=iro, status=AlertStatus.OPEN)
        .restrict_to_staff("raised_by_id")
        .annotate(stage_due=_current_stage("due_on"))
        .aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(stage_due__lt=today)))
    )
    counts["notices"] = (
        AlertNotice.objects.filter(iro=iro, read_at__isnull=True).restrict_to_staff("iro_id").count()
    )
    return counts


# --- the managers' board --------------------------------------------------------------------


def alert_board(
    *,
    user,
    today: date,
    team_id: int | None = None,
    category_id: int | None = None,
    stage: int | None = None,
    iro_id: int | None = None,
    context: str = "",
    status: str = "",
    kind: str = "",
    ordering: tuple[str, ...] = ("-raised_on",),
) -> QuerySet[QaAlert]:
    """Every alert, filtered by the team it was addressed to, a category, the current stage,
    the IRO, the context, the status and the kind; sorted in the database."""
    rows = alert_rows(today=today).restrict(user)
    if team_id:
        rows = rows.filter(team_id=team_id)
    if category_id:
        rows = rows.filter(Exists(AlertConcern.objects.filter(alert=OuterRef("pk"), category_id=category_id)))
    if stage is not None:
        rows = rows.filter(stage=stage)
    if iro_id:
        rows = rows.filter(raised_by_id=iro_id)
    if context:
        rows = rows.filter(context=context)
    if status == "overdue":
        rows = rows.filter(is_overdue=True)
    elif status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    return rows.order_by(*ordering, "-pk")


# --- one alert ------------------------------------------------------------------------------


def alert_for_page(*, pk: int, today: date, user) -> QaAlert:
    """One alert with its children, categories, stages, responses, referrals and transitions; an
    alert about a child hidden from ``user`` does not exist."""
    return (
        alert_rows(today=today)
        .restrict(user)
        .select_related("review", "conference", "family")
        .prefetch_related(
            Prefetch("stages", queryset=AlertStage.objects.order_by("number")),
            Prefetch(
                "responses",
                queryset=AlertResponse.objects.select_related("recorded_by").order_by("received_on", "pk"),
            ),
            "referrals__cafcass_involvement",
            "referrals__legal_advice_referral",
            Prefetch(
                "transitions", queryset=AlertTransition.objects.select_related("by").order_by("at", "pk")
            ),
            "challenge_meetings",
        )
        .get(pk=pk)
    )


def response_for_judging(*, pk: int, user) -> AlertResponse:
    return AlertResponse.objects.restrict(user).select_related("alert").get(pk=pk)


def stage_contact(*, team_id: int, number: int) -> tuple[str, str] | None:
    """Whom the team's alerts last went to at escalation stage ``number`` (name, email): who the
    nightly job and the escalation page offer for the next alert of that team."""
    row = (
        AlertStage.objects.filter(alert__team_id=team_id, number=number)
        .exclude(addressee_email="")
        .order_by("-started_on", "-pk")
        .values_list("addressee_name", "addressee_email")
        .first()
    )
    return tuple(row) if row else None


def last_addressees_for_child(*, child_id: int) -> QaAlert | None:
    """The child's latest alert, for what is known about the practitioner and team manager when
    the IRO raises the next one."""
    return (
        QaAlert.objects.filter(Exists(AlertChild.objects.filter(alert=OuterRef("pk"), child_id=child_id)))
        .order_by("-raised_on", "-pk")
        .first()
    )


def notices_unread(*, iro: StaffMember) -> QuerySet[AlertNotice]:
    return AlertNotice.objects.filter(iro=iro, read_at__isnull=True)


# --- the lists managers keep ----------------------------------------------------------------


def concern_categories(*, active_only: bool = False) -> QuerySet[ConcernCategory]:
    rows = ConcernCategory.objects.order_by("position", "name")
    return rows.filter(is_active=True) if active_only else rows


def challenge_themes(*, active_only: bool = False) -> QuerySet[ChallengeTheme]:
    rows = ChallengeTheme.objects.order_by("name")
    return rows.filter(is_active=True) if active_only else rows


# --- challenge meetings ---------------------------------------------------------------------


def challenge_meeting_list() -> QuerySet[ChallengeMeeting]:
    """Challenge meetings, newest first, with their themes and the number of alerts, cases and
    open actions."""
    return (
        ChallengeMeeting.objects.prefetch_related(
            Prefetch("themes", queryset=ChallengeTheme.objects.order_by("name"))
        )
        .annotate(
            alert_count=Count("challengemeetingalert", distinct=True),
            case_count=Count("challengemeetingcase", distinct=True),
            open_actions=Count("actions", filter=Q(actions__completed_on__isnull=True), distinct=True),
        )
        .order_by("-held_on", "-pk")
    )


def challenge_meeting_for_page(*, pk: int, user) -> ChallengeMeeting:
    """One challenge meeting with its themes, alerts, cases and actions. The meeting is not a
    child's record, so it is never hidden; the alerts and cases about children hidden from
    ``user`` are left out of it."""
    return ChallengeMeeting.objects.prefetch_related(
        Prefetch("themes", queryset=ChallengeTheme.objects.order_by("name")),
        Prefetch(
            "alerts",
            queryset=QaAlert.objects.restrict(user)
            .select_related("raised_by", "team")
            .prefetch_related(
                Prefetch("children", queryset=AlertChild.objects.select_related("child").order_by("child_id"))
            )
            .order_by("raised_on", "pk"),
        ),
        Prefetch("children", queryset=_children_by_name().restrict(user)),
        Prefetch("actions", queryset=ChallengeAction.objects.order_by("due_on", "pk")),
    ).get(pk=pk)


def challenge_alerts_hidden_from(meeting: ChallengeMeeting | None, *, user) -> list[QaAlert]:
    """The alerts a meeting took up that are about children hidden from ``user``."""
    if meeting is None:
        return []
    visible = QaAlert.objects.restrict(user).values("pk")
    return list(QaAlert.objects.filter(challenge_meetings=meeting).exclude(pk__in=visible))


def challenge_cases_hidden_from(meeting: ChallengeMeeting | None, *, user) -> list[Child]:
    """The cases a meeting took up that are children hidden from ``user``."""
    if meeting is None:
        return []
    visible = Child.objects.restrict(user).values("pk")
    return list(meeting.children.exclude(pk__in=visible))


def _children_by_name():
    return Child.objects.order_by("last_name", "first_name", "pk")


def alerts_for_challenge(*, today: date) -> QuerySet[QaAlert]:
    """The alerts a challenge meeting may take up: open concerns, the most escalated first."""
    return alert_rows(today=today).filter(status=AlertStatus.OPEN).order_by("-stage", "raised_on", "pk")


# --- for the figures service (reports) ------------------------------------------------------


def alerts_for_figures() -> QuerySet[QaAlert]:
    """Every alert, for the QA figures to aggregate over."""
    return QaAlert.objects.all()


def alert_concerns_for_figures() -> QuerySet[AlertConcern]:
    """Every category raised on every alert (an alert counts once per category)."""
    return AlertConcern.objects.all()


def alert_figure_rows(alerts: QuerySet[QaAlert]) -> QuerySet[QaAlert]:
    """``alerts`` with what a drill-down row shows, in a fixed number of queries."""
    return (
        alerts.select_related("raised_by", "team")
        .prefetch_related(
            Prefetch("children", queryset=AlertChild.objects.order_by("child_id")),
            Prefetch(
                "concerns", queryset=AlertConcern.objects.select_related("category").order_by("category_id")
            ),
        )
        .order_by("raised_on", "pk")
    )


# --- what the forms offer -------------------------------------------------------------------


def teams_for_alerts() -> QuerySet:
    """The teams an alert can be addressed to: every team, social work teams first."""
    return Team.objects.annotate(
        social_work_first=Case(When(kind=TeamKind.SOCIAL_WORK, then=Value(0)), default=Value(1))
    ).order_by("social_work_first", "name")


def children_by_child_ids(local_ids, *, user) -> list[Child]:
    """The children with these child IDs (what a challenge meeting's form is typed with); a
    child hidden from ``user`` is not found."""
    return list(
        Child.objects.restrict(user).filter(local_child_id__in=list(local_ids)).order_by("local_child_id")
    )


def first_alert_raised_on() -> date | None:
    """The day the first alert was raised: where the overview's choice of periods starts."""
    first = QaAlert.objects.order_by("raised_on").values_list("raised_on", flat=True).first()
    return first


def alert_process_due(alert: QaAlert) -> date | None:
    """The day by which the whole escalation of a concern should have ended (domain.md section
    5: 20 working days by default); None for good practice."""
    if not alert.is_concern:
        return None
    return process_due(raised_on=alert.raised_on, settings_row=timescale_settings())


def challenge_meetings_for_figures() -> QuerySet[ChallengeMeeting]:
    """Every challenge meeting, for the annual report's figures."""
    return ChallengeMeeting.objects.all()


def alert_referrals_for_figures() -> QuerySet[AlertReferral]:
    """Every referral beyond the council's escalation (Cafcass, independent legal advice)."""
    return AlertReferral.objects.all()
