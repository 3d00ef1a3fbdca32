"""How dates read in the messages people see: "4 April 2016", as GOV.UK writes them (no
leading zero, the month in full)."""

from __future__ import annotations

from datetime import date


def long_date(day: date) -> str:
    """A date as people write it: 4 April 2016."""
    return f"{day.day} {day:%B %Y}"
