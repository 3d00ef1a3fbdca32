"""Writes for the reviews app: workflows that change its models, named <entity>_<action>.

Every change to a dated fact (an episode, a review's part 1) ends with
``period_due_dates_refresh``, the one function that writes the cached due dates.
Each service validates everything first and raises ``ValidationError({field: message})``
before writing anything, inside a transaction, so bad input changes nothing.

One module per seam: ``refresh`` (the cached due dates), ``periods`` (periods of care and
episodes), ``lac_reviews``, ``records`` (distribution), ``meetings``, ``between_reviews``
(contacts, plans, guardians, legal advice) and ``reminders``; ``_common`` holds what they share.
Every public name is importable from ``reviews.services`` itself.
"""

from reviews.services.between_reviews import (
    cafcass_involvement_record,
    cafcass_involvement_update,
    iro_contact_record,
    legal_advice_referral_record,
    legal_advice_referral_update,
    permanence_plan_record,
)
from reviews.services.lac_reviews import PartInput, lac_review_record, lac_review_update, participation_error
from reviews.services.meetings import review_meeting_book, review_meeting_cancel
from reviews.services.periods import episode_change, period_of_care_end, period_of_care_start
from reviews.services.records import review_records_distribute
from reviews.services.refresh import due_dates_refresh_all, due_dates_sweep_nightly, period_due_dates_refresh
from reviews.services.reminders import iro_reminders_send

__all__ = [
    "PartInput",
    "cafcass_involvement_record",
    "cafcass_involvement_update",
    "due_dates_refresh_all",
    "due_dates_sweep_nightly",
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
