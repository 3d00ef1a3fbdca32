"""axe-core on every page of the project (the table of tests/core/test_every_page.py) in its
three states: populated (the small county), empty (no records at all) and in error (each form
sent empty, its errors shown). No WCAG 2.2 A or AA violation in any of them.

Each page is opened by an IRO manager, who may open all but the sign-in page, which is opened
signed out; each other role's home page (its panels differ) is checked too. A page added to
urls.py is in the walk as soon as it has its line in PAGES, which that file's test demands."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from iro_service.core.roles import Role
from tests.browser.conftest import assert_accessible
from tests.core.test_every_page import PAGES
from tests.factories import UserFactory
from tests.factories.county import small_county

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
WALKER = "manager_user"
# Downloads, sound and JSON, not pages: nothing for axe to read (and a browser does not open a download
# as a page).
DOWNLOADS = {
    "consultations:voice-note",
    "health",
    "otp_webauthn:js-i18n-catalog",
    "qa_alerts:board-csv",
    "reports:annual-download-docx",
    "reports:annual-download-html",
    "reports:annual-download-pdf",
    "reports:annual-run-status",
    "reports:returns-dfe-csv",
    "reports:return-quality-csv",
    "reports:returns-problems-csv",
}
# An empty POST here is not a form sent incomplete: it downloads the export.
NOT_FORMS = {"audit:subject-access"}

# The date boxes of a page's filter (GET) form: their hint gives the pattern to type.
FILTER_DATES = """() => [...document.querySelectorAll('main form[method=get] input[type=text]')]
  .filter((input) => (document.getElementById(input.name && `id_${input.name}_hint`) || {})
    .textContent?.includes('For example, 27/3/2017'))
  .map((input) => input.name)"""

SUBMIT_EMPTY = """() => {
  const form = document.createElement('form')
  form.method = 'post'
  const token = document.querySelector('input[name=csrfmiddlewaretoken]')
  if (token) {
    const copy = document.createElement('input')
    copy.type = 'hidden'
    copy.name = token.name
    copy.value = token.value
    form.appendChild(copy)
  }
  document.body.appendChild(form)
  form.submit()
}"""


def _sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/home/")


def _walked(*, with_records: bool) -> list[str]:
    """The pages the manager opens with GET: every HTML page they may open (only those without
    a record in their address when there are no records)."""
    return [
        name
        for name, (record, allowed, status) in sorted(PAGES.items())
        if WALKER in allowed and status == 200 and name not in DOWNLOADS and (with_records or record is None)
    ]


def _url(name: str, county) -> str:
    record = PAGES[name][0]
    if record is None:
        return reverse(name)
    value = getattr(county, record)
    return reverse(name, args=[value if isinstance(value, str) else value.pk])


@pytest.fixture
def manager(db):
    return UserFactory(username="manager-persona", first_name="Mary", last_name="Khan", role=Role.IRO_MANAGER)


@pytest.fixture
def others(db):
    return {
        role: UserFactory(username=f"{role}-persona", first_name=role.title(), last_name="Test", role=role)
        for role in (Role.IRO, Role.BUSINESS_SUPPORT, Role.SENIOR_MANAGER)
    }


def test_every_page_with_records_has_no_accessibility_failure(page, live_server, manager, others):
    """GIVEN the small county (a child in care with a review, a booked and a held conference, an
    HSB referral, a QA alert, an import with a problem) and a view in the access log
    WHEN the manager opens every page they may open, and each other role its home page
    THEN axe-core finds no WCAG 2.2 A or AA violation on any of them."""
    county = small_county(chair_user=others[Role.IRO])
    page.goto(f"{live_server.url}/sign-in/")
    assert_accessible(page, live_server)
    for user in others.values():
        _sign_in(page, live_server, user.username)
        assert_accessible(page, live_server)
        page.get_by_role("button", name="Sign out").click()
    _sign_in(page, live_server, manager.username)
    page.goto(f"{live_server.url}{reverse('people:child-detail', args=[county.child.pk])}")
    walked = _walked(with_records=True)
    for name in walked:
        if name == "login":
            continue
        response = page.goto(f"{live_server.url}{_url(name, county)}")
        assert response.status == 200, name
        assert_accessible(page, live_server)
    assert len(walked) >= 85, len(walked)


def test_every_page_without_records_has_no_accessibility_failure(page, live_server, manager):
    """GIVEN no records at all, only the manager's account
    WHEN they open every page that needs no record in its address (the lists, the hubs, the
    report, the settings, the statement)
    THEN each shows its empty state and axe-core finds no violation."""
    _sign_in(page, live_server, manager.username)
    walked = [name for name in _walked(with_records=False) if name != "login"]
    for name in walked:
        response = page.goto(f"{live_server.url}{reverse(name)}")
        assert response.status == 200, name
        assert_accessible(page, live_server)
    assert len(walked) >= 30, len(walked)


def test_every_form_sent_empty_shows_errors_with_no_accessibility_failure(page, live_server, manager, others):
    """GIVEN the small county
    WHEN the manager sends each page's form empty (as a browser would with every field cleared),
    and gives each list's date filters a date that does not exist (31/2/2026)
    THEN the page comes back with its error summary, and axe-core finds no violation on it."""
    county = small_county(chair_user=others[Role.IRO])
    _sign_in(page, live_server, manager.username)
    with_errors, filters_in_error = [], []
    for name in _walked(with_records=True):
        if name in ("login", *NOT_FORMS):
            continue
        url = f"{live_server.url}{_url(name, county)}"
        page.goto(url)
        dates = page.evaluate(FILTER_DATES)
        if dates:
            # A filter's date that cannot be read (31 February) is named in the error summary.
            page.goto(url + "?" + "&".join(f"{date}=31/2/2026" for date in dates))
            expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date as day, month")
            assert_accessible(page, live_server)
            filters_in_error.append(name)
            page.goto(url)
        if not page.locator("main form[method=post]").count():
            continue
        # A confirmation page has no fields: sending it is its action, and the annual report's
        # finalise runs the whole assembly in the request when jobs run eagerly, as in tests.
        with page.expect_navigation(timeout=60_000):
            page.evaluate(SUBMIT_EMPTY)
        page.wait_for_load_state("load")
        if page.locator(".govuk-error-summary").count():
            expect(page.locator(".govuk-error-summary")).to_contain_text("There is a problem")
            with_errors.append(name)
        assert_accessible(page, live_server)
    # Every page with a form to fill in: reviews, conferences, HSB, QA alerts, settings.
    print(f"{len(with_errors)} forms and {len(filters_in_error)} filters shown with their errors")
    print(sorted(with_errors), sorted(filters_in_error))
    assert len(with_errors) >= 30, sorted(with_errors)
    # The lists with dates in their filters: records to distribute, the access histories, ...
    assert len(filters_in_error) >= 3, sorted(filters_in_error)
