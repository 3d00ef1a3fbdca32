"""Challenge meetings: the list, recording and changing one, its actions and their completion."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from iro_service.audit.services import access_log_record_list
from iro_service.core.pages import form_page
from qa_alerts import selectors, services
from qa_alerts.forms import ActionCompleteForm, ChallengeActionForm, ChallengeMeetingForm
from qa_alerts.models import ChallengeAction, ChallengeMeeting
from qa_alerts.views._common import _page


def _meeting_or_404(request, pk: int) -> ChallengeMeeting:
    try:
        return selectors.challenge_meeting_for_page(pk=pk, user=request.user)
    except ChallengeMeeting.DoesNotExist:
        raise Http404("No challenge meeting with that number") from None


def _meeting_children(meeting: ChallengeMeeting) -> list[int]:
    return [link.child_id for alert in meeting.alerts.all() for link in alert.children.all()] + [
        child.pk for child in meeting.children.all()
    ]


@login_required
@permission_required("qa_alerts.view_challengemeeting", raise_exception=True)
def challenge_list(request: HttpRequest) -> HttpResponse:
    page, pagination = _page(request, selectors.challenge_meeting_list())
    return render(request, "qa_alerts/challenge_list.html", {"page": page, "pagination": pagination})


@login_required
@permission_required("qa_alerts.view_challengemeeting", raise_exception=True)
def challenge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    access_log_record_list(
        request=request, child_ids=_meeting_children(meeting), what="QA alerts: challenge meeting"
    )
    return render(
        request, "qa_alerts/challenge_detail.html", {"meeting": meeting, "today": timezone.localdate()}
    )


def _meeting_form(request, *, meeting: ChallengeMeeting | None):
    today = timezone.localdate()
    alerts = list(selectors.alerts_for_challenge(today=today).restrict(request.user))
    initial = {}
    if meeting is not None:
        # An alert resolved since the meeting is still one it took up.
        chosen = [alert for alert in meeting.alerts.all() if alert.pk not in {a.pk for a in alerts}]
        alerts += list(
            selectors.alert_rows(today=today).restrict(request.user).filter(pk__in=[a.pk for a in chosen])
        )
        initial = {
            "held_on": meeting.held_on.strftime("%d/%m/%Y"),
            "attendees": meeting.attendees,
            "alerts": [str(a.pk) for a in meeting.alerts.all()],
            "cases": ", ".join(child.local_child_id for child in meeting.children.all()),
            "themes": [str(t.pk) for t in meeting.themes.all()],
            "notes": meeting.notes,
            "seen_updated_at": meeting.updated_at.isoformat(),
        }
    themes = list(selectors.challenge_themes(active_only=True))
    if meeting is not None:
        themes += [t for t in meeting.themes.all() if t not in themes]
    return ChallengeMeetingForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        alerts=alerts,
        themes=themes,
        find_children=lambda ids: selectors.children_by_child_ids(ids, user=request.user),
    )


def _save_meeting(request, form, meeting):
    def save(data: dict):
        saved = services.challenge_meeting_save(
            meeting=meeting,
            held_on=data["held_on"],
            attendees=data["attendees"],
            # What the meeting took up about children hidden from this user stays as it was:
            # they were not shown it, so leaving it out of the form is not removing it.
            alerts=[*data["alerts"], *selectors.challenge_alerts_hidden_from(meeting, user=request.user)],
            children=[*data["cases"], *selectors.challenge_cases_hidden_from(meeting, user=request.user)],
            themes=data["themes"],
            notes=data["notes"],
            seen_updated_at=data["seen_updated_at"],
        )
        return "Challenge meeting saved.", saved

    return form_page(
        request,
        form=form,
        save=save,
        template="qa_alerts/list_form.html",
        context={
            "title": "Record a challenge meeting" if meeting is None else "Change the challenge meeting",
            "back": "qa_alerts:challenge-list",
        },
        before_render=lambda: access_log_record_list(
            request=request,
            child_ids=[link.child_id for alert in form.alert_rows.values() for link in alert.children.all()],
            what="QA alerts: challenge meeting form",
        ),
    )


@login_required
@permission_required("qa_alerts.add_challengemeeting", raise_exception=True)
def challenge_add(request: HttpRequest) -> HttpResponse:
    return _save_meeting(request, _meeting_form(request, meeting=None), None)


@login_required
@permission_required("qa_alerts.change_challengemeeting", raise_exception=True)
def challenge_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    return _save_meeting(request, _meeting_form(request, meeting=meeting), meeting)


@login_required
@permission_required("qa_alerts.change_challengemeeting", raise_exception=True)
def challenge_action_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    form = ChallengeActionForm(request.POST if request.method == "POST" else None)

    def save(data: dict):
        services.challenge_action_add(meeting=meeting, **data)
        return "Action added.", meeting

    return form_page(
        request,
        form=form,
        save=save,
        template="qa_alerts/list_form.html",
        context={"title": f"Add an action: {meeting}", "back_url": meeting.get_absolute_url()},
    )


@login_required
@permission_required("qa_alerts.change_challengemeeting", raise_exception=True)
def challenge_action_complete(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(ChallengeAction.objects.select_related("meeting"), pk=pk)
    form = ActionCompleteForm(
        request.POST if request.method == "POST" else None,
        initial={"completed_on": timezone.localdate().strftime("%d/%m/%Y")},
    )

    def save(data: dict):
        services.challenge_action_complete(action=action, completed_on=data["completed_on"])
        return "Action marked completed.", action.meeting

    return form_page(
        request,
        form=form,
        save=save,
        template="qa_alerts/list_form.html",
        context={
            "title": f"Mark completed: {action.description[:60]}",
            "back_url": action.meeting.get_absolute_url(),
        },
    )
