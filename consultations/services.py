"""Writes for consultations: sending an invitation (email, text message or letter) before a
review meeting or a review child protection conference, the answers as they come in, the safety
notice, revoking links, reprinting a lost letter with a new link, and making an answer a point
on the review record or on the child's views on the conference record."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

from conferences.codes import ConferenceStatus
from conferences.models import Conference, ConferenceChild
from conferences.services import conference_child_view_record
from consultations.codes import (
    CHILD_AUDIENCES,
    SAFE_QUESTION,
    SAFE_TEXT,
    UNSAFE_VALUES,
    AnswerKind,
    Audience,
    Channel,
)
from consultations.models import (
    ANSWER_LIMIT,
    Answer,
    Consultation,
    Question,
    SafetyNotice,
    VoiceNote,
    words_for_the_record,
)
from consultations.recordings import HEAD_BYTES, NO_SOUND, recording_type
from consultations.selectors import conference_audiences, conference_open_for_consultation, voice_note_of
from consultations.sms import sms_send
from iro_service.people.codes import JobRole
from iro_service.people.models import StaffMember
from iro_service.people.selectors import current_iro
from reviews.codes import MeetingStatus
from reviews.models import ReviewMeeting

logger = logging.getLogger(__name__)


class ConsultationClosed(Exception):
    """The link is unknown, expired or revoked. The public pages answer all three alike (404),
    so that nobody can learn from them which links exist."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def consultation_link(token: str) -> str:
    return f"{settings.SITE_URL}{reverse('your_views:answer', args=[token])}"


@transaction.atomic
def consultation_send(
    *,
    meeting: ReviewMeeting | None = None,
    conference_child: ConferenceChild | None = None,
    audience: str,
    respondent_name: str,
    channel: str,
    email: str = "",
    mobile: str = "",
    by=None,
) -> tuple[Consultation, str]:
    """Invite one person to give their views before ``meeting`` or before the review conference
    of ``conference_child``. Returns the consultation and its token: the token is in the email or
    text message, or on the letter printed now; only its hash is kept, so it cannot be shown
    again (a lost letter is reprinted with a new link: ``consultation_reprint``)."""
    if conference_child is not None:
        _conference_consultation_check(conference_child=conference_child, audience=audience)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    consultation = Consultation(
        meeting=meeting,
        conference_child=conference_child,
        child_id=meeting.period.child_id
        if meeting is not None
        else getattr(conference_child, "child_id", None),
        audience=audience,
        respondent_name=respondent_name.strip(),
        channel=channel,
        email=email.strip() if channel == Channel.EMAIL else "",
        mobile=mobile.strip() if channel == Channel.SMS else "",
        secret_hash=_hash(token),
        sent_by=by,
        created_at=now,
        expires_at=now + timedelta(days=settings.CONSULTATION_LINK_DAYS),
    )
    consultation.full_clean(exclude=["secret_hash"])
    consultation.save()
    link = consultation_link(token)
    words = consultation.wording
    if channel == Channel.EMAIL:
        # Sent after the commit: a rolled-back invitation must not leave a working-looking email.
        transaction.on_commit(
            lambda: send_mail(
                subject=f"Your views before {words.the_meeting}",
                message=_invitation_text(consultation, link),
                from_email=None,
                recipient_list=[consultation.email],
            )
        )
    elif channel == Channel.SMS:
        transaction.on_commit(
            lambda: sms_send(
                number=consultation.mobile,
                text=f"Hello {consultation.respondent_name}. Tell us your views before "
                f"{words.the_meeting} on {consultation.occasion_date:%-d %B}: {link}",
            )
        )
    return consultation, token


def _invitation_text(consultation: Consultation, link: str) -> str:
    # No child's name and no other person's: the email may be read by someone else.
    words = consultation.wording
    called = f" {words.called}" if words.called else ""
    return (
        f"Hello {consultation.respondent_name},\n\n"
        f"{capfirst(words.a_meeting)} is booked for {consultation.occasion_date:%-d %B %Y}.{called} "
        f"{capfirst(words.asker)} would like to know what you think before it.\n\n"
        f"Open this link to answer a few questions. It works until "
        f"{timezone.localtime(consultation.expires_at):%-d %B %Y} and only for you:\n{link}\n\n"
        "You can stop at any time: your answers are saved as you go."
    )


