"""The table of who may reach what: every page and every API endpoint, with the record its
URL is about, the roles whose request succeeds and what they get. The permission matrix
(``test_permission_matrix.py``) requests every URL the URL configuration and the API router
have, as every role and anonymously, with a record the role may reach and with one it may not
(a child's record restricted to named staff), and compares every answer with this table. A
URL with no row here fails the matrix, naming it.

To add a page: one line in ``PAGES`` of ``tests/core/test_every_page.py`` (the walk of every
page reads the same table). To add an API endpoint: one line in ``ENDPOINTS`` below, by the
route's name. If the page or endpoint changes a review or a conference, add it to
``CHAIR_OR_IRO_ONLY`` too. If it lists or shows something that is not a child's record (a
setting, a code list), name its record in ``NOT_ABOUT_A_CHILD``."""

from __future__ import annotations

from dataclasses import dataclass

from tests.core.test_every_page import (
    ASSESSMENT_RECORDERS,
    HIDDEN,
    HSB_READERS,
    HSB_WORK,
    IRO_WORK,
    MANAGERS,
    PAGES,
    PUBLIC,
    READERS,
    SUPPORT_WORK,
)

# The roles of tests/conftest.py, plus an IRO who neither chairs the county's reviews and
# conferences nor is the IRO of its children ("another IRO", who covers on duty).
ROLES = [
    "iro_user",
    "other_iro_user",
    "manager_user",
    "support_user",
    "senior_user",
    "api_user",
    "no_role_user",
    "anonymous",
]
# The API client account cannot sign in to the web pages; it is a role of the API only.
PAGE_ROLES = [role for role in ROLES if role != "api_user"]
# The IRO and the other IRO hold the same role: whatever the IRO may open, so may the other.
SAME_ROLE = {"other_iro_user": "iro_user"}

# Records changed only by the review's or conference's chair, the child's current IRO,
# business support or a manager: another IRO is refused (403, with the reason).
CHAIR_OR_IRO_ONLY = {
    "reviews:review-edit",
    "conferences:conference-record",
    "conference-record",
    # An answer given before a conference, put on the child's views on its record.
    "consultations:answer-to-conference-record",
    # A safety notice is acknowledged by whom it was sent to (the chair here) or a manager.
    "consultations:safety-notice-acknowledge",
}

# The pages where managers keep the restrictions: they reach a restricted child's restriction
# (and see whose it is) even when not named on it, or a restriction naming only staff who have
# left could never be lifted. They are the only pages that name a restricted child to others.
KEEP_RESTRICTIONS = {
    "people:restricted-children",
    "people:child-restriction",
    "people:child-restriction-lift",
}

# Records of the county's pages that are about no child (or about a household, whose page
# stays open with the restricted child left out of it): the same answers with the child
# restricted as without.
NOT_ABOUT_A_CHILD = {
    None,
    "family",
    "non_working_day",
    "data_exchange",
    "category",
    "theme",
    "challenge_meeting",
    "challenge_action",
    "training_record",
    # A response link is for a practitioner outside the council, who has no account: the
    # signed, single-use link is what lets them answer (see docs/security.md).
    "response_token",
    # The same for a consultation link: a child or parent without an account answers with it.
    "consultation_token",
    "question",
    # A member of staff's access history is about them; the children it lists are by child ID only.
    "chair_user",
    # Comparators and the annual report are about the service, not one child.
    "comparator",
    "annual_version",
    "annual_text",
    "annual_recommendation",
    "annual_progress",
    "annual_run",
}


@dataclass(frozen=True)
class Row:
    """What one URL answers: the record in its URL, the method the matrix requests it with,
    the roles it serves and their status; everyone else signed in gets ``refused`` (403, or
    404 where the record's existence is itself hidden, as for HSB records)."""

    record: str | None
    method: str
    allowed: frozenset[str]
    status: int
    refused: int = 403
    # Roles refused with 404 rather than 403 (the HSB records hide themselves).
    hidden_from: frozenset[str] = frozenset()
    api: bool = False


