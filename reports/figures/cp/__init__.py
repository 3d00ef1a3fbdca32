"""Child protection figures (docs/figures.md, "Child protection" table).

Every figure is one database aggregate over a conferences selector: conditional counts
(``Count(..., filter=Q(...))``) comparing the cached due-date columns in SQL, so the number of
queries never depends on how many conferences or plans there are.

Filters: conference figures filter on the conference's chair (``chair__team_id`` / ``chair_id``).
Plan figures filter on the chair of the child's most recent held conference on or before the day
that matters: ``end`` for figures "at end", each quarter end for the series, the plan's start
(or end) date for plans started (or ended) in the period.

The figures live in the modules of this package, one per part of the table: ``conferences``
(held, stood down, in time), ``paperwork``, ``attendance`` (chairs, agencies, appeals),
``plans`` and ``characteristics`` (the children on a plan); what they share is in ``_common``.
They register in the order they are imported below, which is the order of the table.
"""

# The order of these imports is the registry's order, and so docs/figures.md's.
# isort: off
from reports.figures.cp import conferences  # noqa: F401 - registers its figures
from reports.figures.cp import paperwork  # noqa: F401 - registers its figures
from reports.figures.cp import attendance  # noqa: F401 - registers its figures
from reports.figures.cp import plans  # noqa: F401 - registers its figures
from reports.figures.cp import characteristics  # noqa: F401 - registers its figures

# isort: on
from reports.figures.cp._common import (
    AGE_BANDS,
    CONFERENCE_ROWS_NEED,
    ICPC_TIMESCALE_TYPES,
    PLAN_ROWS_NEED,
    REVIEW_STAGE_VALUES,
    REVIEW_TYPES,
    SECTION,
    SHORT_PLAN_MONTHS,
)
from reports.figures.cp.attendance import (
    cp_agency_attendance,
    cp_appeals,
    cp_chair_continuity,
)
from reports.figures.cp.characteristics import (
    cp_categories_at_end,
    cp_children_by_age,
    cp_children_by_ethnicity,
    cp_children_by_sex,
    cp_children_with_disability,
)
from reports.figures.cp.conferences import (
    UNMEASURABLE_IMPORTED,
    cp_conferences_by_type,
    cp_conferences_held,
    cp_conferences_stood_down,
    cp_stood_down_reasons,
    icpc_on_time,
    icpc_within_15wd_of_s47,
    rcpc_on_time,
)
from reports.figures.cp.paperwork import (
    PAPERWORK_NOT_IMPORTED,
    cp_records_on_time,
    icpc_chair_reports_on_time,
    icpc_parent_reports_on_time,
    rcpc_reports_on_time,
)
from reports.figures.cp.plans import (
    cp_multiple_categories,
    cp_plans_at_end,
    cp_plans_ended,
    cp_plans_ended_2_years_plus,
    cp_plans_ended_under_3_months,
    cp_plans_open_2_years_plus,
    cp_plans_open_9_months_plus,
    cp_plans_started,
    cp_repeat_plans,
    cp_repeat_plans_2y,
)

__all__ = [
    "AGE_BANDS",
    "CONFERENCE_ROWS_NEED",
    "ICPC_TIMESCALE_TYPES",
    "PAPERWORK_NOT_IMPORTED",
    "PLAN_ROWS_NEED",
    "REVIEW_STAGE_VALUES",
    "REVIEW_TYPES",
    "SECTION",
    "SHORT_PLAN_MONTHS",
    "UNMEASURABLE_IMPORTED",
    "cp_agency_attendance",
    "cp_appeals",
    "cp_categories_at_end",
    "cp_chair_continuity",
    "cp_children_by_age",
    "cp_children_by_ethnicity",
    "cp_children_by_sex",
    "cp_children_with_disability",
    "cp_conferences_by_type",
    "cp_conferences_held",
    "cp_conferences_stood_down",
    "cp_multiple_categories",
    "cp_plans_at_end",
    "cp_plans_ended",
    "cp_plans_ended_2_years_plus",
    "cp_plans_ended_under_3_months",
    "cp_plans_open_2_years_plus",
    "cp_plans_open_9_months_plus",
    "cp_plans_started",
    "cp_records_on_time",
    "cp_repeat_plans",
    "cp_repeat_plans_2y",
    "cp_stood_down_reasons",
    "icpc_chair_reports_on_time",
    "icpc_on_time",
    "icpc_parent_reports_on_time",
    "icpc_within_15wd_of_s47",
    "rcpc_on_time",
    "rcpc_reports_on_time",
]