def _conference_consultation_check(*, conference_child: ConferenceChild, audience: str) -> None:
    """A conference consultation is before a booked review conference, for a child old enough
    to be asked, and to the people that child's consultation is for (a carer only for a child in
    care): the rule of who may be asked is ``selectors.conference_audiences``, and this refuses
    anything else with the field named."""
    conference = conference_child.conference
    # The conference's row is locked until the invitation is saved: a conference held or stood
    # down meanwhile (its services lock the same row) stops this link too, never misses it.
    conference.status = (
        Conference.objects.select_for_update().values_list("status", flat=True).get(pk=conference.pk)
    )
    if not conference_open_for_consultation(conference):
        raise ValidationError(
            {
                "audience": f"This conference is {conference.get_status_display().lower()}: "
                "consultations are sent before a conference, not after it."
            }
        )
    allowed = conference_audiences(conference_child=conference_child)
    if not allowed:
        raise ValidationError(
            {
                "audience": "Consultations before a conference are for children at a review conference "
                "who are old enough to be asked."
            }
        )
    if audience not in allowed:
        label = Audience(audience).label.lower() if audience in Audience.values else "this person"
        raise ValidationError({"audience": f"A consultation for a {label} cannot be sent for this child."})


def consultation_from_token(token: str, *, now=None) -> Consultation:
    """The consultation a link opens, if it still works; otherwise ``ConsultationClosed``."""
    now = now or timezone.now()
    consultation = (
        Consultation.objects.select_related("meeting", "conference_child__conference")
        .filter(secret_hash=_hash(token))
        .first()
    )
    if consultation is None or consultation.revoked_at is not None or consultation.expires_at <= now:
        raise ConsultationClosed
    return consultation


def consultation_opened(*, consultation: Consultation) -> None:
    """Every open is written to the log (by the consultation's number, never a name); the first
    is also kept on the row, with a history entry."""
    logger.info("Consultation %s opened through its link", consultation.pk)
    now = timezone.now()
    if consultation.first_opened_at is None:
        consultation.first_opened_at = now
        consultation.save(update_fields=["first_opened_at"])


