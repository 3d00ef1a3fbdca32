"""Choices of the qa_alerts app (domain.md section 5). ``qa_alerts.models`` re-exports them.

The concern categories and the challenge meeting themes are not here: managers keep those lists
(``ConcernCategory``, ``ChallengeTheme``), with the seed's lists as the defaults. The escalation
stages are a timescale setting (``TimescaleSettings.qa_escalation_stages``).
"""

from django.db import models


class AlertKind(models.TextChoices):
    GOOD_PRACTICE = "good_practice", "Good practice"
    CONCERN = "concern", "Concern"


class AlertContext(models.TextChoices):
    """Which service the child was known to when the alert was raised: worked out from the
    child's status on that day (in care, on a child protection plan), never typed in."""

    CHILD_IN_CARE = "cic", "Child in care"
    CHILD_PROTECTION = "cp", "Child protection"
    BOTH = "both", "Child in care and child protection"


class CategoryContext(models.TextChoices):
    """Which alerts a concern category is offered for: the seed keeps one list for children in
    care (5.9.4) and one for child protection (6.13); most categories are on both."""

    ANY = "any", "Children in care and child protection"
    CHILD_IN_CARE = "cic", "Children in care only"
    CHILD_PROTECTION = "cp", "Child protection only"


class AlertStatus(models.TextChoices):
    # A good practice alert is shared with the practitioner and their manager: nothing to answer.
    NOTED = "noted", "Good practice shared"
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class AlertOutcome(models.TextChoices):
    """How a concern ended."""

    RESOLVED_BY_RESPONSE = "resolved_by_response", "Resolved by the response"
    RESOLVED_ON_ESCALATION = "resolved_on_escalation", "Resolved after escalation"
    RESOLVED_AT_CHALLENGE_MEETING = "resolved_at_challenge_meeting", "Resolved at a challenge meeting"
    RESOLVED_THROUGH_CAFCASS = "resolved_through_cafcass", "Resolved with Cafcass"
    RESOLVED_THROUGH_LEGAL_ADVICE = (
        "resolved_through_legal_advice",
        "Resolved through independent legal advice",
    )
    WITHDRAWN = "withdrawn", "Withdrawn by the IRO"


class TransitionKind(models.TextChoices):
    """Every change in an alert's life, kept with who and when."""

    RAISED = "raised", "Raised"
    RESPONSE_RECORDED = "response_recorded", "Response recorded"
    RESPONSE_JUDGED = "response_judged", "Response judged"
    ESCALATED = "escalated", "Escalated by the IRO"
    STAGE_SKIPPED = "stage_skipped", "Escalated, skipping a stage"
    ESCALATED_AUTOMATICALLY = "escalated_automatically", "Escalated automatically: no response in time"
    ADDRESSED = "addressed", "Addressee named"
    REFERRED = "referred", "Referred"
    RESOLVED = "resolved", "Resolved"


class ReferralKind(models.TextChoices):
    """Beyond the council's own escalation (seed 5.9.8): the IRO may go to Cafcass or seek
    independent legal advice at any stage."""

    CAFCASS = "cafcass", "Cafcass (the Children's Guardian)"
    LEGAL_ADVICE = "legal_advice", "Independent legal advice"


class EmailKind(models.TextChoices):
    ADDRESSED = "addressed", "The alert, to the person it is addressed to"
    REMINDER = "reminder", "Reminder before the response is due"


class NoticeKind(models.TextChoices):
    """In-app notices for the IRO who raised an alert."""

    RESPONSE_RECEIVED = "response_received", "A response arrived through the email link"
    ESCALATED = "escalated", "The alert was escalated automatically"
    NO_ADDRESSEE = "no_addressee", "An escalation stage has no one to send it to"
    LAST_STAGE_OVERDUE = "last_stage_overdue", "The last stage is overdue"


# Stage 0 is the practitioner and their team manager the alert was raised to; escalation stages
# 1, 2, ... are the timescale setting's list.
FIRST_STAGE_NAME = "Practitioner and team manager"
