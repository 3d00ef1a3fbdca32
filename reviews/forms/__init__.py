"""Forms for the reviews app's pages, one module per part of the app (as its views are). They
check the shape of what was typed; the rules (dates against the period of care, participation
against age, ...) are in the services, whose messages the views put back against the field.
Every name is importable from ``reviews.forms`` as before the split."""

from iro_service.core.error_messages import DATE_INVALID
from iro_service.core.forms import date_field, date_from_post
from iro_service.core.widgets import DATE_INPUT_FORMATS as DATE_FORMATS
from reviews.forms._common import VersionedForm
from reviews.forms.between_reviews import (
    GuardianDatesForm,
    GuardianForm,
    LegalAdviceOutcomeForm,
    LegalAdviceReferralForm,
    PermanencePlanForm,
)
from reviews.forms.care_history import (
    CodeChoiceField,
    EpisodeChangeForm,
    PeriodOfCareEndForm,
    PeriodOfCareStartForm,
    code_field,
)
from reviews.forms.lists import ChildrenInCareFilterForm, RecordsFilterForm, ReviewsToBookFilterForm
from reviews.forms.meetings_and_records import ContactForm, DistributeForm, MeetingBookForm, MeetingCancelForm
from reviews.forms.review_page import BaseReviewPartFormSet, ReviewForm, ReviewPartForm, ReviewPartFormSet

__all__ = [
    "DATE_FORMATS",
    "DATE_INVALID",
    "BaseReviewPartFormSet",
    "ChildrenInCareFilterForm",
    "CodeChoiceField",
    "ContactForm",
    "DistributeForm",
    "EpisodeChangeForm",
    "GuardianDatesForm",
    "GuardianForm",
    "LegalAdviceOutcomeForm",
    "LegalAdviceReferralForm",
    "MeetingBookForm",
    "MeetingCancelForm",
    "PeriodOfCareEndForm",
    "PeriodOfCareStartForm",
    "PermanencePlanForm",
    "RecordsFilterForm",
    "ReviewForm",
    "ReviewPartForm",
    "ReviewPartFormSet",
    "ReviewsToBookFilterForm",
    "VersionedForm",
    "code_field",
    "date_field",
    "date_from_post",
]
