"""Reads for consultations: one named query per screen, with a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Func, IntegerField, Prefetch, QuerySet

from consultations.codes import CHILD_AUDIENCES, SPEAKS_FOR_ME
from consultations.models import Answer, Consultation, Question, QuestionSet, SafetyNotice


def question_sets() -> QuerySet[QuestionSet]:
    return QuestionSet.objects.prefetch_related(
        Prefetch("questions", queryset=Question.objects.order_by("position"))
    )


def questions_for(*, audience: str) -> list[Question]:
    """The questions asked of ``audience``, in order (active ones only)."""
    return list(
        Question.objects.filter(question_set__audience=audience, active=True)
        .select_related("question_set")
        .order_by("position")
    )


def question_set_for(*, audience: str) -> QuestionSet:
    return QuestionSet.objects.get(audience=audience)


def answers_of(*, consultation: Consultation) -> dict[int, str]:
    """Question id -> the answer saved so far."""
    return dict(consultation.answers.values_list("question_id", "value"))


def consultations_for_meeting(*, meeting, user) -> list[Consultation]:
    """A meeting's invitations with their answers: three queries whatever their number. The
    restriction is checked on the meeting already; this restricts again, as every list does."""
    return list(
        Consultation.objects.restrict(user)
        .filter(meeting=meeting)
        .select_related("sent_by")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.select_related("question").order_by("question__position"),
            )
        )
        .order_by("audience", "created_at")
    )


@dataclass(frozen=True)
class Suggestion:
    code: str
    reason: str


def participation_suggested(*, consultations: list[Consultation], child_age: int | None) -> Suggestion | None:
    """The participation code the child's consultation points to, for the IRO to confirm when
    recording the review: PN0 under 4; PN5 when the child named someone to speak for them; PN6
    when they sent their views. Whether the child came to the meeting is known only at the
    meeting, so PN1 to PN4 are the IRO's to choose."""
    if child_age is not None and child_age < 4:
        return Suggestion("PN0", "The child is under 4.")
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
    """Consultations sent in ``[start, end]`` (local dates), each with the child's age in whole
    years on the meeting's date (``age``), worked out by PostgreSQL's ``age()``."""
    return Consultation.objects.filter(created_at__date__gte=start, created_at__date__lte=end).annotate(
        age=Func(
            Func(F("meeting__date"), F("child__date_of_birth"), function="age"),
            template="date_part('year', %(expressions)s)",
            output_field=IntegerField(),
        )
    )
