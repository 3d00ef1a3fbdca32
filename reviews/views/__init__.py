"""Pages of the reviews app: thin views over services and selectors. Every view of a child's
record is written to the access log.

One module per kind of page: ``lists`` (children in care, reviews to book), ``review_page``
(the care page and the review form), ``meetings_and_records`` and ``care_history`` (the small
form pages between reviews); ``_common`` holds what they share. ``reviews.urls`` reaches every
view as ``views.<name>``."""

from reviews.views._common import PAGE_SIZE
from reviews.views.care_history import (
    contact_record,
    episode_change,
    guardian_record,
    guardian_update,
    legal_advice_referral_record,
    legal_advice_referral_update,
    period_of_care_end,
    period_of_care_start,
    permanence_plan_record,
)
from reviews.views.lists import CARE_COLUMNS, TO_BOOK_COLUMNS, children_in_care, reviews_to_book
from reviews.views.meetings_and_records import (
    RECORD_COLUMNS,
    meeting_book,
    meeting_cancel,
    records_to_distribute,
)
from reviews.views.review_page import care_record, review_edit, review_record

__all__ = [
    "CARE_COLUMNS",
    "PAGE_SIZE",
    "RECORD_COLUMNS",
    "TO_BOOK_COLUMNS",
    "care_record",
    "children_in_care",
    "contact_record",
    "episode_change",
    "guardian_record",
    "guardian_update",
    "legal_advice_referral_record",
    "legal_advice_referral_update",
    "meeting_book",
    "meeting_cancel",
    "period_of_care_end",
    "period_of_care_start",
    "permanence_plan_record",
    "records_to_distribute",
    "review_edit",
    "review_record",
    "reviews_to_book",
]
