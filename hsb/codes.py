"""Choices of the hsb app and the rules that are data: which ratings meet the threshold for an
HSB meeting, which training each assessment model needs, and the ages each model is for.
``hsb.models`` re-exports them, so ``from hsb.models import BrookRating`` keeps working."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class BrookRating(models.TextChoices):
    """The Brook sexual behaviours traffic light rating. The code is stable; what amber is
    called depends on the version of the tool used (``rating_label``)."""

    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


class BrookToolVersion(models.TextChoices):
    """Which version of Brook's tool rated the behaviour: the 2020 revision calls amber orange."""

    ORIGINAL = "2012", "Brook traffic light tool (2012)"
    REVISED_2020 = "2020", "Brook traffic light tool (2020 revision)"


def rating_label(rating: str, version: str) -> str:
    """The rating as the version of the tool used names it: amber is "Orange" from 2020."""
    if not rating:
        return ""
    if rating == BrookRating.AMBER and version == BrookToolVersion.REVISED_2020:
        return "Orange"
    return BrookRating(rating).label


# Amber (orange) or red behaviour meets the threshold for an HSB meeting; green does not (seed 7.3.2).
THRESHOLD_RATINGS = frozenset({BrookRating.AMBER, BrookRating.RED})


def meets_threshold(rating: str) -> bool:
    return rating in THRESHOLD_RATINGS


class ReferralOutcome(models.TextChoices):
    """What the HSB lead decided should happen after a referral (seed 7.3.2)."""

    HSB_MEETING = "hsb_meeting", "HSB meeting and intervention plan"
    BASIC_INTERVENTION = "basic_intervention", "Basic intervention by the allocated social worker"
    POST_ABUSE_THERAPY = "post_abuse_therapy", "Referral for post-sexual-abuse therapy"
    NO_FURTHER_ACTION = "no_further_action", "No further action"


# A referral below the threshold gets one of these; one that meets it gets an HSB meeting.
BELOW_THRESHOLD_OUTCOMES = frozenset(
    {
        ReferralOutcome.BASIC_INTERVENTION,
        ReferralOutcome.POST_ABUSE_THERAPY,
        ReferralOutcome.NO_FURTHER_ACTION,
    }
)


class MeetingAgency(models.TextChoices):
    """The agencies represented at an HSB meeting."""

    SOCIAL_CARE = "social_care", "Children's social care"
    POLICE = "police", "Police (Child Abuse Investigation Unit)"
    YOUTH_OFFENDING = "youth_offending", "Youth offending service"
    EDUCATION = "education", "School or college"
    HEALTH = "health", "Health"
    CAMHS = "camhs", "Child and adolescent mental health service"
    THERAPEUTIC = "therapeutic", "Specialist therapeutic worker"
    FAMILY = "family", "Parent or carer"
    OTHER = "other", "Other"


class Intervention(models.TextChoices):
    """Who was given the intervention work after an HSB meeting (seed 7.3.2: in-house since
    November 2015, commissioned before)."""

    IN_HOUSE = "in_house", "In-house specialist therapeutic worker"
    COMMISSIONED = "commissioned", "Commissioned service"
    YOUTH_OFFENDING = "youth_offending", "Youth offending service"


class AssessmentTool(models.TextChoices):
    AIM2 = "aim2", "AIM2"
    AIM3 = "aim3", "AIM3"


class AssessmentOutcome(models.TextChoices):
    """The level of concern an AIM assessment found."""

    LOW = "low", "Low concern"
    MEDIUM = "medium", "Medium concern"
    HIGH = "high", "High concern"


class Course(models.TextChoices):
    """The HSB courses of the training programme (seed 7.2.2 and 7.4)."""

    BROOK = "brook", "Brook sexual behaviours traffic light tool"
    AIM2 = "aim2", "AIM2 assessment"
    AIM3 = "aim3", "AIM3 assessment"
    AIM_MANAGERS = "aim_managers", "AIM for managers"
    GOOD_LIVES = "good_lives", "Good Lives Model"
    PROCEDURES = "procedures", "HSB procedures briefing"


# An assessment may be done only by someone trained in that model.
TRAINING_FOR_TOOL = {AssessmentTool.AIM2: Course.AIM2, AssessmentTool.AIM3: Course.AIM3}


@dataclass(frozen=True)
class AgeRange:
    """Who an assessment model is designed for: ages in whole years (inclusive) and sexes."""

    youngest: int
    oldest: int | None
    sexes: frozenset[str] | None
    described: str

    def fits(self, *, age: int | None, sex: str) -> bool:
        if age is None or age < self.youngest:
            return False
        if self.oldest is not None and age > self.oldest:
            return False
        return self.sexes is None or sex in self.sexes


# AIM2 is for boys of 10 and over (seed 7.2.2); AIM3 for young people aged 12 to 18 (domain.md 4).
AGE_RANGES = {
    AssessmentTool.AIM2: AgeRange(10, None, frozenset({"M"}), "boys aged 10 and over"),
    AssessmentTool.AIM3: AgeRange(12, 18, None, "young people aged 12 to 18"),
}