def consultation_revoke(*, consultation: Consultation, by=None) -> bool:
    """Stop a link working. A conditional UPDATE: revoking twice changes nothing the second time."""
    changed = Consultation.objects.filter(pk=consultation.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if changed:
        consultation.refresh_from_db()
        consultation.save(update_fields=["revoked_at"])  # a history row naming the change
    return bool(changed)


class ReprintRefused(Exception):
    """A letter that cannot be reprinted, with the reason in words for the page."""


def consultation_reprint_refusal(consultation: Consultation) -> str | None:
    """Why this consultation's letter cannot be reprinted, or None if it can. The one rule, read
    by the page (to offer the button or say why not) and by ``consultation_reprint``. The caller
    loads the meeting and its period, or the conference."""
    if consultation.channel != Channel.LETTER:
        return (
            f"This consultation was sent by {consultation.get_channel_display().lower()}, not as a "
            "letter: send a new consultation as a letter instead."
        )
    if consultation.meeting_id is not None:
        meeting = consultation.meeting
        if meeting.status == MeetingStatus.HELD or meeting.review_id is not None:
            return "The review has been held: there is nothing left to give views for."
        if meeting.status != MeetingStatus.BOOKED or meeting.period.end_date is not None:
            return (
                "This consultation is closed: the review meeting was cancelled or moved, or the child "
                "has left care. Send a new consultation for the new meeting instead."
            )
    else:
        conference = consultation.conference_child.conference
        if conference.status == ConferenceStatus.HELD:
            return "The conference has been held: there is nothing left to give views for."
        if not conference_open_for_consultation(conference):
            return (
                "This consultation is closed: the conference was stood down. Send a new consultation "
                "for the rearranged conference instead."
            )
    # After the meeting's state: holding or cancelling a meeting stops its links too, and the
    # reason worth telling then is the meeting's.
    if consultation.revoked_at is not None:
        return "This link was stopped, so its letter cannot be reprinted. Send a new consultation instead."
    return None


@transaction.atomic
def consultation_reprint(*, consultation: Consultation, by=None) -> tuple[Consultation, str]:
    """A letter was lost or never arrived: give the consultation a new secret and print the
    letter again. The old link (and the QR code on the old letter) stops working at once, as an
    unknown link does; the answers already given stay, since they belong to the consultation,
    not to its link; the link works for as long again as a new send's. Refused (``ReprintRefused``,
    with the reason) by ``consultation_reprint_refusal``. Returns the consultation and its new
    token, which is on the letter printed now and nowhere else."""
    # The row is locked while the rule is read and the new secret written: a revoke (the
    # meeting held, the link stopped) waits for this and then stops the new link too, since it
    # is a conditional UPDATE of the same row, so a reprint can never bring a stopped link back.
    locked = (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("meeting__period", "conference_child__conference")
        .get(pk=consultation.pk)
    )
    refusal = consultation_reprint_refusal(locked)
    if refusal:
        raise ReprintRefused(refusal)
    token = secrets.token_urlsafe(32)
    locked.secret_hash = _hash(token)
    locked.expires_at = timezone.now() + timedelta(days=settings.CONSULTATION_LINK_DAYS)
    # The history row says what happened and who did it (outside a request there is no user
    # for the history middleware to find).
    locked._change_reason = "Letter reprinted with a new link"
    if by is not None:
        locked._history_user = by
    locked.save(update_fields=["secret_hash", "expires_at"])
    logger.info("Consultation %s letter reprinted with a new link", locked.pk)
    return locked, token


def meeting_consultations_revoke(*, meeting: ReviewMeeting) -> int:
    """Revoke every open link of a meeting (it has been held, or the child has left care)."""
    return sum(
        consultation_revoke(consultation=consultation)
        for consultation in meeting.consultations.filter(revoked_at__isnull=True)
    )


def conference_consultations_revoke(*, conference_id: int) -> int:
    """Revoke every open link of a conference's children (it has been held or stood down)."""
    return sum(
        consultation_revoke(consultation=consultation)
        for consultation in Consultation.objects.filter(
            conference_child__conference_id=conference_id, revoked_at__isnull=True
        )
    )


@transaction.atomic
def answer_save(*, consultation: Consultation, question: Question, value: str) -> Answer:
    """Keep one answer (each page saves its own, so nothing is lost if they stop), then run the
    safety check."""
    asked = question.question_set
    if asked.audience != consultation.audience or asked.occasion != consultation.occasion:
        raise ValidationError({"value": "This question is not part of this consultation."})
    value = value.strip()
    if len(value) > ANSWER_LIMIT:
        raise ValidationError({"value": f"Your answer must be {ANSWER_LIMIT} characters or fewer."})
    answer, created = Answer.objects.get_or_create(
        consultation=consultation, question=question, defaults={"value": value}
    )
    if not created and answer.value != value:
        answer.value = value
        answer.save()
    Consultation.objects.filter(pk=consultation.pk).update(last_saved_at=timezone.now())
    safety_check(consultation=consultation)
    return answer


def voice_note_limit_bytes() -> int:
    return settings.CONSULTATION_VOICE_NOTE_MAX_MB * 1024 * 1024


def voice_note_too_large_message() -> str:
    return (
        f"Your voice note is too long to send. It must be smaller than "
        f"{settings.CONSULTATION_VOICE_NOTE_MAX_MB} MB: try a shorter one."
    )


NOT_A_RECORDING = (
    "That file is not a voice recording. Record your voice again, or choose a recording "
    "(such as M4A, MP3, OGG, WAV or WEBM)."
)


@transaction.atomic
def voice_note_save(*, consultation: Consultation, question: Question, recording: bytes) -> VoiceNote:
    """Keep a voice note as the answer (or with the typed answer) to a question asked in words.
    A second one for the same question takes the place of the first. Refused, naming the field
    ``voice_note``, when it is empty, too big, or not a sound recording (its first bytes say)."""
    if question.kind != AnswerKind.TEXT:
        raise ValidationError({"voice_note": "This question is answered by choosing, not with a voice note."})
    if not recording:
        raise ValidationError({"voice_note": NO_SOUND})
    if len(recording) > voice_note_limit_bytes():
        raise ValidationError({"voice_note": voice_note_too_large_message()})
    kind = recording_type(recording[:HEAD_BYTES])
    if kind is None:
        raise ValidationError({"voice_note": NOT_A_RECORDING})
    # The typed words stay as they are: a voice note is given beside them, or alone.
    typed = Answer.objects.filter(consultation=consultation, question=question).values_list(
        "value", flat=True
    )[:1]
    answer = answer_save(consultation=consultation, question=question, value=next(iter(typed), ""))
    note = VoiceNote.objects.filter(answer=answer).defer("recording").first() or VoiceNote(answer=answer)
    note.recording = recording
    note.content_type = kind.content_type
    note.size = len(recording)
    note.recorded_at = timezone.now()
    # What was written down was what the last one said: this one has not been heard yet.
    note.heard_as, note.heard_by, note.heard_at = "", None, None
    note.save()
    safety_check(consultation=consultation)  # a voice note saying why they do not feel safe
    logger.info("Consultation %s: a voice note of %s bytes saved", consultation.pk, note.size)
    return note


@transaction.atomic
def voice_note_remove(*, consultation: Consultation, question: Question) -> bool:
    """They took their voice note back: it is deleted (the history keeps that there was one,
    when, and that it went; never the sound). The typed answer, if any, stays."""
    note = voice_note_of(consultation=consultation, question=question)
    if note is None:
        return False
    note.delete()
    Consultation.objects.filter(pk=consultation.pk).update(last_saved_at=timezone.now())
    return True


HEARD_LIMIT = ANSWER_LIMIT
ALREADY_ON_RECORD = "This answer is on the record already, so what it says cannot be changed here."


@transaction.atomic
def voice_note_heard(*, note: VoiceNote, text: str, by) -> VoiceNote:
    """The IRO (or the chair) listened to a voice note and writes down what was said, in the
    speaker's words as far as they can: those words are what the review or conference record
    can take, as the service cannot hear the sound. Written again, the new words replace the
    old (the history keeps both, with who wrote them). Refused, naming ``heard_as``: empty, too
    long with the typed answer beside it for one point on a record, or once the answer is on
    the record (what the record took stays what it says)."""
    note = VoiceNote.objects.select_for_update().defer("recording").select_related("answer").get(pk=note.pk)
    answer = note.answer
    if answer.on_record_at is not None:
        raise ValidationError({"heard_as": ALREADY_ON_RECORD})
    text = text.strip()
    if not text:
        raise ValidationError({"heard_as": "Enter what they said in their voice note."})
    room = HEARD_LIMIT - len(words_for_the_record(answer.in_words, " ")) + 1
    if len(text) > room:
        raise ValidationError(
            {
                "heard_as": f"What they said must be {room} characters or fewer, so that with what "
                f"they typed it fits in one point on the record ({HEARD_LIMIT} characters)."
            }
        )
    note.heard_as, note.heard_by, note.heard_at = text, by, timezone.now()
    note.save(update_fields=["heard_as", "heard_by", "heard_at"])
    return note


def consultation_choices_save(
    *, consultation: Consultation, share_with_parents: bool | None, wants_iro_contact: bool
) -> None:
    consultation.share_with_parents = share_with_parents
    consultation.wants_iro_contact = wants_iro_contact
    consultation.last_saved_at = timezone.now()
    consultation.save(update_fields=["share_with_parents", "wants_iro_contact", "last_saved_at"])


def consultation_return(*, consultation: Consultation) -> None:
    """They have said they have finished. The answers stay open to change until the link ends."""
    if consultation.returned_at is None:
        consultation.returned_at = timezone.now()
        consultation.save(update_fields=["returned_at"])


def is_unsafe(answers: dict[str, str], *, said_why: bool = False) -> bool:
    """A child has said they do not feel safe: an unsafe answer to the question AND words in the
    free text that follows it, typed or said in a voice note (``said_why``). Words alone are
    never enough (they may be about a film), nor a tapped face alone (it may be a slip): the
    IRO asked for both, and the issue says so."""
    explained = said_why or bool(answers.get(SAFE_TEXT, "").strip())
    return answers.get(SAFE_QUESTION, "") in UNSAFE_VALUES and explained


def safety_check(*, consultation: Consultation) -> bool:
    """Raise the safety notice once: a conditional UPDATE claims it, so two saves at once
    (or a second save later) send nothing twice."""
    if consultation.audience not in CHILD_AUDIENCES:
        return False
    answers = dict(
        consultation.answers.filter(question__key__in=[SAFE_QUESTION, SAFE_TEXT]).values_list(
            "question__key", "value"
        )
    )
    # A voice note cannot be read by the service: one given for "tell us why" is the child's
    # words all the same, so it counts as saying why.
    # (Asked only when the typed words alone would not do.)
    said_why = (
        answers.get(SAFE_QUESTION, "") in UNSAFE_VALUES
        and not is_unsafe(answers)
        and VoiceNote.objects.filter(
            answer__consultation=consultation, answer__question__key=SAFE_TEXT
        ).exists()
    )
    if not is_unsafe(answers, said_why=said_why):
        return False
    claimed = Consultation.objects.filter(pk=consultation.pk, safety_notice_at__isnull=True).update(
        safety_notice_at=timezone.now()
    )
    if not claimed:
        return False
    staff = _safety_recipients(consultation)
    SafetyNotice.objects.bulk_create(
        [SafetyNotice(consultation=consultation, staff=member) for member in staff], ignore_conflicts=True
    )
    emails = [member.email for member in staff if member.email]
    if emails:
        url = f"{settings.SITE_URL}{consultation.get_absolute_url()}"
        before = "a child protection conference" if consultation.is_for_conference else "a review"
        transaction.on_commit(
            lambda: send_mail(
                subject="Urgent: a child has said they do not feel safe",
                message=(
                    f"A child answering their consultation before {before} has said they do not feel "
                    f"safe, and said why. Read their answers and act today:\n{url}\n\n"
                    f"Child ID {consultation.child.local_child_id}."
                ),
                from_email=None,
                recipient_list=emails,
            )
        )
    return True


def _safety_recipients(consultation: Consultation) -> list[StaffMember]:
    """Who chairs what the child gave their views for, and the IRO team managers of that chair's
    team (all IRO team managers when there is no chair): before a review the child's IRO, before
    a conference the conference's chair."""
    today = timezone.localdate()
    if consultation.is_for_conference:
        lead = consultation.conference_child.conference.chair
    else:
        lead = current_iro(child=consultation.child)
    managers = StaffMember.objects.filter(job_role=JobRole.IRO_MANAGER, start_date__lte=today).exclude(
        end_date__lt=today
    )
    if lead is not None:
        managers = managers.filter(team_id=lead.team_id)
    return [*([lead] if lead else []), *managers]


class NotThisRecord(Exception):
    """The answer was given before the other kind of meeting: a review's answers go on the
    review record, a conference's on the conference record."""


def answer_to_record(*, answer: Answer, by) -> bool:
    """The IRO takes a child's answer to the review record as a point. Once only. An answer
    given before a conference goes on the conference record instead (``answer_to_conference_record``)."""
    if answer.consultation.is_for_conference:
        raise NotThisRecord
    changed = Answer.objects.filter(pk=answer.pk, on_record_at__isnull=True).update(
        on_record_at=timezone.now(), on_record_by=by
    )
    if changed:
        answer.refresh_from_db()
        answer.save(update_fields=["on_record_at"])  # a history row
    return bool(changed)


def answer_may_go_on_a_record(answer: Answer) -> bool:
    """Whether an answer is one a record may take: a child's or an adult's answering for
    themselves (not the social worker's, whose views are in their report), with words in it."""
    return bool(answer.for_the_record) and answer.consultation.audience != Audience.SOCIAL_WORKER


@transaction.atomic
def answer_to_conference_record(*, answer: Answer, by) -> bool:
    """The chair (or the child's IRO, or a manager) takes an answer given before a conference
    to the child's views on that conference's record, as a point in the child's words with the
    question asked. Once only: a conditional UPDATE claims the answer, so two clicks at once
    add one point. False if it is there already.

    Refused, with the field named: an answer given before a review; a social worker's or an
    empty one; a child's answer the child has not agreed may be shared with their parents (the
    conference record goes to the parents, and the child chose "just the IRO" or has not said);
    and whatever the conferences service refuses (a conference stood down, a record already
    distributed)."""
    consultation = answer.consultation
    if not consultation.is_for_conference:
        raise NotThisRecord
    if not answer_may_go_on_a_record(answer):
        raise ValidationError(
            {
                "answer": "Only an answer with words in it, not the social worker's, can go on the record: "
                "for a voice note, write down what they said first."
            }
        )
    if consultation.audience in CHILD_AUDIENCES and consultation.share_with_parents is not True:
        raise ValidationError(
            {
                "answer": "The child has not said their family may see their answers, and the conference "
                "record goes to their parents: it cannot go on the record. Tell the conference "
                "what they want known in the way they agree."
            }
        )
    now = timezone.now()
    claimed = Answer.objects.filter(pk=answer.pk, on_record_at__isnull=True).update(
        on_record_at=now, on_record_by=by
    )
    if not claimed:
        return False
    conference_child_view_record(
        conference_child=consultation.conference_child,
        text=answer.for_the_record,
        asked=answer.question.text,
        by=by,
    )
    answer.refresh_from_db()
    answer.save(update_fields=["on_record_at"])  # a history row
    return True


def safety_notices_read(*, staff: StaffMember, consultations) -> int:
    """The notices about these consultations are read once their answers have been shown."""
    return SafetyNotice.objects.filter(
        staff=staff, consultation__in=[c.pk for c in consultations], read_at__isnull=True
    ).update(read_at=timezone.now())


def safety_notice_acknowledge(*, notice: SafetyNotice, by) -> bool:
    """The IRO or a manager says they have taken the notice up: it leaves the unread list
    (read too, if the answers were never opened) and stays in the history. Once only: a
    conditional UPDATE claims it, so two clicks at once record one acknowledgement."""
    now = timezone.now()
    claimed = SafetyNotice.objects.filter(pk=notice.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=now, acknowledged_by=by, read_at=Coalesce("read_at", Value(now))
    )
    if claimed:
        notice.refresh_from_db()
        notice.save(update_fields=["acknowledged_at"])  # a history row
    return bool(claimed)


def question_save(
    *, question: Question, text: str, hint: str = "", kind: str | None = None, active=None
) -> Question:
    """A manager rewords a question (history keeps the old wording). A question other rules
    read keeps how it is answered and stays asked."""
    question.text = text.strip()
    question.hint = hint.strip()
    if not question.key:
        if kind is not None:
            question.kind = kind
        if active is not None:
            question.active = active
    question.full_clean()
    question.save()
    return question


def consultations_unanswered_prune(*, before) -> int:
    """Delete the consultations revoked, or expired, before ``before`` that hold nothing of the
    child's record: no answer saved, not sent back, no safety notice. What is left of them is a
    link that no longer works and the respondent's email address or mobile number. Their
    history goes too (it holds the same). A consultation with answers is part of the child's
    record and is kept with it. The number removed; running it again removes nothing more."""
    ended = (
        Consultation.objects.filter(Q(revoked_at__lt=before) | Q(expires_at__lt=before))
        .filter(returned_at__isnull=True, answers__isnull=True, safety_notices__isnull=True)
        .values_list("pk", flat=True)
    )
    pks = list(ended)
    if not pks:
        return 0
    with transaction.atomic():
        Consultation.objects.filter(pk__in=pks).delete()
        # After the delete, which writes a "deleted" history row of its own.
        Consultation.history.model.objects.filter(id__in=pks).delete()
    return len(pks)
