"""Reads for the reviews app: one named query per screen, owning its joins, with a fixed number
of queries whatever the number of rows.

The selectors live in one module per part of the work: ``lists`` (the list screens),
``care_record`` (a child's record and the review a page edits), ``reminders``, ``figures`` (for
the figures service), ``return_quality`` (the DfE's rules on saved records) and ``qa_alerts``
(for the QA alerts app). Import them from here:
``reviews.selectors``.
"""

from reviews.selectors._common import (
    due_soon_limit,
)
from reviews.selectors.care_record import (
    LAC_REVIEW_EDITABLE_FIELDS,
    TimelineEntry,
    care_record,
    lac_review_editable_values,
    review_for_edit,
    review_meeting_for_page,
    review_with_child,
)
from reviews.selectors.figures import (
    cafcass_involvements_for_figures,
    child_in_care_on,
    in_care_on,
    iro_allocated_on,
    lac_reviews_for_figures,
    legal_advice_referrals_for_figures,
    legal_status_on,
    period_allocated_on,
    periods_in_care_on,
    periods_of_care_for_figures,
    periods_of_care_of,
    review_due_on,
)
from reviews.selectors.lists import (
    children_in_care,
    codes_in_year,
    records_to_distribute,
    reviews_to_book,
)
from reviews.selectors.qa_alerts import (
    children_in_care_on,
    guardians_of_children,
    legal_advice_referrals_of_children,
)
from reviews.selectors.reminders import (
    IroReminderList,
    RecordsOverdue,
    iro_reminders,
    records_overdue_by_iro,
)
from reviews.selectors.retention import (
    CareFacts,
    care_facts_by_child,
)
from reviews.selectors.return_quality import (
    ReturnQualityRow,
    period_dfe_warnings,
    return_quality_rows,
)

__all__ = [
    "LAC_REVIEW_EDITABLE_FIELDS",
    "CareFacts",
    "IroReminderList",
    "RecordsOverdue",
    "ReturnQualityRow",
    "TimelineEntry",
    "cafcass_involvements_for_figures",
    "care_facts_by_child",
    "care_record",
    "child_in_care_on",
    "children_in_care",
    "children_in_care_on",
    "codes_in_year",
    "due_soon_limit",
    "guardians_of_children",
    "in_care_on",
    "iro_allocated_on",
    "iro_reminders",
    "lac_review_editable_values",
    "lac_reviews_for_figures",
    "legal_advice_referrals_for_figures",
    "legal_advice_referrals_of_children",
    "legal_status_on",
    "period_allocated_on",
    "period_dfe_warnings",
    "periods_in_care_on",
    "periods_of_care_for_figures",
    "periods_of_care_of",
    "records_overdue_by_iro",
    "records_to_distribute",
    "return_quality_rows",
    "review_due_on",
    "review_for_edit",
    "review_meeting_for_page",
    "review_with_child",
    "reviews_to_book",
]
