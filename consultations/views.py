"""The staff pages of consultations: a review meeting's consultations and a child's before a
review child protection conference (sending, who has replied, the answers), and the questions
the IRO service keeps. The public answering pages are in ``public_views``."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from conferences.models import ConferenceChild
from conferences.selectors import conference_child_for_page
from consultations import selectors, services
from consultations.codes import Channel
from consultations.forms import HeardForm, QuestionForm, SendForm
from consultations.letters import qr_svg
from consultations.models import Answer, Consultation, Question, SafetyNotice, VoiceNote
from iro_service.audit.services import access_log_record
from iro_service.core.forms import form_add_service_errors
from iro_service.core.pages import form_page
from iro_service.core.paging import pagination_links
from iro_service.core.restriction import NOT_YOUR_RECORD, NotTheirRecord, may_change_record
from iro_service.people.selectors import staff_member_of
from reviews.models import ReviewMeeting
from reviews.selectors import review_meeting_for_page


def _meeting_or_404(request, pk: int) -> ReviewMeeting:
    try:
        return review_meeting_for_page(pk=pk, user=request.user)
    except ReviewMeeting.DoesNotExist:
        raise Http404("No review meeting with that number") from None


@login_required
@permission_required("consultations.view_consultation", raise_exception=True)
def meeting_consultations(request: HttpRequest, pk: int) -> HttpResponse:
    """Who has been asked before this review meeting, who has replied, and (for IROs and
    their managers) what they said. Sending a new invitation is a POST to this page."""
    meeting = _meeting_or_404(request, pk)
    child = meeting.period.child
    return _consultations_page(
        request,
        child=child,
        send={"meeting": meeting},
        consultations=lambda: selectors.consultations_for_meeting(meeting=meeting, user=request.user),
        context={
            "meeting": meeting,
            "heading": f"Consultations before the review on {meeting.date:%-d %B %Y}",
            "back_url": reverse("reviews:care-record", args=[child.pk]),
            "back_text": f"Back to {child.full_name}'s care and reviews",
            "what": "Consultations before a review",
            "child_age": child.age_on(meeting.date),
            "may_add_to_record": _may_write_down(request.user, Consultation(meeting=meeting)),
        },
    )


@login_required
@permission_required("consultations.view_consultation", raise_exception=True)
def conference_consultations(request: HttpRequest, pk: int) -> HttpResponse:
    """The same page for one child before a review child protection conference: the child,
    each parent, the social worker and (for a child in care) the carer. Consultations are for
    children at a review stage who are old enough to be asked; for any other child the page
    says so and offers no sending."""
    try:
        link = conference_child_for_page(pk=pk, user=request.user)
    except ConferenceChild.DoesNotExist:
        raise Http404("No child at a conference with that number") from None
    conference, child = link.conference, link.child
    audiences = selectors.conference_audiences(conference_child=link)
    return _consultations_page(
        request,
        child=child,
        send={"conference_child": link},
        consultations=lambda: selectors.consultations_for_conference_child(
            conference_child=link, user=request.user
        ),
        audiences=audiences,
        # Before the conference only: once it is held or stood down the links are stopped.
        open_for_sending=bool(audiences) and selectors.conference_open_for_consultation(conference),
        context={
            "conference": conference,
            "heading": f"Consultations before the child protection conference on {conference.date:%-d %B %Y}",
            "back_url": reverse("conferences:conference-detail", args=[conference.pk]),
            "back_text": f"Back to the conference on {conference.date:%-d %B %Y}",
            "what": "Consultations before a child protection conference",
            "not_asked": not audiences,
            "asked_from_age": selectors.ASKED_FROM_AGE,
            # Who may add an answer to the child's views on the conference record: as for
            # every change to a conference record (the view below asks the same).
            "may_add_to_record": _may_add_to_conference_record(request.user, link),
        },
    )


def _consultations_page(
    request, *, child, send: dict, consultations, context: dict, audiences=None, open_for_sending=True
) -> HttpResponse:
    may_send = request.user.has_perm("consultations.send_consultation")
    if request.method == "POST" and not may_send:
        raise PermissionDenied("You cannot send consultations.")
    form = SendForm(request.POST if request.method == "POST" else None, audiences=audiences)
    if request.method == "POST" and not open_for_sending:
        # No form is shown then (the page says why): say it again rather than save anything.
        messages.error(request, "Consultations cannot be sent for this child before this conference.")
        return redirect(request.path)
    if request.method == "POST" and form.is_valid():
        try:
            consultation, token = services.consultation_send(**send, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(error, form)
        else:
            if consultation.channel == Channel.LETTER:
                return _letter(request, consultation, token)
            messages.success(request, f"Consultation sent to {consultation.respondent_name}")
            return redirect(consultation.get_absolute_url())
    rows = consultations()
    see_answers = request.user.has_perm("consultations.view_answer")
    if see_answers:
        # The answers are part of the child's record: reading them is a view of it.
        access_log_record(request=request, child=child, what=context["what"])
        staff = staff_member_of(request.user)
        if staff is not None:
            services.safety_notices_read(staff=staff, consultations=rows)
    child_age = context.pop("child_age", None)
    return render(
        request,
        "consultations/meeting.html",
        {
            **context,
            "child": child,
            "consultations": rows,
            "replied": [c for c in rows if c.returned_at or c.last_saved_at],
            "waiting": [c for c in rows if not (c.returned_at or c.last_saved_at)],
            "see_answers": see_answers,
            "may_send": may_send and open_for_sending,
            "form": form,
            "now": timezone.now(),
            "link_days": settings.CONSULTATION_LINK_DAYS,
            "suggestion": (
                selectors.participation_suggested(consultations=rows, child_age=child_age)
                if "meeting" in context
                else None
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
    return redirect(consultation.get_absolute_url())


def _letter(request, consultation: Consultation, token: str, *, reprinted: bool = False) -> HttpResponse:
    link = services.consultation_link(token)
    return render(
        request,
        "consultations/letter.html",
        {"consultation": consultation, "link": link, "qr": qr_svg(link), "reprinted": reprinted},
    )


@login_required
@permission_required("consultations.send_consultation", raise_exception=True)
def consultation_reprint(request: HttpRequest, pk: int) -> HttpResponse:
    """A letter lost or never received: GET asks to confirm (the old link will stop working) or
    says why it cannot be reprinted; POST gives the consultation a new link and prints it."""
    # The record first: a hidden child's consultation is a 404 whatever the method.
    consultation = get_object_or_404(
        Consultation.objects.restrict(request.user).select_related(
            "meeting__period", "conference_child__conference"
        ),
        pk=pk,
    )
    # The button sends ``reprint``: a POST without it (a form replayed empty) changes nothing.
    if request.method == "POST" and request.POST.get("reprint") == "yes":
        try:
            consultation, token = services.consultation_reprint(consultation=consultation, by=request.user)
        except services.ReprintRefused as refused:
            messages.error(request, str(refused))
            return redirect(consultation.get_absolute_url())
        return _letter(request, consultation, token, reprinted=True)
    if request.method == "POST":
        return redirect(request.path)
    return render(
        request,
        "consultations/reprint.html",
        {
            "consultation": consultation,
            "refusal": services.consultation_reprint_refusal(consultation),
            "link_days": settings.CONSULTATION_LINK_DAYS,
        },
    )


@login_required
@permission_required("consultations.view_answer", raise_exception=True)
@permission_required("reviews.add_lacreview", raise_exception=True)
def answer_to_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The IRO takes a child's answer to the review record as a point."""
    answer = get_object_or_404(Answer.objects.restrict(request.user).select_related("consultation"), pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        if services.answer_to_record(answer=answer, by=request.user):
            messages.success(request, "The answer is now a point on the review record")
    except services.NotThisRecord:
        messages.error(
            request,
            "This answer was given before a child protection conference: add it to the conference "
            "record with the button beside it.",
        )
    return redirect(answer.consultation.get_absolute_url())


def _may_add_to_conference_record(user, conference_child: ConferenceChild) -> bool:
    """The rule of every change to a conference record (``conferences:conference-record``):
    those who record conferences, and of them the chair, the child's current IRO or a manager
    who may change any child's records. Reading the answer is the IROs' and managers' alone
    (business support see who replied, not what they said), so it is needed too."""
    return (
        user.has_perm("consultations.view_answer")
        and user.has_perm("conferences.record_conference")
        and may_change_record(
            user, chair_id=conference_child.conference.chair_id, child_ids=[conference_child.child_id]
        )
    )


@login_required
@permission_required("consultations.view_answer", raise_exception=True)
@permission_required("conferences.record_conference", raise_exception=True)
def answer_to_conference_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The chair, the child's IRO or a manager takes an answer given before a conference to the
    child's views on the conference record."""
    # The record first: a restricted child's answer is a 404 whatever the method.
    answer = get_object_or_404(
        Answer.objects.restrict(request.user).select_related(
            "question", "consultation__conference_child__conference"
        ),
        pk=pk,
    )
    consultation = answer.consultation
    if consultation.conference_child is None:
        raise Http404("This answer was given before a review, not a conference")
    if not _may_add_to_conference_record(request.user, consultation.conference_child):
        raise NotTheirRecord(NOT_YOUR_RECORD)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        added = services.answer_to_conference_record(answer=answer, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if added:
            messages.success(
                request, "The answer is now a point in the child's views on the conference record"
            )
    return redirect(consultation.get_absolute_url())


def _may_write_down(user, consultation: Consultation) -> bool:
    """Who may take an answer to its record, and so write down what a voice note says for it:
    those who record reviews, or (before a conference) as for every change to its record."""
    if consultation.is_for_conference:
        return _may_add_to_conference_record(user, consultation.conference_child)
    return user.has_perm("reviews.add_lacreview")


@login_required
@permission_required("consultations.view_answer", raise_exception=True)
def voice_note_heard(request: HttpRequest, pk: int) -> HttpResponse:
    """Write down what was said in a voice note, so that the review or conference record can
    take it: the page has the question, what they typed beside it and the player. Seeing it
    is a view of the child's record and is logged."""
    try:
        note = selectors.voice_note_to_write_down(pk=pk, user=request.user)
    except VoiceNote.DoesNotExist:
        raise Http404("No voice note with that number") from None
    consultation = note.answer.consultation
    if not _may_write_down(request.user, consultation):
        # Before a conference the IRO may record conferences, but not this one's.
        raise NotTheirRecord(NOT_YOUR_RECORD) if consultation.is_for_conference else PermissionDenied
    if request.method == "POST" and note.answer.on_record_at is not None:
        # The page shows no form then, so the refusal is a message at the top, not a field's.
        messages.error(request, services.ALREADY_ON_RECORD)
        return redirect(request.path)
    form = HeardForm(request.POST if request.method == "POST" else None, initial={"heard_as": note.heard_as})

    def save(data: dict):
        services.voice_note_heard(note=note, text=data["heard_as"], by=request.user)
        return "What they said is written down: it can go on the record now", consultation.get_absolute_url()

    return form_page(
        request,
        form=form,
        save=save,
        template="consultations/voice_note_heard.html",
        context={
            "note": note,
            "answer": note.answer,
            "consultation": consultation,
            "already_on_record": services.ALREADY_ON_RECORD,
        },
        before_render=lambda: access_log_record(
            request=request, child=consultation.child, what="A voice note in a consultation, to write down"
        ),
    )


SAFETY_NOTICES_PER_PAGE = 25
ACKNOWLEDGED_PAGE = "acknowledged"

_BYTE_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
UNSATISFIABLE = (-1, -1)


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The first and last byte a ``Range`` header asks for, of ``size`` bytes: None for the
    whole (no header, or one this does not read, such as several ranges), ``UNSATISFIABLE``
    for a range that starts past the end."""
    wanted = _BYTE_RANGE.match(header)
    if not wanted or not (wanted[1] or wanted[2]):
        return None
    end = size - 1
    if wanted[1]:
        start = int(wanted[1])
        end = min(int(wanted[2]), end) if wanted[2] else end
    else:  # the last N bytes
        start = max(size - int(wanted[2]), 0)
    return UNSATISFIABLE if start > end else (start, end)


@login_required
@require_safe
@permission_required("consultations.view_answer", raise_exception=True)
@never_cache
def voice_note(request: HttpRequest, pk: int) -> HttpResponse:
    """A voice note's sound, for the page's player or to download: to those who may read the
    answers, of a child they may see (404 otherwise). Hearing it is a view of the child's
    record and is logged, once per play: a player asks for the sound in pieces (a byte range,
    which Safari needs before it plays anything), and only the piece from the start is logged."""
    try:
        note = selectors.voice_note_for_playing(pk=pk, user=request.user)
    except VoiceNote.DoesNotExist:
        raise Http404("No voice note with that number") from None
    sound = bytes(note.recording)
    wanted = _byte_range(request.headers.get("Range", ""), len(sound))
    if wanted == UNSATISFIABLE:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{len(sound)}"
        return response
    partial = wanted is not None
    start, end = wanted or (0, len(sound) - 1)
    if start == 0:
        child = note.answer.consultation.child
        access_log_record(request=request, child=child, what="A voice note in a consultation")
    response = HttpResponse(
        sound[start : end + 1], content_type=note.content_type, status=206 if partial else 200
    )
    if partial:
        response["Content-Range"] = f"bytes {start}-{end}/{len(sound)}"
    response["Accept-Ranges"] = "bytes"
    extension = note.kind.extension if note.kind else "audio"
    response["Content-Disposition"] = f'inline; filename="voice-note-{note.pk}.{extension}"'
    return response


@login_required
@permission_required("consultations.view_answer", raise_exception=True)
def safety_notices(request: HttpRequest) -> HttpResponse:
    """The safety notices still to be acknowledged, with a button each, and those already
    acknowledged (by whom and when), so a notice taken up is never lost from sight."""
    staff = staff_member_of(request.user)
    notices = selectors.safety_notices_for_page(staff=staff, user=request.user)
    # Every notice still to be acknowledged is shown, however many: none may be a page away.
    # Those acknowledged grow for ever, so they come in pages, with their own page number.
    acknowledged = Paginator(notices.filter(acknowledged_at__isnull=False), SAFETY_NOTICES_PER_PAGE).get_page(
        request.GET.get(ACKNOWLEDGED_PAGE)
    )
    return render(
        request,
        "consultations/safety_notices.html",
        {
            "open": list(notices.filter(acknowledged_at__isnull=True)),
            "acknowledged": acknowledged,
            "pagination": pagination_links(request, acknowledged, param=ACKNOWLEDGED_PAGE),
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
        asked = saved.question_set
        return (
            "Question saved",
            f"{reverse('consultations:question-sets')}#set-{asked.occasion}-{asked.audience}",
        )

    return form_page(
        request,
        form=form,
        save=save,
        template="consultations/question_form.html",
        context={"question": question},
    )
