"""Raising an alert, and the due-date cache every stage of it keeps."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from conferences import selectors as conferences_selectors
from iro_service.core.formats import long_date
from iro_service.core.jobs import enqueue
from iro_service.people.codes import JobRole
from iro_service.people.models import Child, StaffMember, Team
from iro_service.timescales.dates import extra_non_working_days
from iro_service.timescales.selectors import timescale_settings
from qa_alerts.due_dates import stage_due
from qa_alerts.models import (
    FIRST_STAGE_NAME,
    AlertChild,
    AlertConcern,
    AlertContext,
    AlertKind,
    AlertStage,
    AlertStatus,
    CategoryContext,
    ConcernCategory,
    QaAlert,
    TransitionKind,
)
from qa_alerts.services._common import _not_future, _transition
from reviews import selectors as reviews_selectors


def alert_context(*, children: Sequence[Child], on: date, review=None, conference=None) -> str:
    """Which service the children were known to on ``on``: in care, on a child protection plan,
    or both. An alert raised from a review is about a child in care, one raised from a
    conference about child protection, whatever else is true. Refused (on ``children``) when
    none of the children was either: QA alerts are about children the IRO service oversees."""
    ids = [child.pk for child in children]
    in_care = review is not None or bool(reviews_selectors.children_in_care_on(child_ids=ids, on=on))
    on_plan = conference is not None or bool(conferences_selectors.children_on_plan_on(child_ids=ids, on=on))
    if in_care and on_plan:
        return AlertContext.BOTH
    if in_care:
        return AlertContext.CHILD_IN_CARE
    if on_plan:
        return AlertContext.CHILD_PROTECTION
    names = ", ".join(child.full_name for child in children)
    raise ValidationError(
        {
            "children": f"{names} was not in care or on a child protection plan on {long_date(on)}. "
            "Raise the alert from a review or a conference, or choose a child the IRO service oversees."
        }
    )


def _check_categories(*, kind: str, context: str, categories: Sequence[ConcernCategory]) -> None:
    if kind == AlertKind.GOOD_PRACTICE:
        if categories:
            raise ValidationError(
                {"categories": "Categories are for concerns: leave them empty for a good practice alert."}
            )
        return
    if not categories:
        raise ValidationError({"categories": "Select at least one category of concern."})
    for category in categories:
        if not category.is_active:
            raise ValidationError(
                {"categories": f"{category.name} is no longer in use: choose another category."}
            )
        wrong = (
            category.context == CategoryContext.CHILD_PROTECTION and context == AlertContext.CHILD_IN_CARE
        ) or (category.context == CategoryContext.CHILD_IN_CARE and context == AlertContext.CHILD_PROTECTION)
        if wrong:
            raise ValidationError(
                {
                    "categories": f"{category.name} is a {category.get_context_display().lower()} category; "
                    f"this alert is about {AlertContext(context).label.lower()}."
                }
            )


def _check_source(*, children: Sequence[Child], review, conference) -> None:
    if not children:
        raise ValidationError({"children": "Select the child the alert is about."})
    if review is not None and [child.pk for child in children] != [review.child_id]:
        raise ValidationError({"children": "An alert raised from a review is about that review's child."})
    if conference is not None:
        considered = {link.child_id for link in conference.children.all()}
        outside = [child.full_name for child in children if child.pk not in considered]
        if outside:
            raise ValidationError(
                {"children": f"{', '.join(outside)} was not considered at this conference."}
            )
    elif len(children) > 1:
        raise ValidationError(
            {"children": "An alert is about one child, or the children of one family at a conference."}
        )


@transaction.atomic
def alert_raise(
    *,
    raised_by: StaffMember,
    children: Sequence[Child],
    kind: str,
    description: str,
    practitioner_name: str,
    practitioner_email: str,
    team: Team,
    team_manager_name: str,
    team_manager_email: str,
    raised_on: date,
    categories: Sequence[ConcernCategory] = (),
    review=None,
    conference=None,
    by=None,
) -> QaAlert:
    """Raise a QA alert about a child (or the children of one family at a conference): good
    practice to share, or a concern, due a response from the practitioner within the response
    timescale. The context comes from the children's status on the day; the emails to the
    practitioner and their team manager are sent once the alert is saved."""
    if raised_by.job_role != JobRole.IRO:
        raise ValidationError(
            {"raised_by": f"{raised_by.full_name} is not an IRO: only IROs raise QA alerts."}
        )
    _not_future("raised_on", raised_on, "The date the alert was raised")
    children = list(dict.fromkeys(children))
    _check_source(children=children, review=review, conference=conference)
    if review is not None and raised_on < review.review_date:
        raise ValidationError(
            {"raised_on": f"The alert cannot be raised before the review on {long_date(review.review_date)}."}
        )
    if conference is not None and raised_on < conference.date:
        raise ValidationError(
            {
                "raised_on": "The alert cannot be raised before the conference on "
                f"{long_date(conference.date)}."
            }
        )
    context = alert_context(children=children, on=raised_on, review=review, conference=conference)
    categories = list(dict.fromkeys(categories))
    _check_categories(kind=kind, context=context, categories=categories)
    concern = kind == AlertKind.CONCERN
    settings_row = timescale_settings()
    alert = QaAlert(
        raised_by=raised_by,
        raised_on=raised_on,
        kind=kind,
        context=context,
        description=description.strip(),
        family=conference.family if conference is not None else None,
        review=review,
        conference=conference,
        practitioner_name=practitioner_name.strip(),
        practitioner_email=practitioner_email.strip(),
        team=team,
        team_manager_name=team_manager_name.strip(),
        team_manager_email=team_manager_email.strip(),
        status=AlertStatus.OPEN if concern else AlertStatus.NOTED,
        response_due=stage_due(stage=0, started_on=raised_on, settings_row=settings_row) if concern else None,
    )
    alert.full_clean()
    alert.save()
    AlertChild.objects.bulk_create([AlertChild(alert=alert, child=child) for child in children])
    AlertConcern.objects.bulk_create(
        [AlertConcern(alert=alert, category=category) for category in categories]
    )
    if concern:
        AlertStage.objects.create(
            alert=alert,
            number=0,
            name=FIRST_STAGE_NAME,
            addressee_name=alert.practitioner_name,
            addressee_email=alert.practitioner_email,
            started_on=raised_on,
            due_on=alert.response_due,
        )
    _transition(alert, kind=TransitionKind.RAISED, on=raised_on, by=by, to_stage=0)
    _send_emails_after_commit(alert)
    return alert


def _send_emails_after_commit(alert: QaAlert) -> None:
    # An email cannot be taken back, so it is never sent inside this transaction: the job runs
    # once the alert is committed, and claims each email before sending it.
    from qa_alerts.tasks import alert_emails_send

    enqueue(alert_emails_send, alert.pk)


def alert_due_dates_refresh(*, alert_ids: Iterable[int] | None = None) -> int:
    """Work out the due dates of every stage of the open alerts (or of ``alert_ids``) again from
    the day each stage started: a timescale or an extra non-working day may have changed.
    Returns the number of rows changed; a second run changes none."""
    settings_row = timescale_settings()
    extra = extra_non_working_days()
    stages = AlertStage.objects.select_related("alert")
    if alert_ids is None:
        stages = stages.filter(alert__status=AlertStatus.OPEN)
    else:
        stages = stages.filter(alert_id__in=list(alert_ids))
    changed = 0
    with transaction.atomic():
        for stage in stages.select_for_update(of=("self",)).order_by("alert_id", "number"):
            due = stage_due(
                stage=stage.number, started_on=stage.started_on, settings_row=settings_row, extra=extra
            )
            if stage.due_on != due:
                stage.due_on = due
                stage.save(update_fields=["due_on"])
                changed += 1
            if stage.number == 0 and stage.alert.response_due != due:
                # An UPDATE, not save(): refreshing a cache must not move the alert's version
                # (updated_at) under someone who has its page open.
                QaAlert.objects.filter(pk=stage.alert_id).update(response_due=due)
                changed += 1
    return changed
