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
# Answers to the safety question that mean "I do not feel safe".
UNSAFE_VALUES = {"1", "2", "no"}
