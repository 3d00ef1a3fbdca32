"""Recording a review and recording a conference with the keyboard alone, as someone who
cannot use a mouse does: Tab and Shift+Tab to move, Enter to follow a link or press a button,
Space to tick a box, the arrow keys to choose a radio button or an option. Nothing is clicked
and no field is filled by the test's own hand; each control reached shows where the focus is
(WCAG 2.4.7), and each page passes axe-core."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conferences.models import ChildProtectionPlan, ConferenceType
from conferences.services import conference_book, strategy_discussion_record
from iro_service.core.roles import Role
from reviews.models import LacReview, PeriodOfCare
from tests.browser.conftest import assert_accessible
from tests.factories import ChildFactory, IroAllocationFactory, StaffMemberFactory, UserFactory
from tests.factories.conferences import family_with_children
from tests.factories.reviews import period_of_care

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
# More than the tab stops of any page on the way (the header, the navigation, the form).
MOST_TABS = 250

IS_FOCUSED = "(element) => element === document.activeElement"
# The GOV.UK focus state: a yellow outline or box shadow, or (links) a yellow background.
FOCUS_SHOWN = """(element) => {
  const style = getComputedStyle(element)
  return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
    || style.boxShadow !== 'none'
    || style.backgroundColor === 'rgb(255, 221, 0)'
}"""


def tab_to(page, locator, *, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until ``locator`` has the focus, and check the focus shows."""
    target = locator.element_handle()
    for _ in range(MOST_TABS):
        if target.evaluate(IS_FOCUSED):
            assert target.evaluate(FOCUS_SHOWN), f"no visible focus on {locator}"
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"{locator} cannot be reached with the Tab key")


def type_into(page, locator, text: str) -> None:
    tab_to(page, locator)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def press(page, locator, key: str = "Enter") -> None:
    tab_to(page, locator)
    page.keyboard.press(key)


def choose_radio(page, group: str, value: str) -> None:
    """Tab into the radio group (one tab stop) and move to ``value`` with the arrow keys."""
    radios = page.locator(f"input[type=radio][name='{group}']")
    handles = radios.element_handles()
    entry = next((radio for radio in handles if radio.evaluate(IS_FOCUSED)), None)
    for _ in range(MOST_TABS):
        entry = next((radio for radio in handles if radio.evaluate(IS_FOCUSED)), None)
        if entry is not None:
            break
        page.keyboard.press("Tab")
    assert entry is not None, f"the radio buttons {group} cannot be reached with the Tab key"
    target = page.locator(f"input[type=radio][name='{group}'][value='{value}']")
    for _ in range(len(handles)):
        if target.evaluate(IS_FOCUSED):
            break
        page.keyboard.press("ArrowDown")
    if not target.is_checked():
        page.keyboard.press("Space")
    expect(target).to_be_checked()


def choose_option(page, locator, value: str) -> None:
    """Tab to a select and move to ``value`` with the arrow keys, without opening it."""
    tab_to(page, locator)
    values = locator.evaluate("(select) => [...select.options].map((option) => option.value)")
    steps = values.index(value) - values.index(locator.input_value())
    for _ in range(abs(steps)):
        page.keyboard.press("ArrowDown" if steps > 0 else "ArrowUp")
    expect(locator).to_have_value(value)


