"""The demo county's QA alert activity, September 2016 (when the alert was introduced, seed 5.9.1)
to March 2017, and its four challenge meetings (seed 5.10).

Seed 5.9.2 and 6.13: children in care 16 good practice and 61 concern alerts; child protection 13
good practice and 72 concern, whose categories are the table of 6.13. That table's eight counts
add up to 72, one per concern alert, so each child protection concern here raises one category
(the seed's note that some alerts raise several cannot then hold for all 72, and an alert with
no category is refused). Seed 5.9.4 lists the children-in-care categories without counts: they
are drawn with the weights below, a quarter of those alerts raising a second one. Seed 6.13 says
some alerts were answered late and some escalated, and that two IROs hardly used alerts at
first: two IROs raise one each.

Every alert is raised, answered, escalated and resolved through the services, with the children
in care (reviews demo) and on plans (conferences demo) of the whole period, so the context of
each is worked out as for any alert; every concern is resolved by the end of April 2017, so the
nightly escalation job leaves the demo alone. The emails of 2016 are put down as sent, so
loading the demo sends none. Deterministic (fixed seed) and idempotent (skipped when the demo's
alerts exist).
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q

from conferences import selectors as conferences_selectors
from iro_service.people.codes import TeamKind
from iro_service.people.models import Child, StaffMember, Team
from iro_service.timescales.dates import add_working_days, is_working_day
from qa_alerts import services
from qa_alerts.models import AlertEmail, AlertStage, ChallengeTheme, ConcernCategory, EmailKind, QaAlert
from reviews import selectors as reviews_selectors

SEED = 20160901
FIRST_DAY, LAST_DAY = date(2016, 9, 1), date(2017, 3, 31)
# The practitioners' addresses: also how the loader knows the demo's alerts are there.
DEMO_DOMAIN = "demo-county.example"

# Seed 5.9.2 and 6.13.
COUNTS = {
    ("cic", "good_practice"): 16,
    ("cic", "concern"): 61,
    ("cp", "good_practice"): 13,
    ("cp", "concern"): 72,
}
# Seed 6.13's table, one category per child protection concern.
CP_CATEGORIES = {
    "drift_delay": 8,
    "report_timeliness": 13,
    "other": 18,
    "quality": 7,
    "core_group": 16,
    "statutory_visits": 7,
    "permanency_plan": 2,
    "length_on_plan": 1,
}
# Seed 5.9.4's key areas for children in care, most common first.
CIC_CATEGORY_WEIGHTS = [
    ("report_timeliness", 5),
    ("drift_delay", 4),
    ("quality", 3),
    ("statutory_visits", 2),
    ("placement", 2),
]
P_CIC_SECOND_CATEGORY = 0.25
# The alert took hold over the months (seed 6.13: "some improvement since").
MONTH_WEIGHTS = {9: 0.7, 10: 0.9, 11: 1.0, 12: 0.8, 1: 1.1, 2: 1.2, 3: 1.3}
# Seed 6.13: some IROs were not using the alert as expected. One alert each in the period.
FEW = [("Lynn", "Parsons"), ("Tom", "Mercer")]
# What happened to a concern: answered in time; answered late (the IRO did not escalate); or
# not answered and escalated by the IRO the working day after the stage was due.
P_ANSWERED_IN_TIME = 0.6
P_ANSWERED_LATE = 0.2
P_ESCALATED_AGAIN = 0.25
TO_THE_ASSISTANT_DIRECTOR = 2  # concerns taken up to stage 4 and resolved at the March meeting

TEAMS_BY_CONTEXT = {
    "cic": [("Children in Care Team", 5), ("Disabled Children's Service", 1)],
    "cp": [("Locality Team East", 3), ("Locality Team West", 3), ("Disabled Children's Service", 1)],
}
PRACTITIONERS = {
    "Children in Care Team": ["Rachel Brooks", "Imran Aziz", "Sophie Turner", "Daniel Reeve", "Megan Holt"],
    "Disabled Children's Service": ["Chloe Marsh", "Owen Price"],
    "Locality Team East": ["Hannah Cole", "Jamal Osei", "Laura Finch", "Peter Quinn", "Zoe Hart"],
    "Locality Team West": ["Emma Lord", "Kieran Walsh", "Nina Patel", "Sam Ryder", "Ruth Dale"],
}
# Each team's manager (stage 0 and stage 1), service manager (stage 2) and head of service (3);
# stage 4 is the assistant director for every team.
MANAGERS = {
    "Children in Care Team": ("Gail Norris", "Colin Whyte", "Andrea Bell"),
    "Disabled Children's Service": ("Vera Stone", "Colin Whyte", "Andrea Bell"),
    "Locality Team East": ("Paul Hendry", "Mina Shah", "Andrea Bell"),
    "Locality Team West": ("Lisa Grant", "Mina Shah", "Andrea Bell"),
}
ASSISTANT_DIRECTOR = "Jane Ellery"

DESCRIPTIONS = {
    "report_timeliness": "The social worker's report was not available three working days before the review.",
    "drift_delay": "Actions agreed at the last review have not been progressed and the plan is drifting.",
    "quality": "The report does not give an updating assessment of the child's needs.",
    "statutory_visits": "Statutory visits have not been completed within the timescale.",
    "placement": "The placement does not meet the child's needs identified in the matching report.",
    "core_group": "Core group meetings have not been held since the conference.",
    "permanency_plan": "There is no plan for permanence for the child.",
    "length_on_plan": "The child has been on a plan for a long time without the change needed.",
    "other": "The agreed contact arrangements have not been put in place.",
}
GOOD_PRACTICE = {
    "cic": "Robust and timely care planning, with good quality life story work with the young person.",
    "cp": "A good quality, timely report to conference and focused work that brought the change needed.",
}

# Seed 5.10: the meetings before the gap (June to December 2016) and after it; the themes of
# 5.10.3 across them.
MEETINGS = [
    (date(2016, 4, 19), ["Ofsted feedback on permanence", "Drift and delay"]),
    (
        date(2016, 5, 17),
        [
            "Governance of Special Guardianship Order recommendations and support plans",
            "Use of connected placements at all cost",
        ],
    ),
    (
        date(2016, 12, 13),
        [
            "Social work reports for LAC reviews not giving a thorough updating assessment",
            "Quality of social work reports and assessments for child protection conferences",
            "Plans not outcome focused enough",
        ],
    ),
    (
        date(2017, 3, 21),
        ["Quality of sibling assessment work", "Matching processes not being followed", "Drift and delay"],
    ),
]
ATTENDEES = "\n".join(
    [
        "Jane Ellery, Assistant Director",
        "Karen Lloyd, IRO Team Manager",
        "Simon Patel, IRO Team Manager",
        "Mark Dean, Agency Decision Maker",
    ]
)


def _email(name: str) -> str:
    return f"{name.lower().replace(' ', '.')}@{DEMO_DOMAIN}"


def _working_days(rng: random.Random) -> list[date]:
    days, day = [], FIRST_DAY
    while day <= LAST_DAY:
        if is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def _dates(rng: random.Random, n: int, days: list[date]) -> list[date]:
    weights = [MONTH_WEIGHTS[day.month] for day in days]
    return sorted(rng.choices(days, weights, k=n))


def _pools() -> dict[str, list[int]]:
    """Children in care all through the period and never on a plan in it, and the reverse."""
    in_care = [
        set(reviews_selectors.periods_in_care_on(on=day).values_list("child_id", flat=True))
        for day in (FIRST_DAY, LAST_DAY)
    ]
    on_plan = [
        set(conferences_selectors.plans_for_figures().open_on(day).values_list("child_id", flat=True))
        for day in (FIRST_DAY, LAST_DAY)
    ]
    either_plan = on_plan[0] | on_plan[1]
    either_care = in_care[0] | in_care[1]
    return {
        "cic": sorted((in_care[0] & in_care[1]) - either_plan),
        "cp": sorted((on_plan[0] & on_plan[1]) - either_care),
    }


def _mark_sent(alert: QaAlert) -> None:
    """The emails of an alert raised or escalated in 2016 went at the time."""
    stage = AlertStage.objects.filter(alert=alert, number=alert.stage).first()
    recipients = (
        [alert.practitioner_email, alert.team_manager_email]
        if alert.stage == 0
        else [stage.addressee_email]
        if stage and stage.addressee_email
        else []
    )
    for recipient in recipients:
        AlertEmail.objects.get_or_create(
            alert=alert, kind=EmailKind.ADDRESSED, stage=alert.stage, recipient=recipient
        )


def _addressee(team: str, stage: int) -> tuple[str, str]:
    # Stages 0 and 1 go to the team manager, 2 to the service manager, 3 to the head of service.
    name = ASSISTANT_DIRECTOR if stage >= 4 else MANAGERS[team][max(stage, 1) - 1]
    return name, _email(name)


def _escalate(alert: QaAlert, to_stage: int, on: date, reason: str = "") -> QaAlert:
    name, email = _addressee(alert.team.name, to_stage)
    alert = services.alert_escalate(
        alert=alert, to_stage=to_stage, on=on, addressee_name=name, addressee_email=email, reason=reason
    )
    _mark_sent(alert)
    return alert


def _stage_due(alert: QaAlert) -> date:
    return AlertStage.objects.get(alert=alert, number=alert.stage).due_on


def _concern_life(rng: random.Random, alert: QaAlert, *, to_ad: bool) -> None:
    """Answer, escalate and resolve one concern the way seed 6.13 describes."""
    due = alert.response_due
    manager = alert.team_manager_name
    if to_ad:
        for stage in range(1, 5):
            alert = _escalate(alert, stage, add_working_days(_stage_due(alert), 1))
        services.alert_resolve(
            alert=alert,
            outcome="resolved_at_challenge_meeting",
            resolved_on=MEETINGS[-1][0],
            detail="Plan agreed with the assistant director and the agency decision maker.",
        )
        return
    roll = rng.random()
    if roll < P_ANSWERED_IN_TIME:
        received = add_working_days(alert.raised_on, rng.randrange(2, 11))
        services.alert_response_record(
            alert=alert,
            received_on=min(received, due),
            responder_name=alert.practitioner_name,
            summary="The actions have been taken and the plan updated.",
            satisfactory=True,
        )
        return
    if roll < P_ANSWERED_IN_TIME + P_ANSWERED_LATE:
        services.alert_response_record(
            alert=alert,
            received_on=add_working_days(due, rng.randrange(1, 8)),
            responder_name=manager,
            summary="Apologies for the delay: the report has now been completed.",
            satisfactory=True,
        )
        return
    alert = _escalate(alert, 1, add_working_days(due, 1))
    if rng.random() < P_ESCALATED_AGAIN:
        alert = _escalate(alert, 2, add_working_days(_stage_due(alert), 1))
    services.alert_response_record(
        alert=alert,
        received_on=add_working_days(alert.stages.get(number=alert.stage).started_on, rng.randrange(1, 6)),
        responder_name=_addressee(alert.team.name, alert.stage)[0],
        summary="I have met the team and the actions are now in hand, with dates.",
        satisfactory=True,
    )


def _child_for(rng: random.Random, pool: list[int], context_code: str, on: date) -> Child:
    """A child of the pool whose status on ``on`` gives ``context_code`` (in care or on a plan on
    both ends of the period does not always mean on every day between)."""
    for _ in range(100):
        child = Child.objects.get(pk=rng.choice(pool))
        try:
            if services.alert_context(children=[child], on=on) == context_code:
                return child
        except ValidationError:
            continue
    raise RuntimeError(
        f"No child for a {context_code} alert on {on}: load the reviews and conferences demos first."
    )


def _iro_weights(iros: list[StaffMember]) -> list[tuple[StaffMember, float]]:
    few = {(first, last) for first, last in FEW}
    return [(iro, float(iro.fte)) for iro in iros if (iro.first_name, iro.last_name) not in few]


def load_demo(*, context: dict, stdout) -> None:
    if not QaAlert.objects.filter(practitioner_email__endswith=f"@{DEMO_DOMAIN}").exists():
        _load(context)
    stdout.write("QA alerts (demo, September 2016 to March 2017):")
    for name, value in demo_figures().items():
        stdout.write(f"  {name}: {value}")


def _load(context: dict) -> None:
    rng = random.Random(SEED)  # nosec B311
    iros = context.get("iros") or list(
        StaffMember.objects.iros().filter(start_date__lte=FIRST_DAY).filter(Q(end_date__isnull=True))
    )
    # Only the IROs in post when alerts began raise them (two agency IROs started later).
    iros = sorted((iro for iro in iros if iro.start_date <= FIRST_DAY), key=lambda iro: iro.pk)
    few = [iro for iro in iros if (iro.first_name, iro.last_name) in set(FEW)]
    weighted = _iro_weights(iros)
    teams = {
        name: Team.objects.get_or_create(name=name, defaults={"kind": TeamKind.SOCIAL_WORK})[0]
        for name in PRACTITIONERS
    }
    categories = {category.code: category for category in ConcernCategory.objects.all()}
    pools = _pools()
    days = _working_days(rng)

    plan = []  # (context, kind, raised_on)
    for (context_code, kind), n in COUNTS.items():
        plan += [(context_code, kind, day) for day in _dates(rng, n, days)]
    plan.sort(key=lambda row: (row[2], row[0], row[1]))
    cp_codes = [code for code, n in CP_CATEGORIES.items() for _ in range(n)]
    rng.shuffle(cp_codes)
    # The few IROs' one alert each, and the concerns that go to the assistant director: early
    # enough to climb all four stages before the March meeting.
    few_rows = rng.sample(range(len(plan)), len(few))
    early_concerns = [i for i, row in enumerate(plan) if row[1] == "concern" and row[2] < date(2016, 11, 30)]
    to_ad = set(rng.sample([i for i in early_concerns if i not in few_rows], TO_THE_ASSISTANT_DIRECTOR))

    for index, (context_code, kind, raised_on) in enumerate(plan):
        iro = (
            few[few_rows.index(index)] if index in few_rows else rng.choices(*zip(*weighted, strict=True))[0]
        )
        team_name = rng.choices(*zip(*TEAMS_BY_CONTEXT[context_code], strict=True))[0]
        practitioner = rng.choice(PRACTITIONERS[team_name])
        manager = MANAGERS[team_name][0]
        if kind == "concern":
            if context_code == "cp":
                codes = [cp_codes.pop()]
            else:
                codes = [rng.choices(*zip(*CIC_CATEGORY_WEIGHTS, strict=True))[0]]
                if rng.random() < P_CIC_SECOND_CATEGORY:
                    others = [row for row in CIC_CATEGORY_WEIGHTS if row[0] != codes[0]]
                    codes.append(rng.choices(*zip(*others, strict=True))[0])
            description = DESCRIPTIONS[codes[0]]
        else:
            codes, description = [], GOOD_PRACTICE[context_code]
        child = _child_for(rng, pools[context_code], context_code, raised_on)
        alert = services.alert_raise(
            raised_by=iro,
            children=[child],
            kind=kind,
            categories=[categories[code] for code in codes],
            description=description,
            practitioner_name=practitioner,
            practitioner_email=_email(practitioner),
            team=teams[team_name],
            team_manager_name=manager,
            team_manager_email=_email(manager),
            raised_on=raised_on,
        )
        _mark_sent(alert)
        if kind == "concern":
            _concern_life(rng, alert, to_ad=index in to_ad)
    _challenge_meetings(rng, teams)


def _challenge_meetings(rng: random.Random, teams) -> None:
    themes = {theme.name: theme for theme in ChallengeTheme.objects.all()}
    in_care = reviews_selectors.periods_in_care_on(on=date(2016, 4, 1)).values_list("child_id", flat=True)
    earlier_cases = list(Child.objects.filter(pk__in=list(in_care)).order_by("pk")[:40])
    for held_on, names in MEETINGS:
        brought = list(
            QaAlert.objects.filter(practitioner_email__endswith=f"@{DEMO_DOMAIN}", raised_on__lt=held_on)
            .filter(Q(highest_stage__gte=2))
            .filter(Q(resolved_on__isnull=True) | Q(resolved_on__gte=held_on))
            .order_by("pk")
        )
        meeting = services.challenge_meeting_save(
            held_on=held_on,
            attendees=ATTENDEES,
            alerts=brought,
            children=rng.sample(earlier_cases, 3) if not brought else [],
            themes=[themes[name] for name in names if name in themes],
            notes="Cases that are not progressing and the themes behind them (seed 5.9.7).",
        )
        for description, owner, days in (
            ("Write to the team managers about the themes discussed", "Jane Ellery", 10),
            ("Report progress on the cases brought at the next meeting", "Karen Lloyd", 25),
        ):
            action = services.challenge_action_add(
                meeting=meeting, description=description, owner=owner, due_on=held_on + timedelta(days=days)
            )
            services.challenge_action_complete(action=action, completed_on=held_on + timedelta(days=days - 2))


def demo_figures() -> dict:
    """What the demo produced, as the seed counts it (5.9.2, 6.13)."""
    alerts = QaAlert.objects.filter(
        practitioner_email__endswith=f"@{DEMO_DOMAIN}", raised_on__range=(FIRST_DAY, LAST_DAY)
    )
    return {
        "raised (context, kind)": dict(sorted(Counter(alerts.values_list("context", "kind")).items())),
        "child protection categories": dict(
            sorted(
                Counter(
                    alerts.filter(context="cp")
                    .values_list("concerns__category__code", flat=True)
                    .exclude(concerns__category__code=None)
                ).items()
            )
        ),
        "escalated (highest stage)": dict(
            sorted(Counter(alerts.filter(kind="concern").values_list("highest_stage", flat=True)).items())
        ),
        "answered late": alerts.filter(kind="concern", first_response_on__gt=F("response_due")).count(),
        "IROs with 1 alert or fewer": sorted(
            f"{row['raised_by__first_name']} {row['raised_by__last_name']}"
            for row in _per_iro(alerts)
            if row["n"] <= 1
        ),
    }


def _per_iro(alerts):
    return alerts.values("raised_by__first_name", "raised_by__last_name").annotate(n=Count("pk"))
