"""Reads for consultations: one named query per screen, with a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Func, IntegerField, Prefetch, QuerySet

from conferences.codes import REVIEW_STAGES, ConferenceStatus
from consultations.codes import CHILD_AUDIENCES, SPEAKS_FOR_ME, Audience, Occasion
from consultations.models import Answer, Consultation, Question, QuestionSet, SafetyNotice, VoiceNote
from reviews.selectors import children_in_care_on

# Children are asked for their own views from the age of 4: under 4, a review's participation
# code is PN0 (too young to give views), and a conference does not send a consultation at all.
ASKED_FROM_AGE = 4


def old_enough_to_be_asked(age: int | None) -> bool:
    """Whether a child of ``age`` (whole years; None for a child not yet born) is asked."""
    return age is not None and age >= ASKED_FROM_AGE


def question_sets() -> QuerySet[QuestionSet]:
    return QuestionSet.objects.prefetch_related(
        Prefetch("questions", queryset=Question.objects.order_by("position"))
    )


def questions_for(*, audience: str, occasion: str = Occasion.REVIEW) -> list[Question]:
    """The questions asked of ``audience`` before ``occasion`` (a review or a conference), in
    order (active ones only)."""
    return list(
        Question.objects.filter(question_set__audience=audience, question_set__occasion=occasion, active=True)
        .select_related("question_set")
        .order_by("position")
    )


def question_set_for(*, audience: str, occasion: str = Occasion.REVIEW) -> QuestionSet:
    return QuestionSet.objects.get(audience=audience, occasion=occasion)


def answers_of(*, consultation: Consultation) -> dict[int, str]:
    """Question id -> the answer saved so far."""
    return dict(consultation.answers.values_list("question_id", "value"))


def voice_note_of(*, consultation: Consultation, question) -> VoiceNote | None:
    """The voice note sent for one question, without its sound (the page says when it was
    sent, not plays it back: the link may be on a shared phone)."""
    return (
        VoiceNote.objects.filter(answer__consultation=consultation, answer__question=question)
        .defer("recording")
        .first()
    )


def voice_note_for_playing(*, pk: int, user) -> VoiceNote:
    """One voice note with its sound, for someone who may read the child's answers: the
    restriction of every record of the child applies (DoesNotExist if hidden or unknown)."""
    return VoiceNote.objects.restrict(user).select_related("answer__consultation__child").get(pk=pk)


def voice_note_to_write_down(*, pk: int, user) -> VoiceNote:
    """One voice note without its sound, with its question, its consultation and the meeting
    or conference it was before, for the page where what was said is written down. The
    child's restriction applies (DoesNotExist if hidden or unknown)."""
    return (
        VoiceNote.objects.restrict(user)
        .defer("recording")
        .select_related(
            "answer__question",
            "answer__consultation__child",
            "answer__consultation__meeting",
            "answer__consultation__conference_child__conference",
        )
        .get(pk=pk)
    )


def answers_on_review_record(*, review) -> list[Answer]:
    """The answers given before a review's meetings that the IRO took to its record, in the
    order they were taken, each with its question, its consultation and its voice note
    (without the sound): one query. The review's page has checked who may see the child."""
    return list(
        Answer.objects.filter(consultation__meeting__review=review, on_record_at__isnull=False)
        .select_related("question", "consultation", "voice_note")
        .defer("voice_note__recording")
        .order_by("on_record_at", "pk")
    )


def _with_answers(consultations: QuerySet[Consultation]) -> QuerySet[Consultation]:
    return (
        consultations.select_related("sent_by")
        .prefetch_related(
            Prefetch(
                "answers",
                # Each answer's voice note, if any, without its sound: the page plays it from
                # its own address.
                queryset=Answer.objects.select_related("question", "voice_note")
                .defer("voice_note__recording")
                .order_by("question__position"),
            )
        )
        .order_by("audience", "created_at")
    )


def consultations_for_meeting(*, meeting, user) -> list[Consultation]:
    """A meeting's invitations with their answers: three queries whatever their number. The
    restriction is checked on the meeting already; this restricts again, as every list does."""
    return list(_with_answers(Consultation.objects.restrict(user).filter(meeting=meeting)))


def consultations_for_conference_child(*, conference_child, user) -> list[Consultation]:
    """One child's invitations before a conference, with their answers: three queries."""
    return list(_with_answers(Consultation.objects.restrict(user).filter(conference_child=conference_child)))


