"""The appeals list, recording an appeal about a held conference and moving it on."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from conferences import selectors, services
from conferences.forms import (
    AppealForm,
    AppealUpdateForm,
)
from conferences.models import Appeal
from conferences.views._common import _conference_or_404, _page
from iro_service.audit.services import access_log_record_list
from iro_service.core.pages import form_page


@login_required
@permission_required("conferences.view_appeal", raise_exception=True)
def appeal_list(request: HttpRequest) -> HttpResponse:
    page, pagination = _page(request, selectors.appeal_list().restrict(request.user))
    # An appeal by or about one child is about that child; otherwise about the conference's children.
    access_log_record_list(
        request=request,
        child_ids=[
            child_id
            for appeal in page
            for child_id in (
                [appeal.child_id]
                if appeal.child_id
                else [link.child_id for link in appeal.conference.children.all()]
            )
        ],
        what="Conferences: appeals",
    )
    return render(
        request,
        "conferences/appeal_list.html",
        {
            "page": page,
            "pagination": pagination,
            "can_add": request.user.has_perm("conferences.add_appeal"),
            "can_change": request.user.has_perm("conferences.change_appeal"),
        },
    )


@login_required
@permission_required("conferences.add_appeal", raise_exception=True)
def appeal_add(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _conference_or_404(request, pk)
    form = AppealForm(request.POST if request.method == "POST" else None)

    def save(data: dict):
        services.appeal_record(
            conference=conference,
            appellant=data["appellant"],
            received_on=data["received_on"],
            summary=data["summary"],
            stage=data["stage"],
            outcome=data["outcome"],
            response_sent_on=data["response_sent_on"],
        )
        return "Appeal saved.", reverse("conferences:appeal-list")

    return form_page(
        request,
        form=form,
        save=save,
        template="conferences/conference_form.html",
        context={"conference": conference, "title": "Record an appeal"},
    )


@login_required
@permission_required("conferences.change_appeal", raise_exception=True)
def appeal_update(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        appeal = selectors.appeal_list().restrict(request.user).get(pk=pk)
    except Appeal.DoesNotExist:
        raise Http404("No appeal with that number") from None
    form = AppealUpdateForm(
        request.POST if request.method == "POST" else None,
        initial={
            "stage": appeal.stage,
            "outcome": appeal.outcome,
            "response_sent_on": appeal.response_sent_on,
            "seen_updated_at": appeal.updated_at.isoformat(),
        },
    )

    def save(data: dict):
        services.appeal_update(
            appeal=appeal,
            stage=data["stage"],
            outcome=data["outcome"],
            response_sent_on=data["response_sent_on"],
            seen_updated_at=data["seen_updated_at"],
        )
        return "Appeal saved.", reverse("conferences:appeal-list")

    return form_page(
        request,
        form=form,
        save=save,
        template="conferences/conference_form.html",
        context={
            "conference": appeal.conference,
            "title": f"Appeal by {appeal.get_appellant_display().lower()}",
        },
    )
