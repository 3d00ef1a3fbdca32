"""Every page of the project, opened by every role: GET and an empty POST, allowed and
refused, never a 500. The URL patterns are walked from the resolver, so a page added without
an entry here fails ``test_every_page_is_in_the_table``: none escapes.

The REST API and the Django admin are walked by their own tests (tests/api, with schemathesis,
and Django's admin tests); they are left out by prefix here."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from lxml import html

from tests.factories.county import County, small_county

pytestmark = pytest.mark.django_db

ROLES = ["iro_user", "manager_user", "support_user", "senior_user", "no_role_user", "anonymous"]
SIGNED_IN = set(ROLES) - {"anonymous"}
READERS = {"iro_user", "manager_user", "support_user", "senior_user"}
IRO_WORK = {"iro_user", "manager_user"}
SUPPORT_WORK = {"manager_user", "support_user"}
MANAGERS = {"manager_user"}
RETURNS_READERS = {"manager_user", "senior_user"}
# HSB records: only the HSB lead (an IRO manager here), IRO managers and senior managers.
HSB_READERS = {"manager_user", "senior_user"}
HSB_WORK = {"manager_user"}
BOARD_READERS = {"manager_user", "senior_user"}
PERFORMANCE_READERS = {"manager_user", "senior_user"}
ANNUAL_READERS = {"manager_user", "senior_user"}
# The records of the year the DfE's rules would reject: business support put them right.
RETURN_QUALITY_READERS = {"manager_user", "support_user", "senior_user"}
CONSULTATION_SENDERS = {"iro_user", "manager_user", "support_user"}
# A section 47 enquiry's assessment, for the census: chairs, business support and managers.
ASSESSMENT_RECORDERS = IRO_WORK | SUPPORT_WORK
LEFT_OUT = ("api/", "django-admin/")

# url name -> (the record its argument is, roles whose GET is allowed, the status they get).
# Everyone else signed in gets 403; anonymous visitors are sent to sign in (302).
PAGES: dict[str, tuple[str | None, set[str], int]] = {
    "home": (None, SIGNED_IN, 200),
    "login": (None, {"anonymous"}, 200),
    "logout": (None, set(ROLES), 405),  # POST only
    "health": (None, set(ROLES), 200),
    # The council's identity provider: 404 while it is not set up (tests/signin/test_council_sign_in.py
    # goes through it against a real provider).
    "oidc_authentication_init": (None, set(ROLES), 404),
    "oidc_authentication_callback": (None, set(ROLES), 404),
    # Without SECOND_FACTOR_REQUIRED (as in these tests) nobody has given a code: the code page
    # sends them to set up an app.
    "signin:second-factor": (None, SIGNED_IN, 302),
    "signin:second-factor-set-up": (None, SIGNED_IN, 200),
    "signin:recovery-codes": (None, SIGNED_IN, 200),
    "signin:your-sign-in": (None, SIGNED_IN, 200),
    "signin:passkey-name": (None, SIGNED_IN, 405),  # POST only
    "signin:passkey-remove": (None, SIGNED_IN, 405),  # POST only
    "signin:session-end": (None, SIGNED_IN, 405),  # POST only
    # django-otp-webauthn's ceremonies: JSON for its JavaScript, POST only, for a signed-in
    # session (what an empty POST gets is in CEREMONIES below); the words of its JavaScript.
    "otp_webauthn:credential-registration-begin": (None, SIGNED_IN, 405),
    "otp_webauthn:credential-registration-complete": (None, SIGNED_IN, 405),
    "otp_webauthn:credential-authentication-begin": (None, SIGNED_IN, 405),
    "otp_webauthn:credential-authentication-complete": (None, SIGNED_IN, 405),
    "otp_webauthn:js-i18n-catalog": (None, set(ROLES), 200),
    "signin:again": (None, SIGNED_IN, 200),
    "signin:password-change": (None, SIGNED_IN, 200),
    "signin:security": (None, MANAGERS, 200),
    "signin:lockout-lift": (None, MANAGERS, 405),  # POST only
    "signin:password-reset": (None, MANAGERS, 405),  # POST only
    "accessibility": (None, set(ROLES), 200),
    "people:child-list": (None, READERS, 200),
    "people:child-detail": ("child", READERS, 200),
    "people:child-history": ("child", READERS, 200),
    "people:child-reallocate": ("child", MANAGERS, 200),
    "people:restricted-children": (None, MANAGERS, 200),
    "people:child-restriction": ("child", MANAGERS, 200),
    "people:child-restriction-lift": ("child", MANAGERS, 405),  # POST only
    "audit:access-log": (None, RETURNS_READERS, 200),
    "audit:unusual-access": (None, RETURNS_READERS, 200),
    "audit:child-access": ("child", RETURNS_READERS, 200),
    "audit:staff-access": ("chair_user", RETURNS_READERS, 200),
    # GET: what the export holds; POST: the PDF (an empty POST is the export itself).
    "audit:subject-access": ("child", MANAGERS, 200),
    "timescales:settings": (None, READERS, 200),
    "timescales:non-working-days": (None, READERS, 200),
    "timescales:non-working-day-delete": ("non_working_day", SIGNED_IN, 405),  # POST only
    "reviews:children-in-care": (None, READERS, 200),
    "reviews:to-book": (None, SUPPORT_WORK, 200),
    "reviews:records-to-distribute": (None, SUPPORT_WORK, 200),
    "reviews:care-record": ("child", READERS, 200),
    "reviews:review-record": ("child", IRO_WORK, 200),
    "reviews:contact-record": ("child", IRO_WORK, 200),
    "reviews:period-start": ("child_not_in_care", SUPPORT_WORK, 200),
    "reviews:permanence-plan-record": ("child", IRO_WORK, 200),
    "reviews:guardian-record": ("child", IRO_WORK, 200),
    "reviews:legal-advice-record": ("child", IRO_WORK, 200),
    "reviews:review-edit": ("review", IRO_WORK, 200),
    "reviews:episode-change": ("period", SUPPORT_WORK, 200),
    "reviews:period-end": ("period", SUPPORT_WORK, 200),
    "reviews:guardian-update": ("guardian", IRO_WORK, 200),
    "reviews:legal-advice-update": ("referral", IRO_WORK, 200),
    "reviews:meeting-book": ("period", SUPPORT_WORK, 200),
    "reviews:meeting-cancel": ("meeting", SUPPORT_WORK, 200),
    "conferences:index": (None, READERS, 200),
    "conferences:mine": (None, READERS, 200),
    "conferences:family-list": (None, READERS, 200),
    "conferences:family-detail": ("family", READERS, 200),
    "conferences:child-record": ("child", READERS, 200),
    "conferences:conference-book": ("family", SUPPORT_WORK, 200),
    "conferences:strategy-discussion-add": ("family", SUPPORT_WORK, 200),
    "conferences:enquiry-assessment": ("section47_enquiry", ASSESSMENT_RECORDERS, 200),
    "conferences:conference-detail": ("held_conference", READERS, 200),
    "conferences:conference-record": ("booked_conference", IRO_WORK, 200),
    "conferences:conference-stand-down": ("booked_conference", SUPPORT_WORK, 200),
    "conferences:conference-reports": ("held_conference", SUPPORT_WORK, 200),
    "conferences:conference-distribute": ("held_conference", SUPPORT_WORK, 200),
    "conferences:appeal-add": ("held_conference", MANAGERS, 200),
    "conferences:to-book": (None, SUPPORT_WORK, 200),
    "conferences:reports-outstanding": (None, SUPPORT_WORK, 200),
    "conferences:records-to-distribute": (None, SUPPORT_WORK, 200),
    "conferences:structured-reviews": (None, MANAGERS, 200),
    "conferences:appeal-list": (None, READERS, 200),
    "conferences:appeal-update": ("appeal", MANAGERS, 200),
    "hsb:index": (None, HSB_READERS, 200),
    "hsb:referral-list": (None, HSB_READERS, 200),
    "hsb:referral-add": (None, HSB_WORK, 200),
    "hsb:referral-detail": ("hsb_referral", HSB_READERS, 200),
    "hsb:referral-decide": ("hsb_referral", HSB_WORK, 200),
    "hsb:meeting-record": ("hsb_referral", HSB_WORK, 200),
    "hsb:assessment-add": ("hsb_referral", HSB_WORK, 200),
    "hsb:meeting-record-dates": ("hsb_meeting", HSB_WORK, 200),
    "hsb:child-referrals": ("child", HSB_READERS, 200),
    "hsb:training-register": (None, HSB_READERS, 200),
    "hsb:training-add": (None, HSB_WORK, 200),
    "hsb:planned-course-add": (None, HSB_WORK, 200),
    "qa_alerts:index": (None, READERS, 200),
    "qa_alerts:mine": (None, READERS, 200),
    "qa_alerts:notices-read": (None, READERS, 405),  # POST only
    "qa_alerts:board": (None, BOARD_READERS, 200),
    "qa_alerts:board-csv": (None, BOARD_READERS, 200),
    "qa_alerts:raise-for-child": ("child", IRO_WORK, 200),
    "qa_alerts:raise-for-review": ("review", IRO_WORK, 200),
    "qa_alerts:raise-for-conference": ("held_conference", IRO_WORK, 200),
    "qa_alerts:alert-detail": ("alert", READERS, 200),
    "qa_alerts:response-record": ("alert", READERS - {"senior_user"}, 200),
    "qa_alerts:escalate": ("alert", IRO_WORK, 200),
    "qa_alerts:address": ("alert", IRO_WORK, 200),
    "qa_alerts:refer": ("alert", IRO_WORK, 200),
    "qa_alerts:resolve": ("alert", IRO_WORK, 200),
    "qa_alerts:response-judge": ("alert_response", IRO_WORK, 200),
    "qa_alerts:categories": (None, MANAGERS, 200),
    "qa_alerts:category-edit": ("category", MANAGERS, 200),
    "qa_alerts:themes": (None, MANAGERS, 200),
    "qa_alerts:theme-edit": ("theme", MANAGERS, 200),
    "qa_alerts:stages": (None, MANAGERS, 200),
    "qa_alerts:challenge-list": (None, READERS, 200),
    "qa_alerts:challenge-add": (None, MANAGERS, 200),
    "qa_alerts:challenge-detail": ("challenge_meeting", READERS, 200),
    "qa_alerts:challenge-edit": ("challenge_meeting", MANAGERS, 200),
    "qa_alerts:challenge-action-add": ("challenge_meeting", MANAGERS, 200),
    "qa_alerts:challenge-action-complete": ("challenge_action", MANAGERS, 200),
    # For the addressee, who has no account: open to anyone with a valid link.
    "qa_alerts:respond": ("response_token", set(ROLES), 200),
    # Who has replied: IROs, managers and business support (senior managers see the figures).
    "consultations:meeting": ("meeting", CONSULTATION_SENDERS, 200),
    "consultations:conference": ("booked_conference_child", CONSULTATION_SENDERS, 200),
    "consultations:revoke": ("consultation", CONSULTATION_SENDERS, 405),  # POST only
    # GET: what a reprint does (or why it cannot be); POST: the new letter.
    "consultations:reprint": ("consultation", CONSULTATION_SENDERS, 200),
    "consultations:answer-to-record": ("answer", IRO_WORK, 405),  # POST only
    "consultations:answer-to-conference-record": ("conference_answer", IRO_WORK, 405),  # POST only
    # A voice note's sound, for those who read the answers.
    "consultations:voice-note": ("voice_note", IRO_WORK, 200),
    # Writing down what a voice note says, for the record: those who take answers to it.
    "consultations:voice-note-heard": ("voice_note", IRO_WORK, 200),
    "consultations:safety-notices": (None, IRO_WORK, 200),
    # POST only; the notice is the chair's, so another IRO is refused (see CHAIR_OR_IRO_ONLY).
    "consultations:safety-notice-acknowledge": ("safety_notice", IRO_WORK, 405),
    "consultations:question-sets": (None, MANAGERS, 200),
    "consultations:question-edit": ("question", MANAGERS, 200),
    # For the child, carer or parent, who has no account: open to anyone with a valid link.
    "your_views:answer": ("consultation_token", set(ROLES), 200),
    "reports:qa-overview": (None, BOARD_READERS, 200),
    "reports:returns": (None, RETURNS_READERS, 200),
    # POST only; the permission is checked first, so only managers learn the method is wrong.
    "reports:returns-import-903": (None, MANAGERS, 405),
    "reports:returns-import-cin": (None, MANAGERS, 405),
    "reports:returns-export": (None, MANAGERS, 405),
    "reports:returns-detail": ("data_exchange", RETURNS_READERS, 200),
    "reports:returns-problems-csv": ("data_exchange", RETURNS_READERS, 200),
    "reports:dashboard": (None, PERFORMANCE_READERS, 200),
    "reports:dashboard-figure": ("figure_key", PERFORMANCE_READERS, 200),
    "reports:dashboard-records": ("figure_key", PERFORMANCE_READERS, 200),
    "reports:caseloads": (None, PERFORMANCE_READERS, 200),
    "reports:business-support": (None, SUPPORT_WORK, 200),
    "reports:my-page": (None, IRO_WORK, 200),
    "reports:targets": (None, PERFORMANCE_READERS, 200),
    "reports:target-set": (None, MANAGERS, 200),
    "reports:comparators": (None, PERFORMANCE_READERS, 200),
    "reports:comparator-upload": (None, MANAGERS, 405),
    "reports:comparator-delete": ("comparator", MANAGERS, 405),
    "reports:returns-dfe-csv": ("data_exchange", RETURNS_READERS, 200),
    "reports:return-quality": (None, RETURN_QUALITY_READERS, 200),
    "reports:return-quality-csv": (None, RETURN_QUALITY_READERS, 200),
    # The annual report: managers write it; senior managers read it and download its documents.
    "reports:annual-list": (None, ANNUAL_READERS, 200),
    "reports:annual-start": (None, MANAGERS, 405),  # POST only
    "reports:annual-version": ("annual_version", ANNUAL_READERS, 200),
    "reports:annual-recommendations": ("annual_version", ANNUAL_READERS, 200),
    "reports:annual-generate": ("annual_version", MANAGERS, 405),  # POST only
    "reports:annual-finalise": ("annual_version", MANAGERS, 200),
    "reports:annual-new-version": ("annual_version", MANAGERS, 405),  # POST only
    "reports:annual-text": ("annual_text", ANNUAL_READERS, 200),
    "reports:annual-recommendation": ("annual_recommendation", MANAGERS, 200),
    "reports:annual-progress": ("annual_progress", MANAGERS, 200),
    "reports:annual-run": ("annual_run", ANNUAL_READERS, 200),
    "reports:annual-run-status": ("annual_run", ANNUAL_READERS, 200),
    "reports:annual-download-html": ("annual_run", ANNUAL_READERS, 200),
    "reports:annual-download-docx": ("annual_run", ANNUAL_READERS, 200),
    "reports:annual-download-pdf": ("annual_run", ANNUAL_READERS, 200),
    # The retention schedule: IRO managers only. The county's children are not due, so the
    # disposal page says when; an empty POST is refused with that date (200).
    "retention:due": (None, MANAGERS, 200),
    "retention:dispose": ("child", MANAGERS, 200),
    "retention:register": (None, MANAGERS, 200),
}
# Pages where fewer roles may POST than may GET (or, for the POST-only ones, who may POST).
POST_ALLOWED = {
    "timescales:settings": MANAGERS,
    "timescales:non-working-days": MANAGERS,
    "timescales:non-working-day-delete": MANAGERS,
    "reports:returns-import-903": MANAGERS,
    "reports:returns-import-cin": MANAGERS,
    "reports:returns-export": MANAGERS,
    "reports:comparators": MANAGERS,
    "reports:comparator-upload": MANAGERS,
    "reports:comparator-delete": MANAGERS,
    "reports:annual-start": MANAGERS,
    "reports:annual-generate": MANAGERS,
    "reports:annual-new-version": MANAGERS,
    # Senior managers read a section and the recommendations; only managers write them.
    "reports:annual-text": MANAGERS,
    "reports:annual-recommendations": MANAGERS,
}
# The passkey ceremonies' answers to an empty POST from anyone signed in (none of whom has an
# authenticator app here): adding a passkey is refused without the app's code first (403); the
# options to sign in with one are given (200); completing that sign-in with no credential is
# refused as unprocessable (422, naming the missing credential id; one never begun is a 400,
# tests/signin/test_passkeys.py).
CEREMONIES = {
    "otp_webauthn:credential-registration-begin": 403,
    "otp_webauthn:credential-registration-complete": 403,
    "otp_webauthn:credential-authentication-begin": 200,
    "otp_webauthn:credential-authentication-complete": 422,
}
# Pages open to anyone, signed in or not.
PUBLIC = {
    "login",
    "health",
    "accessibility",
    "logout",
    "qa_alerts:respond",
    "your_views:answer",
    "oidc_authentication_init",
    "oidc_authentication_callback",
    "otp_webauthn:js-i18n-catalog",
}
# Pages that take GET only, for everyone: a POST to them is 405.
GET_ONLY = {
    "health",
    "accessibility",
    "oidc_authentication_init",
    "oidc_authentication_callback",
    "signin:your-sign-in",
    "otp_webauthn:js-i18n-catalog",
    "consultations:voice-note",
}
# Pages refused with 404, not 403, to those who may not see what they are about (HSB records),
# except to the roles listed, who may see it but not change it there (403).
HIDDEN = {name: HSB_READERS for name in PAGES if name.startswith("hsb:")}


def _refused(name: str, role: str) -> int:
    if name in HIDDEN and role not in HIDDEN[name]:
        return 404
    return 403


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), (f"{namespace}{entry.name}" if entry.name else None)


def _project_pages() -> dict[str, str]:
    pages = {}
    for route, name in _walk(get_resolver()):
        if route.startswith(LEFT_OUT) or route in ("",):
            continue
        pages[route] = name
    return pages


def test_every_page_is_in_the_table():
    """A page added to urls.py without a line in PAGES fails here, naming it."""
    walked = _project_pages()
    unnamed = [route for route, name in walked.items() if name is None]
    assert unnamed == [], "give these URL patterns a name and a line in PAGES"
    assert sorted(set(walked.values()) - set(PAGES)) == [], "pages the walk cannot fill"
    assert sorted(set(PAGES) - set(walked.values())) == [], "PAGES lists pages that are gone"


@pytest.fixture
def county(iro_user):
    return small_county(chair_user=iro_user)


def _url(name: str, county: County) -> str:
    record, _, _ = PAGES[name]
    if record is None:
        return reverse(name)
    value = getattr(county, record)
    # A response link's argument is its token, not a primary key.
    return reverse(name, args=[value if isinstance(value, str) else value.pk])


def _sign_in(request, client, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))


@pytest.mark.parametrize("role", ROLES)
def test_every_page_opens_for_its_roles_and_is_refused_to_the_rest(request, client, county, role):
    """GET each page as ``role``: the allowed roles get the page, other signed-in users 403
    (404 for a hidden page), anonymous visitors the sign-in page; no page is ever a 500."""
    _sign_in(request, client, role)
    wrong = []
    for name, (_, allowed, status) in sorted(PAGES.items()):
        url = _url(name, county)
        if role in allowed:
            expected = status
        elif name == "login":
            expected = 302  # signed in already: sent home
        elif role == "anonymous" and name not in PUBLIC:
            expected = 302
        else:
            expected = _refused(name, role)
        got = client.get(url).status_code
        if got != expected:
            wrong.append(f"GET {url} ({name}): {got}, expected {expected}")
    assert wrong == []


@pytest.mark.parametrize("role", ROLES)
def test_an_empty_post_to_every_page_is_never_a_500(request, client, county, role):
    """POST an empty form to each page as ``role``: a refused role gets 403 (anonymous: sign
    in), an allowed one gets the page back with its errors, or is sent on; never a 500."""
    _sign_in(request, client, role)
    wrong = []
    for name, (_, allowed, _) in sorted(PAGES.items()):
        if name == "logout":
            continue  # it would sign this client out for the rest of the walk
        url = _url(name, county)
        got = client.post(url, {}).status_code
        may = role in POST_ALLOWED.get(name, allowed)
        if role == "anonymous" and name not in PUBLIC:
            ok = got == 302
        elif name in CEREMONIES:
            ok = got == CEREMONIES[name]
        elif name in GET_ONLY:
            ok = got == 405
        elif may or name == "login":
            ok = got in (200, 302)
        else:
            ok = got == _refused(name, role)
        if not ok:
            wrong.append(f"POST {url} ({name}): {got}")
    assert wrong == []


@pytest.mark.parametrize("role", sorted(READERS))
def test_every_table_on_every_page_is_in_a_scrolling_container(request, client, county, role):
    """Every <table> of every page ``role`` may open is inside the container of
    ``{% scrolling_table %}``: a region named by the table's caption, focusable, that scrolls the
    table sideways on a narrow screen instead of the page (tests/browser/test_layout.py measures
    it at 375 pixels)."""
    _sign_in(request, client, role)
    # A view of the child first, so that the access log has a row to show in its table.
    client.get(reverse("people:child-detail", args=[county.child.pk]))
    wrong, with_tables = [], set()
    for name, (_, allowed, status) in sorted(PAGES.items()):
        if role not in allowed or status != 200:
            continue
        url = _url(name, county)
        response = client.get(url)
        if not response["Content-Type"].startswith("text/html"):
            continue
        page = html.fromstring(response.content)
        for table in page.iter("table"):
            with_tables.add(name)
            container = table.getparent()
            caption_element = table.find("caption")
            caption = " ".join(caption_element.text_content().split()) if caption_element is not None else ""
            if not (
                "app-table-container" in container.get("class", "").split()
                and container.get("role") == "region"
                and container.get("tabindex") == "0"
                and caption
                and container.get("aria-label") == caption
            ):
                wrong.append(f"{url} ({name}): a table not in a labelled scrolling container")
    assert wrong == []
    # The walk found tables to check: the lists, the child's care page, the family page, ...
    assert len(with_tables) >= 8, sorted(with_tables)
