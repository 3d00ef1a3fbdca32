"""Pages of the hsb app: thin views over services and selectors.

HSB records are especially sensitive. Whoever may not see a record is answered 404, as if it
did not exist (``hsb.selectors``): the HSB pages as a whole for anyone who may see no HSB record,
a referral for anyone it is not visible to. Someone who may see a record but not change it (a
senior manager, an IRO who chaired its meeting) gets 403 from the pages that change it. Every
page that shows a child writes them to the access log."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from conferences.selectors import plans_of
from hsb import selectors, services
from hsb.codes import Course
from hsb.forms import (
    AssessmentForm,
    MeetingForm,
    PlannedCourseForm,
    RecordDatesForm,
    ReferralForm,
    ThresholdDecisionForm,
    TrainingRecordForm,
)
from hsb.models import HsbMeeting, HsbReferral, OutsidePractitioner
from hsb.roles import MANAGE_TRAINING, MANAGE_WORK
from iro_service.audit.services import access_log_record, access_log_record_list
from iro_service.core.forms import query_text, whole_number
from iro_service.core.pages import form_page
from iro_service.core.paging import pagination_links
from iro_service.people.models import Child
from iro_service.people.selectors import staff_member_of
from reviews.selectors import periods_of_care_of

PAGE_SIZE = 25
NOT_FOUND = "Page not found"


def hsb_page(*, sees_all: bool = True, change: str | None = None):
    """Sign-in first; then 404 for anyone who may see no HSB record (``sees_all``: every HSB
    record), and 403 for someone who may see it but lacks ``change``."""

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            allowed = (
                selectors.sees_all(request.user) if sees_all else selectors.has_any_hsb_access(request.user)
            )
            if not allowed:
                raise Http404(NOT_FOUND)
            if change is not None and not request.user.has_perm(change):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def _page(request, rows):
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return page, pagination_links(request, page)


def _referral_page_or_404(request, pk: int):
    try:
        return selectors.referral_for_page(user=request.user, pk=pk)
    except HsbReferral.DoesNotExist:
        raise Http404(NOT_FOUND) from None


def _referral_or_404(request, pk: int) -> HsbReferral:
    try:
        return selectors.referrals_visible_to(request.user).select_related("child").get(pk=pk)
    except HsbReferral.DoesNotExist:
        raise Http404(NOT_FOUND) from None


def _log_referrals(request, referrals, what: str) -> None:
    access_log_record_list(
        request=request, child_ids=[referral.child_id for referral in referrals], what=what
    )


def _log_meetings(request, meetings, what: str) -> None:
    access_log_record_list(
        request=request, child_ids=[meeting.referral.child_id for meeting in meetings], what=what
    )


# --- the HSB lead's queue and the lists -----------------------------------------------------


@hsb_page()
def index(request: HttpRequest) -> HttpResponse:
    """The HSB lead's queue: awaiting a threshold decision, awaiting a meeting, records to
    distribute and reviews due."""
    today = timezone.localdate()
    user = request.user
    queues = {
        "awaiting_decision": list(selectors.referrals_awaiting_decision(user=user)),
        "awaiting_meeting": list(selectors.referrals_awaiting_meeting(user=user)),
        "to_distribute": list(selectors.meeting_records_to_distribute(user=user)),
        "reviews_due": list(selectors.meeting_reviews_due(user=user, today=today)),
    }
    _log_referrals(request, queues["awaiting_decision"] + queues["awaiting_meeting"], "HSB: queue")
    _log_meetings(request, queues["to_distribute"] + queues["reviews_due"], "HSB: queue")
    return render(
        request,
        "hsb/index.html",
        {**queues, "today": today, "can_manage": user.has_perm(MANAGE_WORK)},
    )


@hsb_page()
def referral_list(request: HttpRequest) -> HttpResponse:
    search = query_text(request, "q")
    page, pagination = _page(request, selectors.referral_list(user=request.user, search=search))
    _log_referrals(request, page.object_list, "HSB: referrals")
    return render(
        request,
        "hsb/referral_list.html",
        {
            "page": page,
            "pagination": pagination,
            "q": search,
            "can_manage": request.user.has_perm(MANAGE_WORK),
        },
    )


@hsb_page(sees_all=False)
def child_referrals(request: HttpRequest, child_pk: int) -> HttpResponse:
    """A child's HSB referrals: the page the child's record links to, for those allowed."""
    try:
        child = Child.objects.restrict(request.user).get(pk=child_pk)
    except Child.DoesNotExist:
        raise Http404(NOT_FOUND) from None
    referrals = selectors.child_referrals(user=request.user, child=child)
    if not referrals and not selectors.sees_all(request.user):
        raise Http404(NOT_FOUND)
    access_log_record(request=request, child=child, what="HSB: child's referrals")
    return render(
        request,
        "hsb/child_referrals.html",
        {"child": child, "referrals": referrals, "can_manage": request.user.has_perm(MANAGE_WORK)},
    )


# --- referrals ------------------------------------------------------------------------------


@hsb_page(change=MANAGE_WORK)
def referral_add(request: HttpRequest) -> HttpResponse:
    """A new referral: for a child already known (by child ID, or the child whose HSB page it
    was opened from, ``?child=<id>``) or a child new to the service."""
    child = None
    if (child_pk := whole_number(request.GET.get("child", ""))) is not None:
        child = Child.objects.restrict(request.user).filter(pk=child_pk).first()
        if child is None:
            raise Http404(NOT_FOUND)
    form = ReferralForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        child=child,
        periods=periods_of_care_of(child=child) if child else None,
        plans=plans_of(child=child) if child else None,
    )

    def save(data: dict):
        referral = services.hsb_referral_record(**form.service_arguments())
        return "Referral saved.", referral

    def before_render():
        if child is not None:
            access_log_record(request=request, child=child, what="HSB: add a referral")

    return form_page(
        request,
        form=form,
        save=save,
        template="hsb/form.html",
        context={"title": "Add a referral", "child": child, "back": reverse("hsb:index")},
        before_render=before_render,
    )


@hsb_page(sees_all=False)
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = _referral_page_or_404(request, pk)
    access_log_record(request=request, child=page.referral.child, what="HSB: referral")
    return render(
        request,
        "hsb/referral_detail.html",
        {
            "page": page,
            "referral": page.referral,
            "today": timezone.localdate(),
            "can_manage": request.user.has_perm(MANAGE_WORK),
        },
    )


def _decision_initial(referral: HsbReferral) -> dict:
    return {
        "rating": referral.rating,
        "tool_version": referral.tool_version,
        "outcome": referral.outcome,
        "decided_on": referral.decided_on or timezone.localdate(),
        "seen_updated_at": referral.updated_at.isoformat(),
    }


@hsb_page(sees_all=False, change=MANAGE_WORK)
def referral_decide(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral_or_404(request, pk)
    form = ThresholdDecisionForm(
        request.POST if request.method == "POST" else None, initial=_decision_initial(referral)
    )

    def save(data: dict):
        services.hsb_referral_decide(
            referral=referral,
            rating=data["rating"],
            tool_version=data["tool_version"],
            outcome=data["outcome"],
            decided_on=data["decided_on"],
            decided_by=staff_member_of(request.user),
            seen_updated_at=data["seen_updated_at"],
        )
        return "Threshold decision saved.", referral

    return form_page(
        request,
        form=form,
        save=save,
        template="hsb/form.html",
        context={"title": "Threshold decision", "referral": referral, "back": referral.get_absolute_url()},
        before_render=lambda: access_log_record(
            request=request, child=referral.child, what="HSB: threshold decision"
        ),
    )


# --- meetings -------------------------------------------------------------------------------


@hsb_page(sees_all=False, change=MANAGE_WORK)
def meeting_record(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral_or_404(request, pk)
    form = MeetingForm(
        request.POST if request.method == "POST" else None,
        chairs=selectors.chairs_in_post(on=timezone.localdate()),
        below_threshold=referral.is_decided and not referral.threshold_met,
    )

    def save(data: dict):
        services.hsb_meeting_record(
            referral=referral,
            date=data["date"],
            chair=data["chair"],
            agencies=data["agencies"],
            risk_summary=data["risk_summary"],
            recommendations=data["recommendations"],
            intervention=data["intervention"],
            review_on=data["review_on"],
            override_reason=data.get("override_reason", ""),
            record_produced_on=data["record_produced_on"],
            record_distributed_on=data["record_distributed_on"],
        )
        return "HSB meeting saved.", referral

    return form_page(
        request,
        form=form,
        save=save,
        template="hsb/form.html",
        context={"title": "Record an HSB meeting", "referral": referral, "back": referral.get_absolute_url()},
        before_render=lambda: access_log_record(
            request=request, child=referral.child, what="HSB: record a meeting"
        ),
    )


@hsb_page(sees_all=False, change=MANAGE_WORK)
def meeting_record_dates(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        meeting = selectors.meeting_for_page(user=request.user, pk=pk)
    except HsbMeeting.DoesNotExist:
        raise Http404(NOT_FOUND) from None
    referral = meeting.referral
    form = RecordDatesForm(
        request.POST if request.method == "POST" else None,
        initial={
            "record_produced_on": meeting.record_produced_on,
            "record_distributed_on": meeting.record_distributed_on,
            "seen_updated_at": meeting.updated_at.isoformat(),
        },
    )

    def save(data: dict):
        services.hsb_meeting_record_dates(
            meeting=meeting,
            produced_on=data["record_produced_on"],
            distributed_on=data["record_distributed_on"],
            seen_updated_at=data["seen_updated_at"],
        )
        return "Record dates saved.", referral

    return form_page(
        request,
        form=form,
        save=save,
        template="hsb/form.html",
        context={
            "title": f"Record of the meeting on {meeting.date:%-d %B %Y}",
            "referral": referral,
            "meeting": meeting,
            "back": referral.get_absolute_url(),
        },
        before_render=lambda: access_log_record(
            request=request, child=referral.child, what="HSB: meeting record"
        ),
    )


# --- assessments ----------------------------------------------------------------------------


@hsb_page(sees_all=False, change=MANAGE_WORK)
def assessment_add(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral_or_404(request, pk)
    form = AssessmentForm(
        request.POST if request.method == "POST" else None,
        staff=selectors.staff_in_post(on=timezone.localdate()),
        practitioners=OutsidePractitioner.objects.order_by("name", "agency"),
    )

    def save(data: dict):
        services.hsb_assessment_record(
            referral=referral,
            tool=data["tool"],
            date=data["date"],
            outcome=data["outcome"],
            assessor_staff=data["assessor_staff"],
            assessor_practitioner=data["assessor_practitioner"],
            summary=data["summary"],
            age_confirmed=data["age_confirmed"],
        )
        return "Assessment saved.", referral

    return form_page(
        request,
        form=form,
        save=save,
        template="hsb/form.html",
        context={"title": "Record an assessment", "referral": referral, "back": referral.get_absolute_url()},
        before_render=lambda: access_log_record(
            request=request, child=referral.child, what="HSB: assessment"
        ),
    )


# --- training -------------------------------------------------------------------------------


@hsb_page()
def training_register(request: HttpRequest) -> HttpResponse:
    """The training register, the workforce by team and course, and the planned courses. About
    staff, not children: nothing goes to the children's access log."""
    page, pagination = _page(request, selectors.training_register())
    return render(
        request,
        "hsb/training_register.html",
        {
            "page": page,
            "pagination": pagination,
            "courses": Course.choices,
            "workforce": selectors.workforce_by_team_and_course(),
            "planned": list(selectors.planned_courses()),
            "can_manage": request.user.has_perm(MANAGE_TRAINING),
        },
    )


