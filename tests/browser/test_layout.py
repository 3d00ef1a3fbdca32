"""The layout in a real browser: the service navigation on one row at 1280 pixels for every role,
filter controls inside their panel, and at 375 pixels (a phone) pages that do not scroll
sideways, with link and button targets of at least 24 by 24 pixels or spaced as WCAG 2.2
2.5.8 allows. axe-core on every page measured."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conferences.models import ConferenceType
from conferences.services import ChildDecision, conference_book, conference_record, strategy_discussion_record
from iro_service.core.roles import Role
from tests.browser.conftest import assert_accessible
from tests.factories import ChildFactory, StaffMemberFactory, TeamFactory, UserFactory
from tests.factories.conferences import family_with_children
from tests.factories.reviews import period_of_care, review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
ROLES = {
    "helen": Role.IRO,
    "mary": Role.IRO_MANAGER,
    "beverley": Role.BUSINESS_SUPPORT,
    "simon": Role.SENIOR_MANAGER,
}
RECORDS = 30  # more than a page of 25: a long table


@pytest.fixture
def county(db):
    """A staff member of each role; 30 review records waiting to be distributed (two pages); a
    held conference whose record is waiting to be distributed, so that business support's home
    page has its paperwork panel."""
    users = {
        username: UserFactory(username=username, first_name=username.title(), last_name="Test", role=role)
        for username, role in ROLES.items()
    }
    team = TeamFactory(name="IRO Team North")
    chair = StaffMemberFactory(first_name="Helen", last_name="Ashworth", user=users["helen"], team=team)
    today = timezone.localdate()
    for number in range(RECORDS):
        child = ChildFactory(
            first_name="Christopher-Alexander", last_name=f"Montgomery-Featherstonehaugh{number}"
        )
        period_of_care(child=child, start_date=today - timedelta(days=90))
        review(
            child=child,
            parts=today - timedelta(days=40),
            chair=chair,
            record_completed=today - timedelta(days=30 - number % 20),
        )
    family, (amy,) = family_with_children("Amy")
    discussion = strategy_discussion_record(family=family, on=today - timedelta(days=20), children=[amy])
    conference = conference_book(
        family=family,
        conference_type=ConferenceType.INITIAL,
        on=today - timedelta(days=5),
        chair=chair,
        children=[(amy, "initial")],
        strategy_discussion=discussion,
    )
    conference_record(conference=conference, decisions={amy.pk: ChildDecision("plan_started", ("NEG",))})
    return users


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/home/")


NAVIGATION_ROWS = """(selector) => new Set(
  [...document.querySelectorAll(selector)]
    .filter((item) => item.getClientRects().length)
    .map((item) => Math.round(item.getBoundingClientRect().top))
).size"""

FILTER_OVERHANG = """() => [...document.querySelectorAll('.app-filter')].flatMap((panel) => {
  const edge = panel.getBoundingClientRect()
  return [...panel.querySelectorAll('input:not([type=hidden]), select, button')]
    .filter((control) => control.getBoundingClientRect().right > edge.right
                      || control.getBoundingClientRect().left < edge.left)
    .map((control) => control.name || control.textContent.trim())
})"""

# WCAG 2.2 2.5.8 Target Size (Minimum): each target is at least 24 by 24 CSS pixels, or a
# 24-pixel circle centred on it meets no other target (nor the circle of another small one), or
# it is a link in a sentence (the inline exception). Visually hidden targets (the skip link
# until it has focus) are not targets.
SMALL_TARGETS = """() => {
  const targets = [...document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary')]
    .map((element) => ({ element, box: element.getBoundingClientRect() }))
    .filter(({ box }) => box.width > 1 && box.height > 1)
  const centre = (box) => [box.left + box.width / 2, box.top + box.height / 2]
  const small = (box) => box.width < 24 || box.height < 24
  const inSentence = (element) => {
    const block = element.closest('p, li, td, dd')
    return element.tagName === 'A' && block && block.tagName === 'P'
      && block.textContent.trim().length > element.textContent.trim().length
  }
  const circleMeetsBox = ([x, y], box) => {
    const dx = Math.max(box.left - x, 0, x - box.right)
    const dy = Math.max(box.top - y, 0, y - box.bottom)
    return dx * dx + dy * dy < 12 * 12
  }
  const failing = []
  for (const target of targets) {
    if (!small(target.box) || inSentence(target.element)) continue
    const here = centre(target.box)
    const crowded = targets.some((other) => {
      if (other === target || other.element.contains(target.element)
          || target.element.contains(other.element)) return false
      if (small(other.box)) {
        const [x, y] = centre(other.box)
        return Math.hypot(x - here[0], y - here[1]) < 24
      }
      return circleMeetsBox(here, other.box)
    })
    if (crowded) {
      const name = (target.element.textContent || target.element.name || '').trim().slice(0, 40)
      failing.push(`${target.element.tagName} "${name}" `
        + `${Math.round(target.box.width)}x${Math.round(target.box.height)}`)
    }
  }
  return failing
}"""


# Stricter, for the home page, whose lists of links were 19 pixels tall (spaced enough for
# 2.5.8, but small to tap): every target at least 24 by 24 pixels.
UNDER_24 = """() => [...document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary')]
  .map((element) => [element, element.getBoundingClientRect()])
  .filter(([, box]) => box.width > 1 && box.height > 1 && (box.width < 24 || box.height < 24))
  .map(([element, box]) => `${element.tagName} "${element.textContent.trim().slice(0, 40)}" `
    + `${Math.round(box.width)}x${Math.round(box.height)}`)"""


def _measure_narrow(page) -> dict:
    return {
        "scroll_width": page.evaluate("document.documentElement.scrollWidth"),
        "small_targets": page.evaluate(SMALL_TARGETS),
    }


@pytest.mark.parametrize("username", sorted(ROLES))
def test_the_navigation_is_one_row_at_1280_pixels_for_every_role(page, live_server, county, username):
    """GIVEN a member of staff of each role, WHEN they open the home page and each page of the
    navigation at 1280 pixels wide, THEN the service navigation (and any area's
    sub-navigation) is one row, and the controls of a filter panel stay inside it."""
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, username)
    links = page.locator("#navigation a").evaluate_all("(links) => links.map((link) => link.href)")
    # Home, Children, Children in care, Conferences, the areas of the role's other work (HSB, QA
    # alerts) and Administration (or the one page of it the role may open).
    assert len(links) >= 5
    for url in [f"{live_server.url}/home/", *links]:
        page.goto(url)
        assert page.evaluate(NAVIGATION_ROWS, "#navigation > li") == 1, url
        assert page.evaluate(NAVIGATION_ROWS, ".app-area-navigation li") in (0, 1), url
        assert page.evaluate(FILTER_OVERHANG) == [], url
        for sub in page.locator(".app-area-navigation a").evaluate_all("(ls) => ls.map((l) => l.href)"):
            page.goto(sub)
            assert page.evaluate(NAVIGATION_ROWS, ".app-area-navigation li") == 1, sub
            assert page.evaluate(FILTER_OVERHANG) == [], sub
            page.go_back()


def test_at_375_pixels_the_business_support_home_page_and_a_long_table_fit(page, live_server, county):
    """GIVEN business support, on a 375-pixel-wide phone screen
    WHEN they open their home page and the 30 records to distribute (a table of 25 rows, wider
    than the screen, with long names)
    THEN neither page scrolls sideways (the table scrolls in its own focusable container),
    every link and button is at least 24 by 24 pixels or spaced as WCAG 2.2 2.5.8 allows (on
    the home page, at least 24 by 24 whatever the spacing), and axe-core finds nothing."""
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, live_server, "beverley")
    home = _measure_narrow(page)
    assert home == {"scroll_width": 375, "small_targets": []}
    assert page.evaluate(UNDER_24) == []
    # The navigation folds behind its Menu button, and opens onto links as large.
    page.get_by_role("button", name="Menu").click()
    assert page.get_by_role("link", name="Children in care").first.is_visible()
    assert page.evaluate(UNDER_24) == []
    assert page.evaluate("document.documentElement.scrollWidth") == 375
    assert page.get_by_role("link", name="1 record to distribute").is_visible()
    assert_accessible(page, live_server)

    page.goto(f"{live_server.url}/reviews/records/")
    assert page.locator("tbody tr").count() == 25
    records = _measure_narrow(page)
    assert records == {"scroll_width": 375, "small_targets": []}
    container = page.locator(".app-table-container")
    # The table is wider than the screen, so its container scrolls and stays focusable.
    assert container.evaluate("(box) => box.scrollWidth > box.clientWidth")
    assert container.get_attribute("tabindex") == "0"
    assert container.get_attribute("aria-label") == "Records to distribute"
    assert_accessible(page, live_server)


def test_with_javascript_select_all_ticks_every_record_of_the_page(page, live_server, county):
    """MoJ Frontend's multi-select adds a 'Select all' checkbox to the table's header; the link
    for browsers without JavaScript is hidden."""
    sign_in(page, live_server, "beverley")
    page.goto(f"{live_server.url}/reviews/records/")
    assert not page.get_by_role("link", name="Select all records on this page").is_visible()
    # A click where the box is drawn, as a person makes it (its label's box lies over the input).
    box = page.get_by_label("Select all").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert page.locator("tbody input[name=reviews]:checked").count() == 25
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert page.locator("tbody input[name=reviews]:checked").count() == 0
    assert_accessible(page, live_server)
