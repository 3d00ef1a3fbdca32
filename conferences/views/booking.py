"""Booking a conference from a family's page, recording the strategy discussion before it, and
standing a conference down."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from conferences import selectors, services
from conferences.forms import (
    BookingForm,
    StandDownForm,
    StrategyDiscussionForm,
)
from conferences.views._common import _conference_or_404, _log_children
from iro_service.core.pages import dfe_warnings_flash, form_page
from iro_service.people.models import Family
from iro_service.people.selectors import family_current_children, iro_list


@login_required
@permission_required("conferences.book_conference", raise_exception=True)
def conference_book(request: HttpRequest, family_pk: int) -> HttpResponse:
    """Book a conference for a family. Each child's stage follows from their plans."""
    try:
        family = Family.objects.get(pk=family_pk)
    except Family.DoesNotExist:
        raise Http404("No family with that reference") from None
    today = timezone.localdate()
    children = family_current_children(family=family, user=request.user)
    discussions = list(family.strategy_discussions.order_by("-date"))
    form = BookingForm(
        request.POST if request.method == "POST" else None,
        chairs=iro_list(on=today),
        children=children,
        discussions=discussions,
    )

    def save(data: dict):
        chosen = [child for child in children if str(child.pk) in data["children"]]
        discussion = next((d for d in discussions if str(d.pk) == data["strategy_discussion"]), None)
        conference = services.conference_book(
            family=family,
            conference_type=data["conference_type"],
            on=data["date"],
            chair=data["chair"],
            children=selectors.suggested_stages(
                children=chosen, on=data["date"], conference_type=data["conference_type"]
            ),
            strategy_discussion=discussion,
            transfer_notified_on=data["transfer_notified_on"],
            agencies=data["agencies"],
        )
        dfe_warnings_flash(request, conference)
        return f"Conference booked for {conference.date:%-d %B %Y}.", conference

    return form_page(
        request,
        form=form,
        save=save,
        template="conferences/conference_book.html",
        context={"family": family},
        before_render=lambda: _log_children(request, children, "Conferences: book a conference"),
    )


@login_required
@permission_required("conferences.add_strategydiscussion", raise_exception=True)
def strategy_discussion_add(request: HttpRequest, family_pk: int) -> HttpResponse:
    try:
        family = Family.objects.get(pk=family_pk)
    except Family.DoesNotExist:
        raise Http404("No family with that reference") from None
    children = family_current_children(family=family, user=request.user)
    form = StrategyDiscussionForm(request.POST if request.method == "POST" else None, children=children)

    def save(data: dict):
        chosen = [child for child in children if str(child.pk) in data["children"]]
        discussion = services.strategy_discussion_record(family=family, on=data["date"], children=chosen)
        dfe_warnings_flash(request, discussion)
        return "Strategy discussion recorded.", reverse("conferences:family-detail", args=[family.pk])

    return form_page(
        request,
        form=form,
        save=save,
        template="conferences/strategy_discussion_add.html",
        context={"family": family},
        before_render=lambda: _log_children(request, children, "Conferences: strategy discussion"),
    )


@login_required
@permission_required("conferences.book_conference", raise_exception=True)
def conference_stand_down(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _conference_or_404(request, pk)
    form = StandDownForm(request.POST if request.method == "POST" else None)

    def save(data: dict):
        result = services.conference_stand_down(
            conference=conference,
            reason=data["reason"],
            detail=data["detail"],
            rearranged_on=data["rearranged_on"],
        )
        dfe_warnings_flash(request, result)
        return "Conference stood down.", result

    return form_page(
        request,
        form=form,
        save=save,
        template="conferences/conference_form.html",
        context={"conference": conference, "title": "Stand down a conference"},
    )
