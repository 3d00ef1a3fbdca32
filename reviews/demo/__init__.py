"""The demo county's children in care, 2014-15 to 2016-17: periods of care and their episodes,
LAC reviews (some in two parts, some around bank holidays), visits, permanence plans,
Children's Guardians and review records with the autumn 2016 backlog.

Deterministic (one fixed seed, children and reviews generated in a fixed order) and idempotent
(skipped when the demo children already have periods of care). The rows are generated in Python
first, with due dates from the same functions the services use (``reviews.due_dates``), then
written with ``bulk_create_with_history``: one INSERT per table, not one per review.

The figures the generator aims at are in ``PARAMETERS``; the counts it produced are printed so
that the next issue can tune them against seed-figures.md.

The package, in the order the loader runs:

- ``parameters``: the seed, the window, ``PARAMETERS`` and the weighted code lists;
- ``simulation``: ``Generator``, which plans the children, periods, episodes and reviews;
- ``calibration``: the moves that tune the figures and the paperwork, records and
  allocations set afterwards (``_Calibration``, which ``Generator`` inherits);
- ``writing``: ``load_demo``, the bulk writes with the cached due dates, the printed summary;
- ``_common``: what they share (the planned rows, the weighted draw, working days).
"""

from __future__ import annotations

from reviews.demo._common import PlannedChild, PlannedPeriod, PlannedReview
from reviews.demo.parameters import (
    CATEGORY_OF_NEED,
    FIRST_LEGAL_STATUS,
    GUARDIANS,
    PARAMETERS,
    PARTICIPATING,
    PLACEMENTS,
    PROVIDERS,
    SEED,
    WINDOW_END,
    WINDOW_START,
)
from reviews.demo.simulation import Generator
from reviews.demo.writing import load_demo

__all__ = [
    "CATEGORY_OF_NEED",
    "FIRST_LEGAL_STATUS",
    "GUARDIANS",
    "PARAMETERS",
    "PARTICIPATING",
    "PLACEMENTS",
    "PROVIDERS",
    "SEED",
    "WINDOW_END",
    "WINDOW_START",
    "Generator",
    "PlannedChild",
    "PlannedPeriod",
    "PlannedReview",
    "load_demo",
]