API_READERS = READERS | {"api_user"}

# The API: route name -> (the record in the URL, method, roles allowed, their status).
# A POST of an empty body to an action is refused for want of permission (403), or is bad
# input naming the fields (400) for those allowed; a record they may not reach is a 404.
ENDPOINTS: dict[str, tuple[str | None, str, set[str], int]] = {
    "child-list": (None, "GET", API_READERS, 200),
    "child-detail": ("child", "GET", API_READERS, 200),
    "family-list": (None, "GET", API_READERS, 200),
    "family-detail": ("family", "GET", API_READERS, 200),
    "period-of-care-list": (None, "GET", API_READERS, 200),
    "period-of-care-detail": ("period", "GET", API_READERS, 200),
    "period-of-care-end": ("period", "POST", SUPPORT_WORK, 400),
    "episode-list": (None, "GET", API_READERS, 200),
    "episode-detail": ("episode", "GET", API_READERS, 200),
    "lac-review-list": (None, "GET", API_READERS, 200),
    "lac-review-distribute-records": (None, "POST", SUPPORT_WORK, 400),
    "lac-review-detail": ("review", "GET", API_READERS, 200),
    "review-meeting-list": (None, "GET", API_READERS, 200),
    "review-meeting-detail": ("meeting", "GET", API_READERS, 200),
    "review-meeting-cancel": ("meeting", "POST", SUPPORT_WORK, 400),
    "iro-contact-list": (None, "GET", API_READERS, 200),
    "iro-contact-detail": ("contact", "GET", API_READERS, 200),
    "permanence-plan-list": (None, "GET", API_READERS, 200),
    "permanence-plan-detail": ("permanence_plan", "GET", API_READERS, 200),
    "cafcass-involvement-list": (None, "GET", API_READERS, 200),
    "cafcass-involvement-detail": ("guardian", "GET", API_READERS, 200),
    "legal-advice-referral-list": (None, "GET", API_READERS, 200),
    "legal-advice-referral-detail": ("referral", "GET", API_READERS, 200),
    "conference-list": (None, "GET", API_READERS, 200),
    "conference-detail": ("held_conference", "GET", API_READERS, 200),
    "conference-record": ("booked_conference", "POST", IRO_WORK, 400),
    "conference-record-distribution": ("held_conference", "POST", SUPPORT_WORK, 400),
    "conference-reports": ("booked_conference", "POST", SUPPORT_WORK, 400),
    "conference-stand-down": ("booked_conference", "POST", SUPPORT_WORK, 400),
    "cp-plan-list": (None, "GET", API_READERS, 200),
    "cp-plan-detail": ("cp_plan", "GET", API_READERS, 200),
    "strategy-discussion-list": (None, "GET", API_READERS, 200),
    "strategy-discussion-detail": ("strategy_discussion", "GET", API_READERS, 200),
    "section-47-enquiry-list": (None, "GET", API_READERS, 200),
    "section-47-enquiry-detail": ("section47_enquiry", "GET", API_READERS, 200),
    "section-47-enquiry-assessment": ("section47_enquiry", "POST", ASSESSMENT_RECORDERS, 400),
    "agency-invitation-list": (None, "GET", API_READERS, 200),
    "agency-invitation-detail": ("agency_invitation", "GET", API_READERS, 200),
    "appeal-list": (None, "GET", API_READERS, 200),
    "appeal-detail": ("appeal", "GET", API_READERS, 200),
    "hsb-referral-list": (None, "GET", HSB_READERS, 200),
    "hsb-referral-detail": ("hsb_referral", "GET", HSB_READERS, 200),
    "hsb-referral-threshold-decision": ("hsb_referral", "POST", HSB_WORK, 400),
    "hsb-meeting-list": (None, "GET", HSB_READERS, 200),
    "hsb-meeting-detail": ("hsb_meeting", "GET", HSB_READERS, 200),
    "hsb-meeting-record-dates": ("hsb_meeting", "POST", HSB_WORK, 400),
    "hsb-assessment-list": (None, "GET", HSB_READERS, 200),
    "hsb-assessment-detail": ("hsb_assessment", "GET", HSB_READERS, 200),
    "hsb-training-record-list": (None, "GET", HSB_READERS, 200),
    "hsb-training-record-detail": ("training_record", "GET", HSB_READERS, 200),
    "qa-alert-list": (None, "GET", API_READERS, 200),
    "qa-alert-detail": ("alert", "GET", API_READERS, 200),
    "qa-alert-escalate": ("alert", "POST", IRO_WORK, 400),
    "qa-alert-refer": ("alert", "POST", IRO_WORK, 400),
    "qa-alert-resolve": ("alert", "POST", IRO_WORK, 400),
    "qa-alert-responses": ("alert", "POST", READERS - {"senior_user"}, 400),
    "qa-alert-response-list": (None, "GET", API_READERS, 200),
    "qa-alert-response-detail": ("alert_response", "GET", API_READERS, 200),
    "qa-alert-response-judge": ("alert_response", "POST", IRO_WORK, 400),
    "qa-alert-transition-list": (None, "GET", API_READERS, 200),
    "qa-alert-transition-detail": ("alert_transition", "GET", API_READERS, 200),
    "challenge-meeting-list": (None, "GET", API_READERS, 200),
    "challenge-meeting-detail": ("challenge_meeting", "GET", API_READERS, 200),
    "challenge-meeting-actions": ("challenge_meeting", "POST", MANAGERS, 400),
    "challenge-action-list": (None, "GET", API_READERS, 200),
    "challenge-action-detail": ("challenge_action", "GET", API_READERS, 200),
    "challenge-action-complete": ("challenge_action", "POST", MANAGERS, 400),
    "figures": (None, "GET", API_READERS, 200),
    "figure-keys": (None, "GET", API_READERS, 200),
    "figure-definitions": (None, "GET", API_READERS, 200),
    "figure-series": ("figure_key", "GET", API_READERS, 200),
    "figure-records": ("figure_key", "GET", API_READERS, 200),
    "api-schema": (None, "GET", API_READERS | {"no_role_user"}, 200),
    "api-docs": (None, "GET", API_READERS | {"no_role_user"}, 200),
}
# API routes about HSB records: refused with 404 to those who may see none.
HSB_ENDPOINTS = {name for name in ENDPOINTS if name.startswith("hsb-")}
# Records of the API rows that are about no child (the figure key is a figure's name).
NOT_ABOUT_A_CHILD |= {"figure_key"}