def consultations_for_conference(*, conference, user) -> list[Consultation]:
    """Every invitation before a conference, for all its children, with their answers: three
    queries whatever the number of children and invitations (for the conference's page)."""
    return list(
        _with_answers(Consultation.objects.restrict(user).filter(conference_child__conference=conference))
    )


def conference_children_asked(*, conference) -> list:
    """The children of a conference whose views (and whose carers', parents' and social
    worker's) are sought before it: those at a review stage (first or subsequent review) who
    are old enough to be asked on the conference's date. The conference's children are loaded
    already (``conference_for_page``): no query."""
    return [link for link in conference.children.all() if _asked_before(link, conference)]


def _asked_before(conference_child, conference) -> bool:
    return conference_child.stage in REVIEW_STAGES and old_enough_to_be_asked(
        conference_child.child.age_on(conference.date)
    )


def conference_open_for_consultation(conference) -> bool:
    """Consultations are sent before a conference: while it is booked, not once it is held or
    stood down (its links stop then)."""
    return conference.status == ConferenceStatus.BOOKED


def conference_audiences(*, conference_child, in_care: bool | None = None) -> list[str]:
    """Who may be sent a consultation before a conference about this child: nobody unless the
    child is at a review stage and old enough; then the child (either version), each parent and
    the social worker, and a carer only if the child is in care on the conference's date (one
    query, unless the caller knows already)."""
    conference = conference_child.conference
    if not _asked_before(conference_child, conference):
        return []
    if in_care is None:
        in_care = bool(children_in_care_on(child_ids=[conference_child.child_id], on=conference.date))
    return [audience for audience in Audience.values if audience != Audience.CARER or in_care]


@dataclass(frozen=True)
class Suggestion:
    code: str
    reason: str


def participation_suggested(*, consultations: list[Consultation], child_age: int | None) -> Suggestion | None:
    """The participation code the child's consultation points to, for the IRO to confirm when
    recording the review: PN0 under 4; PN5 when the child named someone to speak for them; PN6
    when they sent their views. Whether the child came to the meeting is known only at the
    meeting, so PN1 to PN4 are the IRO's to choose."""
    if child_age is not None and not old_enough_to_be_asked(child_age):
        return Suggestion("PN0", f"The child is under {ASKED_FROM_AGE}.")
    for consultation in consultations:
        if consultation.audience not in CHILD_AUDIENCES or not consultation.answers.all():
            continue
        if any(a.question.key == SPEAKS_FOR_ME and a.value for a in consultation.answers.all()):
            return Suggestion("PN5", "If they do not come: they said who will speak for them.")
        return Suggestion("PN6", "If they do not come: they sent their views in the consultation.")
    return None


def unread_safety_notices(*, staff) -> QuerySet[SafetyNotice]:
    return SafetyNotice.objects.filter(
        staff=staff, read_at__isnull=True, acknowledged_at__isnull=True
    ).select_related("consultation__meeting", "consultation__child")


def safety_notices_for_page(*, staff, user) -> QuerySet[SafetyNotice]:
    """The notices on the safety notices page, newest first, which are the notices the reader may
    acknowledge: their own, and for a manager (who may acknowledge any) everyone's, so one sent
    to an IRO who is away is not left. One query, however many notices."""
    notices = SafetyNotice.objects.all()
    if not user.has_perm("consultations.acknowledge_any_safetynotice"):
        notices = notices.filter(staff=staff)
    return notices.restrict(user).select_related(
        "consultation__meeting", "consultation__child", "staff", "acknowledged_by"
    )


def consultations_sent_between(*, start, end) -> QuerySet[Consultation]:
    """Consultations sent before review meetings in ``[start, end]`` (local dates), each with
    the child's age in whole years on the meeting's date (``age``), worked out by PostgreSQL's
    ``age()``. Consultations before conferences are left out: the figures read from this
    (``reports.figures.consultations``) are of consultations before LAC reviews and count
    review meetings, and a conference is neither."""
    return Consultation.objects.filter(
        meeting__isnull=False, created_at__date__gte=start, created_at__date__lte=end
    ).annotate(
        age=Func(
            Func(F("meeting__date"), F("child__date_of_birth"), function="age"),
            template="date_part('year', %(expressions)s)",
            output_field=IntegerField(),
        )
    )
