"""The demo county's child protection work, 2014-04-01 to 2017-03-31 (with a warm-up from July
2013 so that plans are open when the demo years begin, and carried on to the day it is
loaded): families of siblings, pre-birth and combined conferences, stood-down conferences with
the seed's reasons (6.7), plans, reports, records and appeals (6.14).

Each family is simulated on its own through time from the parameter table ``YEARS`` and the
probabilities below, for a pool of candidates; ``_select`` keeps the families whose records give
the seed's counts (``TARGETS``) and ``_categories`` chooses which plans have several categories.
Tune the probabilities to move the figures, then read the summary this prints.
Deterministic (fixed seed), idempotent (skips when the demo families exist), synthetic, and
fast: rows are built in memory and written with ``bulk_create_with_history``; the cached due
dates are worked out first with the same functions the refresh service uses (a test checks
that the service would change nothing).

The package, in the order the loader runs:

- ``parameters``: the tuning table (``YEARS``, ``TARGETS``) and the probabilities;
- ``simulation``: each candidate family's life through time (``_Simulation``);
- ``calibration``: choosing the families (``_select``) and the rates fixed afterwards;
- ``continuation``: the chosen families carried on from 1 April 2017 to the day the demo is
  loaded, with new families each year and the next conferences booked (``continue_to``);
- ``writing``: the cached due dates, the bulk writes, the appeals, ``demo_figures`` and
  ``load_demo``;
- ``_common``: what they share (``Built``, the weighted draw, the reporting year).
"""

from __future__ import annotations

from conferences.demo._common import Built

# Private, imported by the tests of the calibration.
from conferences.demo.calibration import _exact_subset as _exact_subset
from conferences.demo.calibration import _multiple_per_run as _multiple_per_run
from conferences.demo.parameters import (
    AGE_BANDS,
    AGENCIES_ALWAYS,
    APPEALS,
    CATEGORIES,
    CATEGORIES_BEFORE,
    COMBINED_WEIGHT,
    END_REASONS,
    FAMILY_PREFIX,
    FIRST_DAY,
    ICPC_IN_TIME,
    LAST_DAY,
    MULTIPLE_CATEGORIES_UNTIL,
    NEWCOMER_RATES_2015,
    P_CHAIR_REPORT_IN_TIME,
    P_EARLIER_PLAN_DECLARED,
    P_END_AT_FIRST_REVIEW,
    P_END_AT_LATER_REVIEW,
    P_END_MULTIPLE_REVIEWED,
    P_ICPC_IN_TIME,
    P_NEW_SIBLING_AT_REVIEW,
    P_PARENT_REPORT_IN_TIME,
    P_PLAN_AT_INITIAL,
    P_RETURN_AFTER_PLANS_END,
    P_SAME_CHAIR,
    PARENT_REPORTS_IN_TIME,
    POOL_EXTRA,
    POOL_FACTOR,
    REPEAT_PLANS,
    SEED,
    SELECT_MOVES,
    SIBLINGS,
    STOOD_DOWN_PER_YEAR,
    STOOD_DOWN_REASONS,
    SUBSET_SEARCH_NODES,
    TARGET_WEIGHTS,
    TARGETS,
    WARM_UP,
    YEARS,
)
from conferences.demo.simulation import SimChild
from conferences.demo.writing import demo_figures, load_demo

__all__ = [
    "AGENCIES_ALWAYS",
    "AGE_BANDS",
    "APPEALS",
    "CATEGORIES",
    "CATEGORIES_BEFORE",
    "COMBINED_WEIGHT",
    "END_REASONS",
    "FAMILY_PREFIX",
    "FIRST_DAY",
    "ICPC_IN_TIME",
    "LAST_DAY",
    "MULTIPLE_CATEGORIES_UNTIL",
    "NEWCOMER_RATES_2015",
    "PARENT_REPORTS_IN_TIME",
    "POOL_EXTRA",
    "POOL_FACTOR",
    "P_CHAIR_REPORT_IN_TIME",
    "P_EARLIER_PLAN_DECLARED",
    "P_END_AT_FIRST_REVIEW",
    "P_END_AT_LATER_REVIEW",
    "P_END_MULTIPLE_REVIEWED",
    "P_ICPC_IN_TIME",
    "P_NEW_SIBLING_AT_REVIEW",
    "P_PARENT_REPORT_IN_TIME",
    "P_PLAN_AT_INITIAL",
    "P_RETURN_AFTER_PLANS_END",
    "P_SAME_CHAIR",
    "REPEAT_PLANS",
    "SEED",
    "SELECT_MOVES",
    "SIBLINGS",
    "STOOD_DOWN_PER_YEAR",
    "STOOD_DOWN_REASONS",
    "SUBSET_SEARCH_NODES",
    "TARGETS",
    "TARGET_WEIGHTS",
    "WARM_UP",
    "YEARS",
    "Built",
    "SimChild",
    "demo_figures",
    "load_demo",
]
