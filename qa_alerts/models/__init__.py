"""Models of the qa_alerts app. IRO quality-assurance alerts, responses, escalation stages and
challenge meetings (domain.md section 5; seed 5.9, 5.10 and 6.13).

Dates are facts; the due dates (``QaAlert.response_due``, ``AlertStage.due_on``) are a cache
written by one function, ``qa_alerts.services.alert_due_dates_refresh`` (through
``qa_alerts.due_dates``), so that lists and figures compare columns in SQL.

An alert's state changes only through the services, each under a row lock on the alert, and each
change is a row of ``AlertTransition`` (who, when, from which stage to which).

The models live in one module per part: ``alerts`` (the alert, its children, concerns and
stages), ``responses`` (what happens to it) and ``challenge`` (challenge meetings). Import them
from here: ``qa_alerts.models``.
"""

from qa_alerts.codes import (  # noqa: F401 (re-exported)
    FIRST_STAGE_NAME,
    AlertContext,
    AlertKind,
    AlertOutcome,
    AlertStatus,
    CategoryContext,
    EmailKind,
    NoticeKind,
    ReferralKind,
    TransitionKind,
)
from qa_alerts.models.alerts import (
    DESCRIPTION_LIMIT,
    NOTE_LIMIT,
    AlertChild,
    AlertConcern,
    AlertStage,
    ConcernCategory,
    QaAlert,
)
from qa_alerts.models.challenge import (
    ChallengeAction,
    ChallengeMeeting,
    ChallengeMeetingAlert,
    ChallengeMeetingCase,
    ChallengeMeetingTheme,
    ChallengeTheme,
)
from qa_alerts.models.responses import (
    AlertEmail,
    AlertNotice,
    AlertReferral,
    AlertResponse,
    AlertTransition,
    ResponseLink,
)

__all__ = [
    "DESCRIPTION_LIMIT",
    "NOTE_LIMIT",
    "AlertChild",
    "AlertConcern",
    "AlertEmail",
    "AlertNotice",
    "AlertReferral",
    "AlertResponse",
    "AlertStage",
    "AlertTransition",
    "ChallengeAction",
    "ChallengeMeeting",
    "ChallengeMeetingAlert",
    "ChallengeMeetingCase",
    "ChallengeMeetingTheme",
    "ChallengeTheme",
    "ConcernCategory",
    "QaAlert",
    "ResponseLink",
]