def _with_same_roles(name: str, allowed: set[str]) -> set[str]:
    allowed = set(allowed)
    for role, same in SAME_ROLE.items():
        if same in allowed and name not in CHAIR_OR_IRO_ONLY:
            allowed.add(role)
    return allowed


def _page_row(name: str, record, allowed: set[str], status: int) -> Row:
    allowed = _with_same_roles(name, allowed)
    hidden = set(PAGE_ROLES) - {"anonymous"} - HIDDEN[name] if name in HIDDEN else set()
    return Row(record, "GET", frozenset(allowed), status, hidden_from=frozenset(hidden))


def _endpoint_row(name: str, record, method: str, allowed: set[str], status: int) -> Row:
    allowed = _with_same_roles(name, allowed)
    hidden = set(ROLES) - {"anonymous"} - HSB_READERS if name in HSB_ENDPOINTS else set()
    return Row(record, method, frozenset(allowed), status, hidden_from=frozenset(hidden), api=True)


# The one table: every page and every endpoint, by URL name.
MATRIX: dict[str, Row] = {
    **{name: _page_row(name, record, allowed, status) for name, (record, allowed, status) in PAGES.items()},
    **{name: _endpoint_row(name, *row) for name, row in ENDPOINTS.items()},
}
# Pages open to anyone, signed in or not (the sign-in page, a response link, ...).
OPEN_TO_ANYONE = set(PUBLIC)
