"""Writes for the reviews app: workflows that change its models, named <entity>_<action>.

Every change to a dated fact (an episode, a review's part 1) ends with
``period_due_dates_refresh``, the one function that writes the cached due dates.
Each service validates everything first and raises ``ValidationError({field: message})``
before writing anything, inside a transaction, so bad input changes nothing.
"""

from reviews.services.lac_reviews import (
    PartInput,
    cafcass_involvement_record,
    cafcass_involvement_update,
    due_dates_refresh_all,
    episode_change,
    iro_contact_record,
    iro_reminders_send,
    lac_review_record,
    lac_review_update,
    legal_advice_referral_record,
    legal_advice_referral_update,
    participation_error,
    period_due_dates_refresh,
    period_of_care_end,
    period_of_care_start,
    permanence_plan_record,
    review_meeting_book,
    review_meeting_cancel,
    review_records_distribute,
)

__all__ = [
    "PartInput",
    "cafcass_involvement_record",
    "cafcass_involvement_update",
    "due_dates_refresh_all",
    "episode_change",
    "iro_contact_record",
    "iro_reminders_send",
    "lac_review_record",
    "lac_review_update",
    "legal_advice_referral_record",
    "legal_advice_referral_update",
    "participation_error",
    "period_due_dates_refresh",
    "period_of_care_end",
    "period_of_care_start",
    "permanence_plan_record",
    "review_meeting_book",
    "review_meeting_cancel",
    "review_records_distribute",
]
