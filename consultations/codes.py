"""The fixed lists of the consultations app: who is asked, how they are asked, how they answer."""

from django.db import models


class Audience(models.TextChoices):
    """Who a question set is written for. The easy-read child version is for younger children
    and for children with additional communication needs."""

    CHILD = "child", "Child or young person"
    CHILD_EASY_READ = "child_easy_read", "Child (easy read)"
    CARER = "carer", "Carer"
    PARENT = "parent", "Parent"
    SOCIAL_WORKER = "social_worker", "Social worker"


CHILD_AUDIENCES = (Audience.CHILD, Audience.CHILD_EASY_READ)


class Occasion(models.TextChoices):
    """What a consultation is before: each has its own question sets and its own words, so that
    nobody asked before a child protection conference is told about "your review"."""

    REVIEW = "review", "Before a review"
    CONFERENCE = "conference", "Before a child protection conference"


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"
    LETTER = "letter", "Printed letter with a QR code"


class AnswerKind(models.TextChoices):
    TEXT = "text", "Typed answer"
    SCALE = "scale", "Choose a face (a scale of four)"
    YES_NO = "yes_no", "Yes or no"
    PEOPLE = "people", "Choose people from pictures (any number)"


# The questions the safety check reads, by their fixed key: the "do you feel safe?" question
# and the free text that follows it. A notice needs an unsafe answer to the question and words
# in the text; words alone never raise one.
SAFE_QUESTION = "feel_safe"
SAFE_TEXT = "feel_safe_more"
# The question whose answer says the child briefed someone to speak for them (PN5).
SPEAKS_FOR_ME = "who_speaks"

# The faces of the scale, best first. Text labels always go with them (a picture alone is not
# accessible).
SCALE = [
    ("4", "😀 Really good"),
    ("3", "🙂 OK"),
    ("2", "😐 Not so good"),
    ("1", "😟 Bad"),
]
YES_NO = [("yes", "Yes"), ("no", "No")]
# The people a child may choose, each a picture with its words (for "who do you want at your
# meeting?" in the easy-read version), so that a child who does not write can still answer.
PEOPLE = [
    ("mum", "👩 Mum"),
    ("dad", "👨 Dad"),
    ("carer", "🏡 The people I live with"),
    ("brothers_sisters", "👫 My brothers or sisters"),
    ("family", "👵 My nan, grandad or other family"),
    ("social_worker", "🧑‍💼 My social worker"),
    ("teacher", "🧑‍🏫 My teacher"),
    ("friend", "🧒 A friend"),
    ("advocate", "🗣️ Someone to speak for me (an advocate)"),
    ("just_me", "🙋 Just me and the IRO"),
]
# What each kind of question may be answered with; a typed answer is free text.
CHOICES = {AnswerKind.SCALE: SCALE, AnswerKind.YES_NO: YES_NO, AnswerKind.PEOPLE: PEOPLE}


def answer_in_words(kind: str, value: str) -> str:
    """An answer as the person chose it, for the IRO's page and the record: the face's, the
    yes or no's, or each chosen person's words, never the stored code ("4", "mum,dad"). A value
    no longer among the choices (a list changed since) is shown as it was stored."""
    choices = dict(CHOICES.get(kind, []))
    if not value or not choices:
        return value
    if kind == AnswerKind.PEOPLE:
        return ", ".join(choices.get(part, part) for part in value.split(","))
    return choices.get(value, value)


# Answers to the safety question that mean "I do not feel safe".
UNSAFE_VALUES = {"1", "2", "no"}
