"""How the messages people see read: dates as "4 April 2016", as GOV.UK writes them (no
leading zero, the month in full), and how much of a list an email names."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

# The most lines of one list that a reminder email names; the page it points to has the rest.
# An email is copied and forwarded out of the service's reach: it names as few children as it
# can (UK GDPR, data minimisation), and a list of 90 is not read anyway.
EMAIL_LIST_MOST = 20


def long_date(day: date) -> str:
    """A date as people write it: 4 April 2016."""
    return f"{day.day} {day:%B %Y}"


def first_and_more(items: Sequence, most: int = EMAIL_LIST_MOST) -> tuple[Sequence, int]:
    """The first ``most`` of ``items`` for an email to list, and how many it leaves out."""
    return items[:most], max(0, len(items) - most)
