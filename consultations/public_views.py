"""The pages behind a consultation link: for a child, carer or parent, who has no account. One
question a page, each answer saved when its page is sent, so that nothing is lost if they stop
and come back. A link that is unknown, expired or revoked gets the same friendly 404, so that
nobody can learn from the answer which links exist; nothing is cached; every open is logged in
the consultation's history."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from consultations import selectors, services
from consultations.codes import CHILD_AUDIENCES, AnswerKind
from consultations.forms import ChoicesForm, FinishForm, answer_form
from iro_service.core.forms import form_add_service_errors

WINDOW_SECONDS = 600


def _over_limit(name: str, value: str, limit: int) -> bool:
    """Counts one request against ``value`` (an address or a link) in a fixed ten-minute window
    in the cache, and says whether it is over ``limit``. The cache going away lifts the limit
    rather than closing the pages: a child must never be turned away by our outage."""
    key = f"consultation-requests:{name}:{hashlib.sha256(value.encode()).hexdigest()[:16]}"
    try:
        count = cache.get_or_set(key, 0, WINDOW_SECONDS)
        count = cache.incr(key) if count is not None else 1
    except ValueError:  # the key expired between the two calls
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count > limit


def _too_many(request: HttpRequest, token: str) -> bool:
    """Per address, so that one machine cannot try link after link; and per link, so that a
    link passed on (or a script given one) cannot hammer one consultation from many addresses.
    A child answering every question, going back and coming again, stays far below both."""
    by_address = _over_limit(
        "address", request.META.get("REMOTE_ADDR") or "", settings.CONSULTATION_REQUESTS_PER_10_MINUTES
    )
    by_link = _over_limit("link", token, settings.CONSULTATION_REQUESTS_PER_LINK_PER_10_MINUTES)
    return by_address or by_link


def _closed(request: HttpRequest) -> HttpResponse:
    return render(request, "consultations/public/closed.html", status=404)


class VoiceNoteLimit(FileUploadHandler):
    """Stops reading a voice note once it is bigger than the limit, so that a huge file sent to
    a public page is neither kept in memory nor written to disk; the page then says it was too
    big (``request.voice_note_too_large``) rather than that nothing was sent."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.request.voice_note_too_large = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


@never_cache
@csrf_exempt
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The CSRF check is made by ``_answer``, once the voice note's size limit is in place
    (the check reads the form, and with it any file, so the limit must come first)."""
    request.voice_note_too_large = False
    request.upload_handlers.insert(0, VoiceNoteLimit(request, services.voice_note_limit_bytes()))
    return _answer(request, token)


@csrf_protect
def _answer(request: HttpRequest, token: str) -> HttpResponse:
    if _too_many(request, token):
        return render(request, "consultations/public/slow_down.html", status=429)
    try:
        consultation = services.consultation_from_token(token)
    except services.ConsultationClosed:
        return _closed(request)
    services.consultation_opened(consultation=consultation)
    # The sets for who they are and what they are asked before: a conference's never speak of
    # a review.
    asked = {"audience": consultation.audience, "occasion": consultation.occasion}
    question_set = selectors.question_set_for(**asked)
    questions = selectors.questions_for(**asked)
    is_child = consultation.audience in CHILD_AUDIENCES
    here = reverse("your_views:answer", args=[token])
    step = request.GET.get("q", "")
    context = {
        "consultation": consultation,
        "question_set": question_set,
        "is_child": is_child,
        "words": consultation.wording,
        "here": here,
        "total": len(questions),
    }
    if step == "done":
        return render(request, "consultations/public/done.html", context)
    if step == "finish":
        return _finish(request, consultation, context)
    if not step.isdigit() or not 1 <= int(step) <= len(questions):
        return render(request, "consultations/public/start.html", context)
    number = int(step)
    question = questions[number - 1]
    saved = selectors.answers_of(consultation=consultation)
    recorded = selectors.voice_note_of(consultation=consultation, question=question)
    posted = request.method == "POST"
    form = answer_form(
        question,
        request.POST if posted else None,
        saved.get(question.pk, ""),
        files=request.FILES if posted else None,
        recorded=recorded,
        limit_mb=settings.CONSULTATION_VOICE_NOTE_MAX_MB,
    )
    if posted and request.voice_note_too_large:
        form.is_valid()
        form.add_error("voice_note", services.voice_note_too_large_message())
    if posted and form.is_valid():
        try:
            _save_answer(consultation, question, form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(error, form)
        else:
            following = f"{number + 1}" if number < len(questions) else "finish"
            return redirect(f"{here}?q={following}")
    return render(
        request,
        "consultations/public/question.html",
        {
            **context,
            "form": form,
            "recorded": recorded,
            "question": question,
            "number": number,
            "back": f"{here}?q={number - 1}" if number > 1 else here,
            "is_choice": question.kind != AnswerKind.TEXT,
        },
    )


def _save_answer(consultation, question, data: dict) -> None:
    """The typed answer (or the choice), then the voice note sent with it or taken back. The
    typed words are saved first and kept whatever happens to the voice note, so a refused
    recording loses nothing typed."""
    services.answer_save(consultation=consultation, question=question, value=data["value"] or "")
    upload = data.get("voice_note")
    if upload:
        services.voice_note_save(consultation=consultation, question=question, recording=upload.read())
    elif data.get("voice_note_remove"):
        services.voice_note_remove(consultation=consultation, question=question)


def _finish(request, consultation, context) -> HttpResponse:
    form_kwargs = {"words": context["words"]} if context["is_child"] else {}
    form_class = ChoicesForm if context["is_child"] else FinishForm
    initial = {}
    if consultation.share_with_parents is not None:
        initial["share_with_parents"] = "yes" if consultation.share_with_parents else "no"
    initial["wants_iro_contact"] = consultation.wants_iro_contact
    form = form_class(request.POST if request.method == "POST" else None, initial=initial, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        if context["is_child"]:
            services.consultation_choices_save(
                consultation=consultation,
                share_with_parents=form.cleaned_data["share_with_parents"] == "yes",
                wants_iro_contact=form.cleaned_data["wants_iro_contact"],
            )
        services.consultation_return(consultation=consultation)
        return redirect(f"{context['here']}?q=done")
    return render(
        request,
        "consultations/public/finish.html",
        {**context, "form": form, "back": f"{context['here']}?q={context['total']}"},
    )
