"""Consultations before a review: the questions each kind of person is asked, the invitations
(one person, one link) and their answers. A consultation is before a looked-after child's review
meeting or before a review child protection conference (for one child considered at it)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from conferences.models import ConferenceChild
from consultations.codes import (
    CHILD_AUDIENCES,
    AnswerKind,
    Audience,
    Channel,
    Occasion,
    answer_in_words,
)
from consultations.recordings import BY_CONTENT_TYPE, RecordingType
from consultations.wording import Wording, wording_for
from iro_service.core.restriction import RestrictedQuerySet
from iro_service.people.models import Child, StaffMember
from reviews.models import ReviewMeeting

QUESTION_LIMIT = 300
ANSWER_LIMIT = 2000


def words_for_the_record(typed: str, heard: str) -> str:
    """One point on a record from an answer: the typed (or chosen) words, then what was heard
    in the voice note, said to be from it."""
    return "\n\n".join(words for words in (typed, heard and f"In their voice note: {heard}") if words)


class QuestionSet(models.Model):
    """The questions for one audience before one kind of meeting, which managers keep. One set
    per audience and occasion: a child is asked about "your review" before a review and about
    "the meeting about keeping you safe" before a child protection conference."""

    occasion = models.CharField(max_length=12, choices=Occasion.choices, default=Occasion.REVIEW)
    audience = models.CharField(max_length=16, choices=Audience.choices)
    title = models.CharField(max_length=120)
    introduction = models.TextField(help_text="Shown on the first page, before the questions.")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        # Reviews' sets first (the occasion's code in reverse: "review" before "conference").
        ordering = ["-occasion", "audience"]
        constraints = [
            models.UniqueConstraint(fields=["occasion", "audience"], name="consultation_question_set_once"),
        ]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """One question of a set, asked on a page of its own. ``key`` marks the questions other
    rules read (the safety check, the participation code); it is fixed, the wording is not."""

    question_set = models.ForeignKey(QuestionSet, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=QUESTION_LIMIT)
    hint = models.CharField(max_length=QUESTION_LIMIT, blank=True)
    kind = models.CharField(max_length=8, choices=AnswerKind.choices, default=AnswerKind.TEXT)
    key = models.SlugField(max_length=32, blank=True, editable=False)
    active = models.BooleanField(default=True, help_text="Only active questions are asked.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["question_set_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["question_set", "position"], name="consultation_question_position"
            ),
            models.UniqueConstraint(
                fields=["question_set", "key"], condition=~Q(key=""), name="consultation_question_key"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Consultation(models.Model):
    """An invitation to one named person to give their views before a review meeting or a review
    child protection conference (exactly one of the two: a database constraint says so). The
    link carries a random secret of which only a hash is kept; it opens this consultation and
    nothing else, until it expires or is revoked."""

    child_path = "child"

    meeting = models.ForeignKey(
        ReviewMeeting, on_delete=models.CASCADE, null=True, blank=True, related_name="consultations"
    )
    # A conference is about a household's children: the consultation is about one of them, so
    # it belongs to the child's place at the conference, not to the conference.
    conference_child = models.ForeignKey(
        ConferenceChild, on_delete=models.CASCADE, null=True, blank=True, related_name="consultations"
    )
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="consultations")
    audience = models.CharField(max_length=16, choices=Audience.choices)
    respondent_name = models.CharField(max_length=120)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    email = models.EmailField(blank=True)
    mobile = models.CharField(max_length=20, blank=True)
    secret_hash = models.CharField(max_length=64, editable=False, unique=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    first_opened_at = models.DateTimeField(null=True, blank=True)
    last_saved_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True, help_text="When they said they had finished.")
    # The child's choices (blank for adults): whether parents may see the answers, and whether
    # they want the IRO to get in touch.
    share_with_parents = models.BooleanField(null=True, blank=True)
    wants_iro_contact = models.BooleanField(default=False)
    safety_notice_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["meeting_id", "audience", "created_at"]
        permissions = [("send_consultation", "Can send and revoke consultations")]
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting__isnull=False, conference_child__isnull=True)
                | Q(meeting__isnull=True, conference_child__isnull=False),
                name="consultation_meeting_or_conference",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")), name="consultation_expires_after_created"
            ),
            models.CheckConstraint(
                condition=~Q(channel="email") | ~Q(email=""), name="consultation_email_has_address"
            ),
            models.CheckConstraint(
                condition=~Q(channel="sms") | ~Q(mobile=""), name="consultation_sms_has_number"
            ),
        ]

    def __str__(self) -> str:
        return f"Consultation with {self.respondent_name} ({self.get_audience_display()})"

    def get_absolute_url(self) -> str:
        """The staff page of the consultations it is one of (by id alone: no query)."""
        if self.meeting_id is not None:
            return reverse("consultations:meeting", args=[self.meeting_id])
        return reverse("consultations:conference", args=[self.conference_child_id])

    @property
    def is_for_conference(self) -> bool:
        return self.conference_child_id is not None

    @property
    def occasion(self) -> str:
        """What they are giving their views before: which question sets they are asked."""
        return Occasion.CONFERENCE if self.is_for_conference else Occasion.REVIEW

    @property
    def wording(self) -> Wording:
        """The words naming the meeting for the person asked, in the letter and the pages."""
        return wording_for(for_conference=self.is_for_conference, for_child=self.audience in CHILD_AUDIENCES)

    @property
    def occasion_date(self):
        """The meeting's or the conference's date (the caller loads the one it needs)."""
        if self.meeting_id is not None:
            return self.meeting.date
        return self.conference_child.conference.date


class Answer(models.Model):
    """One answer, saved as soon as its page is sent: nothing is lost if they stop part-way."""

    child_path = "consultation__child"

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.TextField(max_length=ANSWER_LIMIT, blank=True)
    saved_at = models.DateTimeField(auto_now=True)
    # The IRO made this answer a point on the review record, or (before a conference) on the
    # child's views on the conference record (``conferences.ConferenceChildView``).
    on_record_at = models.DateTimeField(null=True, blank=True)
    on_record_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["consultation_id", "question__position"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "question"], name="consultation_answer_once"),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question}"

    @property
    def in_words(self) -> str:
        """The answer as it was chosen (the face's words, each chosen person), not its code."""
        return answer_in_words(self.question.kind, self.value)

    @property
    def for_the_record(self) -> str:
        """The words a record takes from this answer: what they typed or chose and, for a voice
        note, what the one who listened wrote down that they said. Blank when there are none
        (a voice note nobody has written down yet)."""
        note = self.recorded
        return words_for_the_record(self.in_words, note.heard_as if note is not None else "")

    @property
    def recorded(self) -> VoiceNote | None:
        """The voice note given with this answer, if any (loaded by the caller, without its
        sound: ``selectors._with_answers``)."""
        try:
            return self.voice_note
        except VoiceNote.DoesNotExist:
            return None


class VoiceNote(models.Model):
    """A short recording given as (or with) a typed answer, by someone who would rather say
    it than write it. Kept in the database beside the answer it belongs to, so that it is in
    the backups, goes with the consultation (and with the child's record when that is erased)
    and is never a file that a web server could hand out. Only the IRO's page plays it, to
    those who may read the answers, and each play is logged. Its history keeps who and when,
    never the sound."""

    child_path = "answer__consultation__child"

    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="voice_note")
    recording = models.BinaryField()
    # From the recording's first bytes (``recordings.recording_type``), not from the browser.
    content_type = models.CharField(max_length=20)
    size = models.PositiveIntegerField(help_text="In bytes.")
    recorded_at = models.DateTimeField()
    # What was said, written down by the IRO (or the chair) who listened: the words a record can
    # take, as the service cannot hear the sound. Blank until someone has written it down.
    heard_as = models.TextField("what they said", max_length=ANSWER_LIMIT, blank=True)
    heard_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    heard_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["recording"])

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="consultation_voice_note_not_empty"),
            # Written down by someone at some time, or not at all.
            models.CheckConstraint(
                condition=Q(heard_as="", heard_at__isnull=True)
                | (~Q(heard_as="") & Q(heard_at__isnull=False)),
                name="consultation_voice_note_heard_with_when",
            ),
        ]

    def __str__(self) -> str:
        return f"Voice note answering {self.answer.question}"

    @property
    def kind(self) -> RecordingType | None:
        return BY_CONTENT_TYPE.get(self.content_type)


class SafetyNotice(models.Model):
    """An in-app notice that a child said they do not feel safe, for the IRO and the team
    manager. One per consultation and member of staff, so a second save adds none."""

    child_path = "consultation__child"

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="safety_notices")
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="consultation_notices")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Opening the answers marks a notice read; acknowledging it says someone has taken it up,
    # and who. A manager may acknowledge a notice sent to an IRO (one away, say).
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("acknowledge_any_safetynotice", "Can acknowledge a safety notice sent to someone else")
        ]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "staff"], name="consultation_safety_notice_once"),
        ]

    def __str__(self) -> str:
        return f"Safety notice for {self.staff}"
