"""What each role may do with QA alerts and challenge meetings."""

from iro_service.core.roles import Role

_READ = [
    f"qa_alerts.view_{model}"
    for model in (
        "qaalert",
        "alertchild",
        "alertconcern",
        "alertstage",
        "alertresponse",
        "alertreferral",
        "alerttransition",
        "concerncategory",
        "challengemeeting",
        "challengetheme",
        "challengeaction",
    )
]
# IROs raise alerts, escalate, refer and resolve them; IROs and business support record the
# responses that come in by email or phone.
_RESPOND = ["qa_alerts.record_alert_response"]
_IRO = ["qa_alerts.add_qaalert", "qa_alerts.escalate_qaalert"]
# Managers also watch the board, keep the lists and record challenge meetings.
_BOARD = ["qa_alerts.view_alert_board"]
_MANAGE = [
    "qa_alerts.manage_alert_lists",
    "qa_alerts.add_challengemeeting",
    "qa_alerts.change_challengemeeting",
]

ROLE_PERMISSIONS = {
    Role.IRO: [*_READ, *_RESPOND, *_IRO],
    Role.IRO_MANAGER: [*_READ, *_RESPOND, *_IRO, *_BOARD, *_MANAGE],
    Role.BUSINESS_SUPPORT: [*_READ, *_RESPOND],
    Role.SENIOR_MANAGER: [*_READ, *_BOARD],
    Role.API_CLIENT: _READ,
}
