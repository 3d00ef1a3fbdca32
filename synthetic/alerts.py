"""QA alerts raised after reviews and conferences: good practice noted, concerns answered,
escalated through the stages and resolved (or still open), with their children, categories,
stages, responses, transitions and emails; and the monthly challenge meetings. Stage due dates
come from ``qa_alerts.due_dates``."""

from __future__ import annotations

from datetime import date, timedelta

from qa_alerts.codes import AlertContext, AlertKind, AlertOutcome, AlertStatus, EmailKind, TransitionKind
from qa_alerts.due_dates import stage_due
from qa_alerts.models import (
    AlertChild,
    AlertConcern,
    AlertEmail,
    AlertReferral,
    AlertResponse,
    AlertStage,
    AlertTransition,
    ChallengeAction,
    ChallengeMeeting,
    ChallengeMeetingAlert,
    ChallengeMeetingCase,
    ChallengeMeetingTheme,
    QaAlert,
)
from qa_alerts.selectors import stage_name
from synthetic.presets import FIRST_DAY, LAST_DAY

ALERT_RATE = 0.025  # of reviews and held conferences
# How far concerns go: answered at stage 0, or escalated to stage 1, 2 or 3.
FINAL_STAGE_WEIGHTS = (65, 25, 8, 2)


def alert_build(
    chunk,
    *,
    on: date,
    iro: int,
    children: list[int],
    context: str,
    review=None,
    conference=None,
    family=None,
    cafcass=None,
) -> None:
    rng, tables = chunk.rng, chunk.tables
    raised = on + timedelta(days=rng.randrange(1, 8))
    if raised > LAST_DAY:
        return
    team, _, manager = rng.choice(chunk.staff.social_work_teams)
    practitioner = chunk.name()
    kind = AlertKind.CONCERN if rng.random() < 0.8 else AlertKind.GOOD_PRACTICE
    row = {
        "raised_by_id": iro,
        "raised_on": raised,
        "kind": kind,
        "context": context,
        "description": "The care plan has not progressed since the last review."
        if kind == AlertKind.CONCERN
        else "A thorough, child-centred report that the child helped write.",
        "family_id": family,
        "review_id": review,
        "conference_id": conference,
        "practitioner_name": practitioner,
        "practitioner_email": chunk.email(practitioner),
        "team_id": team,
        "team_manager_name": manager,
        "team_manager_email": chunk.email(manager),
    }
    alert = tables[QaAlert].add(**row)
    row = tables[QaAlert].rows[-1]
    for child in children:
        tables[AlertChild].add(alert_id=alert, child_id=child)
    tables[AlertTransition].add(alert_id=alert, kind=TransitionKind.RAISED, to_stage=0, on=raised)
    if kind == AlertKind.GOOD_PRACTICE:
        row.update(status=AlertStatus.NOTED, stage=0, highest_stage=0)
        return
    for category in rng.sample(chunk.categories, 1 if rng.random() < 0.7 else 2):
        tables[AlertConcern].add(alert_id=alert, category_id=category)
    final = rng.choices(range(4), FINAL_STAGE_WEIGHTS)[0]
    started = raised
    reached = 0
    response_day = None
    for number in range(final + 1):
        due = stage_due(stage=number, started_on=started, settings_row=chunk.settings, extra=chunk.extra)
        addressee = (
            practitioner if number == 0 else f"{chunk.name()} ({stage_name(number, chunk.stage_names)})"
        )
        tables[AlertStage].add(
            alert_id=alert,
            number=number,
            name=stage_name(number, chunk.stage_names),
            addressee_name=addressee,
            addressee_email=chunk.email(addressee),
            started_on=started,
            due_on=due,
        )
        tables[AlertEmail].add(
            alert_id=alert, kind=EmailKind.ADDRESSED, stage=number, recipient=chunk.email(addressee)
        )
        if number == 0:
            row["response_due"] = due
        reached = number
        answered = started + timedelta(days=rng.randrange(1, 12))
        if answered <= LAST_DAY:
            response_day = response_day or answered
            tables[AlertResponse].add(
                alert_id=alert,
                stage=number,
                received_on=answered,
                responder_name=addressee,
                summary="The plan has been updated and the visits booked.",
                satisfactory=number == final,
            )
            tables[AlertTransition].add(
                alert_id=alert,
                kind=TransitionKind.RESPONSE_RECORDED,
                from_stage=number,
                to_stage=number,
                on=answered,
            )
        if number == final:
            break
        started = due + timedelta(days=1)
        if started > LAST_DAY:
            break
        tables[AlertTransition].add(
            alert_id=alert,
            kind=TransitionKind.ESCALATED,
            from_stage=number,
            to_stage=number + 1,
            on=started,
            reason="The response did not answer the concern.",
        )
    row.update(stage=reached, highest_stage=reached, first_response_on=response_day)
    resolved = started + timedelta(days=rng.randrange(2, 14))
    if reached == final and resolved <= LAST_DAY:
        row.update(
            status=AlertStatus.RESOLVED,
            resolved_on=resolved,
            outcome=AlertOutcome.RESOLVED_BY_RESPONSE if final == 0 else AlertOutcome.RESOLVED_ON_ESCALATION,
        )
        tables[AlertTransition].add(
            alert_id=alert, kind=TransitionKind.RESOLVED, from_stage=reached, on=resolved
        )
    else:
        row["status"] = AlertStatus.OPEN
    if cafcass is not None and rng.random() < 0.5:  # the IRO asks the Guardian to act
        tables[AlertReferral].add(
            alert_id=alert, kind="cafcass", referred_on=started, cafcass_involvement_id=cafcass
        )
    if final >= 1 and rng.random() < 0.3:
        chunk.challenge_candidates.append((raised, alert, children[0] if children else None))


def challenge_meetings_build(chunk, themes: list[int], candidates: list) -> None:
    """A challenge meeting a month, discussing escalated alerts raised the month before."""
    rng, tables = chunk.rng, chunk.tables
    candidates = sorted(candidates)
    day = FIRST_DAY + timedelta(days=40)
    position = 0
    while day <= LAST_DAY:
        meeting = tables[ChallengeMeeting].add(
            held_on=day,
            attendees="IRO service manager, heads of service for children in care and child protection",
            notes="Escalated concerns reviewed; themes agreed for the practice week.",
        )
        seen_alerts, seen_children = set(), set()
        while position < len(candidates) and candidates[position][0] < day:
            _, alert, child = candidates[position]
            position += 1
            if len(seen_alerts) >= 12:
                continue
            seen_alerts.add(alert)
            tables[ChallengeMeetingAlert].add(meeting_id=meeting, alert_id=alert)
            if child is not None and child not in seen_children:
                seen_children.add(child)
                tables[ChallengeMeetingCase].add(meeting_id=meeting, child_id=child)
        for theme in rng.sample(themes, min(len(themes), 2)):
            tables[ChallengeMeetingTheme].add(meeting_id=meeting, theme_id=theme)
        due = day + timedelta(days=30)
        tables[ChallengeAction].add(
            meeting_id=meeting,
            description="Team managers to check every plan discussed has a review date.",
            owner="Head of service",
            due_on=due,
            completed_on=due - timedelta(days=3) if due <= LAST_DAY else None,
        )
        day += timedelta(days=rng.randrange(28, 35))


CONTEXT_OF = {"cic": AlertContext.CHILD_IN_CARE, "cp": AlertContext.CHILD_PROTECTION}
