"""Pages of the qa_alerts app: thin views over services and selectors. Every page that shows
children's details writes one access-log row per child shown.

One module per part of the app: ``alerts`` (raising an alert and its page, with the changes
made from it), ``lists`` (the hub, my alerts, the board, the lists managers keep),
``challenge`` (challenge meetings) and ``public`` (the response link, for people without an
account); the private helpers they share are in ``_common``.
"""

from qa_alerts.views.alerts import (
    address,
    alert_detail,
    escalate,
    raise_for_child,
    raise_for_conference,
    raise_for_review,
    refer,
    resolve,
    response_judge,
    response_record,
)
from qa_alerts.views.challenge import (
    challenge_action_add,
    challenge_action_complete,
    challenge_add,
    challenge_detail,
    challenge_edit,
    challenge_list,
)
from qa_alerts.views.lists import (
    board,
    board_csv,
    categories,
    category_edit,
    index,
    my_alerts,
    notices_read,
    stages,
    theme_edit,
    themes,
)
from qa_alerts.views.public import respond

__all__ = [
    "address",
    "alert_detail",
    "board",
    "board_csv",
    "categories",
    "category_edit",
    "challenge_action_add",
    "challenge_action_complete",
    "challenge_add",
    "challenge_detail",
    "challenge_edit",
    "challenge_list",
    "escalate",
    "index",
    "my_alerts",
    "notices_read",
    "raise_for_child",
    "raise_for_conference",
    "raise_for_review",
    "refer",
    "resolve",
    "respond",
    "response_judge",
    "response_record",
    "stages",
    "theme_edit",
    "themes",
]
