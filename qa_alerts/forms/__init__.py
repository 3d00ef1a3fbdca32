"""Forms for the qa_alerts app's pages. Rules live in the services; these forms only turn what was
typed into values and say which field is wrong, in GOV.UK words that name the field.

One module per part of the app, as its views are: ``alerts`` (an alert's own pages), ``lists``
(the board and the lists managers keep), ``challenge`` (challenge meetings) and ``public`` (the
response link); the field builders they share are in ``_common``. Import them from here:
``qa_alerts.forms``.
"""

from qa_alerts.forms._common import (
    YES_NO,
    date_field,
    email_field,
    long_text,
    text_field,
)
from qa_alerts.forms.alerts import (
    AddressForm,
    AlertRaiseForm,
    EscalateForm,
    JudgeForm,
    ReferForm,
    ResolveForm,
    ResponseForm,
)
from qa_alerts.forms.challenge import (
    ActionCompleteForm,
    ChallengeActionForm,
    ChallengeMeetingForm,
)
from qa_alerts.forms.lists import (
    BoardFilterForm,
    CategoryForm,
    StagesForm,
    ThemeForm,
)
from qa_alerts.forms.public import (
    LinkResponseForm,
)

__all__ = [
    "YES_NO",
    "ActionCompleteForm",
    "AddressForm",
    "AlertRaiseForm",
    "BoardFilterForm",
    "CategoryForm",
    "ChallengeActionForm",
    "ChallengeMeetingForm",
    "EscalateForm",
    "JudgeForm",
    "LinkResponseForm",
    "ReferForm",
    "ResolveForm",
    "ResponseForm",
    "StagesForm",
    "ThemeForm",
    "date_field",
    "email_field",
    "long_text",
    "text_field",
]
