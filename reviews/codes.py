"""Choices of the reviews app that are fixed by law or by this service, not by the DfE's yearly
code lists (those are data: see ``models.Code``)."""

from django.db import models


class CodeListName(models.TextChoices):
    """The SSDA903 code lists kept as data, by collection year."""

    LS = "LS", "Legal status"
    RNE = "RNE", "Reason for new episode"
    CIN = "CIN", "Category of need"
    PLACE = "PLACE", "Placement type"
    REC = "REC", "Reason episode ceased"
    REASON_PLACE_CHANGE = "REASON_PLACE_CHANGE", "Reason for placement change"
    PLACE_PROVIDER = "PLACE_PROVIDER", "Placement provider"
    REVIEW_CODE = "REVIEW_CODE", "Participation in review"


class ParticipationCode(models.TextChoices):
    """SSDA903 REVIEW_CODE. PN0 if and only if the child is under 4 on the review date."""

    PN0 = "PN0", "PN0: child under 4 at the time of the review"
    PN1 = "PN1", "PN1: attends and speaks for self"
    PN2 = "PN2", "PN2: attends, an advocate speaks for the child"
    PN3 = "PN3", "PN3: attends, conveys views non-verbally"
    PN4 = "PN4", "PN4: attends, does not contribute"
    PN5 = "PN5", "PN5: absent, briefs someone to speak for them"
    PN6 = "PN6", "PN6: absent, conveys views another way"
    PN7 = "PN7", "PN7: absent, views not conveyed"


# Legal statuses that mean a short-break placement (a period of these only has its own cycle).
SHORT_BREAK_LEGAL_STATUSES = frozenset({"V3", "V4"})
# The reason for new episode that starts a period of care.
STARTS_PERIOD = "S"
# The reason ceased for an episode that ends while the child stays looked after.
STAYS_IN_CARE = "X1"


class MeetingStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"
    REBOOKED = "rebooked", "Moved to another date"


class ContactKind(models.TextChoices):
    VISIT = "visit", "Visit"
    PHONE = "phone", "Phone call"
    VIDEO = "video", "Video call"
    OTHER = "other", "Other contact"


class PermanencePlanType(models.TextChoices):
    RETURN_HOME = "return_home", "Return home to parents"
    FAMILY_CARE = "family_care", "Care by wider family or friends"
    SPECIAL_GUARDIANSHIP = "special_guardianship", "Special guardianship"
    CHILD_ARRANGEMENTS = "child_arrangements", "Child arrangements order"
    ADOPTION = "adoption", "Adoption"
    LONG_TERM_FOSTERING = "long_term_fostering", "Long-term fostering"
    RESIDENTIAL = "residential", "Residential care"
    INDEPENDENCE = "independence", "Independent living"


class CareStatus(models.TextChoices):
    """The red/amber/green status of a child's next review, always shown with its words."""

    OVERDUE = "overdue", "Overdue"
    DUE_SOON = "due_soon", "Due soon"
    ON_TRACK = "on_track", "Not due yet"
