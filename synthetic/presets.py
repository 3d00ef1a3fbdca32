"""The sizes the generator knows, and the ten years every preset covers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# Ten collection years, 2016-17 to 2025-26: every date written falls inside them, so that the
# data is the same whenever it is generated (and never in the future).
FIRST_DAY = date(2016, 4, 1)
LAST_DAY = date(2026, 3, 31)

# Families written (and committed) together: bounds the rows held in memory.
CHUNK_FAMILIES = 2000


@dataclass(frozen=True)
class Preset:
    name: str
    children: int


PRESETS = {
    # A county: about 2,000 children known to the IRO service over ten years.
    "county": Preset("county", 2_000),
    # England: about 82,000 children in care and 49,000 on plans at any time; 500,000 children
    # over ten years gives about 2.5 million reviews and 1.7 million conferences.
    "national": Preset("national", 500_000),
}