def sign_in_by_keyboard(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/sign-in/")
    type_into(page, page.get_by_label("Username"), username)
    type_into(page, page.get_by_label("Password", exact=True), PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/home/")


@pytest.fixture
def amy_in_care(db):
    helen_user = UserFactory(username="helen", first_name="Helen", last_name="Ashworth", role=Role.IRO)
    helen = StaffMemberFactory(user=helen_user, first_name="Helen", last_name="Ashworth")
    amy = ChildFactory(
        first_name="Amy", last_name="Smith", local_child_id="C100123", date_of_birth=date(2008, 1, 1)
    )
    IroAllocationFactory(child=amy, iro=helen, start_date=date(2016, 4, 4))
    period_of_care(child=amy, start_date=date(2016, 4, 4))
    return amy


def test_an_iro_records_a_two_part_review_with_the_keyboard_alone(page, live_server, amy_in_care):
    """GIVEN Amy Smith, in care since 4 April 2016, whose IRO is Helen
    WHEN Helen, using only the keyboard, skips to the content, goes to her children in care,
    opens Amy's record, records her first review in two parts (28 April and 3 May 2016; a
    part added with the 'Add another part' button), chooses how Amy took part and saves it
    THEN the review is saved with both parts, the second review is due 28 July 2016, every
    control she reached showed its focus, and every page passes axe-core."""
    sign_in_by_keyboard(page, live_server, "helen")
    # The first tab stop is the skip link, which takes the focus past the header.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"

    press(page, page.get_by_role("link", name="Children in care").first)
    expect(page.get_by_role("heading", level=1)).to_have_text("My children in care")
    press(page, page.get_by_role("link", name="Smith, Amy"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Amy Smith: care and reviews")
    press(page, page.get_by_role("link", name="Record a review"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a review")
    assert_accessible(page, live_server)

    type_into(page, page.locator("#id_part-0-date"), "28/04/2016")
    press(page, page.get_by_role("button", name="Add another part"))
    expect(page.get_by_role("heading", name="Part 2")).to_be_visible()
    type_into(page, page.locator("#id_part-1-date"), "03/05/2016")
    type_into(page, page.locator("#id_part-1-notes"), "Reconvened once the health assessment was in.")
    choose_option(page, page.get_by_label("How the child took part"), "PN1")
    type_into(page, page.get_by_label("Date you completed the record"), "10/05/2016")
    assert_accessible(page, live_server)
    press(page, page.get_by_role("button", name="Save review"))
    expect(page.locator(".govuk-notification-banner").first).to_contain_text(
        "Review 1 for Amy Smith recorded"
    )
    assert_accessible(page, live_server)

    review = LacReview.objects.get()
    assert review.review_date == date(2016, 4, 28)
    assert review.parts.count() == 2
    assert review.participation_code == "PN1"
    assert PeriodOfCare.objects.get().next_review_due == date(2016, 7, 28)


@pytest.fixture
def booked(db):
    helen = UserFactory(username="helen", first_name="Helen", last_name="Ashworth", role=Role.IRO)
    chair = StaffMemberFactory(first_name="Helen", last_name="Ashworth", user=helen)
    family, (amy, ben) = family_with_children("Amy", "Ben")
    today = timezone.localdate()
    discussion = strategy_discussion_record(family=family, on=today - timedelta(days=14), children=[amy, ben])
    conference = conference_book(
        family=family,
        conference_type=ConferenceType.INITIAL,
        on=today - timedelta(days=1),
        chair=chair,
        children=[(amy, "initial"), (ben, "initial")],
        strategy_discussion=discussion,
        agencies=["police", "school"],
    )
    return {"conference": conference, "amy": amy, "ben": ben}


def test_a_chair_records_an_initial_conference_with_the_keyboard_alone(page, live_server, booked):
    """GIVEN an initial conference for Amy and Ben, held yesterday, chaired by Helen, that
    invited the police and the school
    WHEN Helen, using only the keyboard, goes to her conferences, opens the record form, saves
    it with only Amy's outcome chosen, follows the error summary's link to Ben's outcome, then
    chooses plans for both (neglect for Amy, emotional abuse for Ben), ticks that the police
    attended and saves
    THEN the error summary's link put the focus on Ben's first outcome, both plans start on the
    conference date, and every page on the way passes axe-core."""
    amy, ben, conference = booked["amy"], booked["ben"], booked["conference"]
    sign_in_by_keyboard(page, live_server, "helen")
    press(page, page.get_by_role("link", name="Conferences").first)
    press(page, page.get_by_role("link", name="My conferences"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My conferences")
    press(page, page.get_by_role("link", name="Record", exact=False).first)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Record the Initial conference")
    assert_accessible(page, live_server)

    choose_radio(page, f"child-{amy.pk}-outcome", "plan_started")
    press(page, page.get_by_role("button", name="Save conference"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(f"Select the outcome for {ben.full_name}")
    assert_accessible(page, live_server)
    # GOV.UK's error summary takes the focus when the page loads; its link goes to the field.
    press(page, summary.get_by_role("link", name=f"Select the outcome for {ben.full_name}"))
    expect(page.locator(f"input[name='child-{ben.pk}-outcome']").first).to_be_focused()

    choose_radio(page, f"child-{ben.pk}-outcome", "plan_started")
    press(page, page.locator(f"input[name='child-{ben.pk}-categories'][value='EMO']"), "Space")
    # Amy's plan came back as chosen; back up the page (Shift+Tab) to her categories.
    expect(page.locator(f"input[name='child-{amy.pk}-outcome'][value='plan_started']")).to_be_checked()
    neglect = page.locator(f"input[name='child-{amy.pk}-categories'][value='NEG']")
    tab_to(page, neglect, backwards=True)
    page.keyboard.press("Space")
    expect(neglect).to_be_checked()
    press(page, page.locator("input[name='agency-police-attended']"), "Space")
    expect(page.locator("input[name='agency-police-attended']")).to_be_checked()
    press(page, page.get_by_role("button", name="Save conference"))
    expect(page.get_by_text("Conference recorded.")).to_be_visible()
    assert_accessible(page, live_server)

    plans = {p.child_id: (p.start_date, p.categories) for p in ChildProtectionPlan.objects.all()}
    assert plans == {amy.pk: (conference.date, ["NEG"]), ben.pk: (conference.date, ["EMO"])}