@hsb_page(change=MANAGE_TRAINING)
def training_add(request: HttpRequest) -> HttpResponse:
    form = TrainingRecordForm(
        request.POST if request.method == "POST" else None,
        staff=selectors.staff_in_post(on=timezone.localdate()),
    )

    def save(data: dict):
        services.hsb_training_record_add(
            course=data["course"],
            completed_on=data["completed_on"],
            staff=data["staff"],
            practitioner_name=data["practitioner_name"],
            practitioner_agency=data["practitioner_agency"],
        )
        return "Training record saved.", reverse("hsb:training-register")

    return form_page(
        request,
        form=form,
        save=save,
        template="hsb/form.html",
        context={"title": "Add a training record", "back": reverse("hsb:training-register")},
    )


@hsb_page(change=MANAGE_TRAINING)
def planned_course_add(request: HttpRequest) -> HttpResponse:
    form = PlannedCourseForm(request.POST if request.method == "POST" else None)

    def save(data: dict):
        services.planned_course_add(
            course=data["course"],
            audience=data["audience"],
            places=data["places"],
            planned_from=data["planned_from"],
            notes=data["notes"],
        )
        return "Planned course saved.", reverse("hsb:training-register")

    return form_page(
        request,
        form=form,
        save=save,
        template="hsb/form.html",
        context={"title": "Add a planned course", "back": reverse("hsb:training-register")},
    )
