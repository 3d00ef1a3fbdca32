"""The staff pages of consultations: a review meeting's consultations (sending, who has replied,
the answers), and the questions the IRO service keeps. The public answering pages are in
``public_views``."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from consultations import selectors, services
from consultations.codes import Channel
from consultations.forms import QuestionForm, SendForm
from consultations.letters import qr_svg
from consultations.models import Answer, Consultation, Question, SafetyNotice
from iro_service.audit.services import access_log_record
from iro_service.core.forms import form_add_service_errors
from iro_service.core.pages import form_page
from iro_service.people.selectors import staff_member_of
from reviews.models import ReviewMeeting
from reviews.selectors import review_meeting_for_page


def _meeting_or_404(request, pk: int) -> ReviewMeeting:
    try:
        return review_meeting_for_page(pk=pk, user=request.user)
    except ReviewMeeting.DoesNotExist:
        raise Http404("No review meeting with that number") from None


def _age(child, on) -> int | None:
    born = child.date_of_birth
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@login_required
@permission_required("consultations.view_consultation", raise_exception=True)
def meeting_consultations(request: HttpRequest, pk: int) -> HttpResponse:
    """Who has been asked before this review meeting, who has replied, and (for IROs and
    their managers) what they said. Sending a new invitation is a POST to this page."""
    meeting = _meeting_or_404(request, pk)
    child = meeting.period.child
    may_send = request.user.has_perm("consultations.send_consultation")
    if request.method == "POST" and not may_send:
        raise PermissionDenied("You cannot send consultations.")
    form = SendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            consultation, token = services.consultation_send(
                meeting=meeting, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form_add_service_errors(error, form)
        else:
            if consultation.channel == Channel.LETTER:
                link = services.consultation_link(token)
                return render(
                    request,
                    "consultations/letter.html",
                    {"consultation": consultation, "meeting": meeting, "link": link, "qr": qr_svg(link)},
                )
            messages.success(request, f"Consultation sent to {consultation.respondent_name}")
            return redirect("consultations:meeting", pk=meeting.pk)
    consultations = selectors.consultations_for_meeting(meeting=meeting, user=request.user)
    see_answers = request.user.has_perm("consultations.view_answer")
    if see_answers:
        # The answers are part of the child's record: reading them is a view of it.
        access_log_record(request=request, child=child, what="Consultations before a review")
        staff = staff_member_of(request.user)
        if staff is not None:
            services.safety_notices_read(staff=staff, consultations=consultations)
    return render(
        request,
        "consultations/meeting.html",
        {
            "meeting": meeting,
            "child": child,
            "consultations": consultations,
            "replied": [c for c in consultations if c.returned_at or c.last_saved_at],
            "waiting": [c for c in consultations if not (c.returned_at or c.last_saved_at)],
            "see_answers": see_answers,
            "may_send": may_send,
            "form": form,
            "now": timezone.now(),
            "link_days": settings.CONSULTATION_LINK_DAYS,
            "suggestion": selectors.participation_suggested(
                consultations=consultations, child_age=_age(child, meeting.date)
            ),
        },
    )


@login_required
@permission_required("consultations.send_consultation", raise_exception=True)
def consultation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    # The record first: a hidden child's consultation is a 404 whatever the method.
    consultation = get_object_or_404(Consultation.objects.restrict(request.user), pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    # The button sends ``stop``: a POST without it (a form replayed empty) changes nothing.
    if request.POST.get("stop") == "yes" and services.consultation_revoke(
        consultation=consultation, by=request.user
    ):
        messages.success(request, f"The link for {consultation.respondent_name} no longer works")
    return redirect("consultations:meeting", pk=consultation.meeting_id)


@login_required
@permission_required("consultations.view_answer", raise_exception=True)
@permission_required("reviews.add_lacreview", raise_exception=True)
def answer_to_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The IRO takes a child's answer to the review record as a point."""
    answer = get_object_or_404(Answer.objects.restrict(request.user).select_related("consultation"), pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if services.answer_to_record(answer=answer, by=request.user):
        messages.success(request, "The answer is now a point on the review record")
    return redirect("consultations:meeting", pk=answer.consultation.meeting_id)


@login_required
@permission_required("consultations.view_answer", raise_exception=True)
def safety_notices(request: HttpRequest) -> HttpResponse:
    """The safety notices still to be acknowledged, with a button each, and those already
    acknowledged (by whom and when), so a notice taken up is never lost from sight."""
    staff = staff_member_of(request.user)
    notices = list(selectors.safety_notices_for_page(staff=staff, user=request.user))
    return render(
        request,
        "consultations/safety_notices.html",
        {
            "open": [n for n in notices if n.acknowledged_at is None],
            "acknowledged": [n for n in notices if n.acknowledged_at is not None],
            "staff": staff,
        },
    )


@login_required
@permission_required("consultations.view_answer", raise_exception=True)
def safety_notice_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    """The IRO or team manager the notice was sent to, or a manager, acknowledges it."""
    # The record first: a restricted child's notice is a 404 whatever the method.
    notice = get_object_or_404(SafetyNotice.objects.restrict(request.user), pk=pk)
    # Who may acknowledge it is the notices page's rule: the notices that page shows the reader.
    mine = selectors.safety_notices_for_page(staff=staff_member_of(request.user), user=request.user)
    if not mine.filter(pk=notice.pk).exists():
        raise PermissionDenied("This safety notice was sent to someone else.")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    # The button sends ``acknowledge``: a POST without it (a form replayed empty) changes nothing.
    if request.POST.get("acknowledge") == "yes" and services.safety_notice_acknowledge(
        notice=notice, by=request.user
    ):
        messages.success(request, "Safety notice acknowledged")
    # The home page's banner sends the reader back home; the notices page, to itself.
    return redirect("home" if request.POST.get("back") == "home" else "consultations:safety-notices")


@login_required
@permission_required("consultations.change_question", raise_exception=True)
def question_sets(request: HttpRequest) -> HttpResponse:
    return render(request, "consultations/question_sets.html", {"sets": selectors.question_sets()})


@login_required
@permission_required("consultations.change_question", raise_exception=True)
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question.objects.select_related("question_set"), pk=pk)
    form = QuestionForm(request.POST if request.method == "POST" else None, instance=question)

    def save(data: dict):
        saved = services.question_save(question=question, **data)
        return "Question saved", f"{reverse('consultations:question-sets')}#set-{saved.question_set.audience}"

    return form_page(
        request,
        form=form,
        save=save,
        template="consultations/question_form.html",
        context={"question": question},
    )
