"""The two longest conference forms as a person meets them: the record page lists the agencies
invited first, the rest grouped behind a details element that opens without JavaScript, with
attendance as a table; the booking page says first, before anything else is wrong, that an
initial conference needs a strategy discussion, and links to recording one."""

from __future__ import annotations

from datetime import date

import lxml.html
import pytest
from django.urls import reverse

from conferences.codes import AGENCY_GROUPS, Agency
from conferences.models import Conference, ConferenceType
from conferences.services import conference_book, strategy_discussion_record
from tests.factories import StaffMemberFactory
from tests.factories.conferences import family_with_children

pytestmark = pytest.mark.django_db


@pytest.fixture
def chair(iro_user):
    return StaffMemberFactory(first_name="Helen", last_name="Ashworth", user=iro_user)


def test_every_agency_is_in_exactly_one_group():
    grouped = [agency for _, agencies in AGENCY_GROUPS for agency in agencies]
    assert sorted(grouped) == sorted(Agency.values)
    assert len(grouped) == len(set(grouped)) == 10


def _booked(chair, *, agencies):
    family, (amy,) = family_with_children("Amy")
    discussion = strategy_discussion_record(family=family, on=date(2016, 6, 1), children=[amy])
    conference = conference_book(
        family=family,
        conference_type=ConferenceType.INITIAL,
        on=date(2016, 6, 15),
        chair=chair,
        children=[(amy, "initial")],
        strategy_discussion=discussion,
        agencies=agencies,
    )
    return conference, amy


def _tables(html):
    """Each attendance table's caption, whether it is inside the details element (and whether
    that is open), and its rows' agencies."""
    document = lxml.html.document_fromstring(html)
    found = []
    for table in document.xpath("//table[contains(@class, 'app-attendance')]"):
        details = table.xpath("ancestor::details")
        found.append(
            (
                table.xpath("string(caption)").strip(),
                "open"
                if details and details[0].get("open") is not None
                else ("closed" if details else "shown"),
                [th.text_content().strip() for th in table.xpath(".//tbody//th")],
            )
        )
    return found


def test_the_record_page_shows_the_invited_agencies_first_and_the_rest_grouped_behind_details(
    client, iro_user, chair
):
    client.force_login(iro_user)
    conference, _ = _booked(chair, agencies=["police", "school"])
    html = client.get(reverse("conferences:conference-record", args=[conference.pk])).content.decode()
    # Invited: police and school, in the groups' order (education before police).
    assert _tables(html) == [
        ("Agencies invited", "shown", ["School", "Police"]),
        (
            "Health",
            "closed",
            ["GP", "Health visitor", "School nurse", "Adult mental health", "Substance misuse service"],
        ),
        ("Police and probation", "closed", ["Probation"]),
        ("Housing and other agencies", "closed", ["Housing", "Other"]),
    ]
    assert "Show the 8 agencies not invited" in html
    document = lxml.html.document_fromstring(html)
    # Each box has a label a screen reader reads: the agency and the question.
    police_attended = document.xpath("//input[@name='agency-police-attended']")[0]
    label = document.xpath(f"//label[@for='{police_attended.get('id')}']")[0]
    assert label.text_content().strip() == "Police: attended"
    assert document.xpath("//input[@name='agency-police-invited']")[0].get("checked") is not None


def test_with_nobody_invited_the_grouped_agencies_are_open(client, iro_user, chair):
    client.force_login(iro_user)
    conference, _ = _booked(chair, agencies=[])
    html = client.get(reverse("conferences:conference-record", args=[conference.pk])).content.decode()
    assert [(caption, state) for caption, state, _ in _tables(html)] == [
        ("Health", "open"),
        ("Education", "open"),
        ("Police and probation", "open"),
        ("Housing and other agencies", "open"),
    ]


def test_a_box_ticked_among_the_others_is_shown_again_with_the_errors_and_then_saved(client, iro_user, chair):
    """GIVEN a conference that invited the police
    WHEN the chair ticks that the GP attended but forgets Amy's outcome
    THEN the page comes back with the other agencies open (the GP's tick kept), and once the
    outcome is given the GP is recorded as invited and attending."""
    client.force_login(iro_user)
    conference, amy = _booked(chair, agencies=["police"])
    url = reverse("conferences:conference-record", args=[conference.pk])
    version = {"seen_updated_at": conference.updated_at.isoformat()}
    again = client.post(url, {"agency-gp-attended": "on", **version}).content.decode()
    assert "Select the outcome for Amy" in again
    assert (
        "Health",
        "open",
        ["GP", "Health visitor", "School nurse", "Adult mental health", "Substance misuse service"],
    ) in _tables(again)
    document = lxml.html.document_fromstring(again)
    assert document.xpath("//input[@name='agency-gp-attended']")[0].get("checked") is not None
    # The error summary goes to Amy's first outcome, which is on the page.
    link = document.xpath("//*[contains(@class, 'govuk-error-summary__list')]//a")[0]
    assert link.get("href") == f"#id_child-{amy.pk}-outcome_1"
    assert document.xpath(f"//input[@id='id_child-{amy.pk}-outcome_1']")
    saved = client.post(url, {"agency-gp-attended": "on", f"child-{amy.pk}-outcome": "not_needed", **version})
    assert saved.status_code == 302
    gp = conference.invitations.get(agency="gp")
    assert gp.attended
    assert sorted(conference.invitations.values_list("agency", flat=True)) == ["gp", "police"]


def test_booking_says_first_that_an_initial_conference_needs_a_strategy_discussion(
    client, support_user, chair
):
    """GIVEN a family with no strategy discussion
    WHEN business support open the booking page, then send it with only the type chosen
    THEN the page says so above the form with a link to record one, and the error summary's
    first message is the missing discussion, though the date, chair and children are missing too."""
    client.force_login(support_user)
    family, _ = family_with_children("Amy")
    url = reverse("conferences:conference-book", args=[family.pk])
    page = lxml.html.document_fromstring(client.get(url).content.decode())
    inset = page.xpath("//*[@id='no-strategy-discussion']")[0]
    assert "No strategy discussion is recorded for this family" in inset.text_content()
    record = reverse("conferences:strategy-discussion-add", args=[family.pk])
    assert inset.xpath(f".//a[@href='{record}']")
    # The inset comes before the form's first field.
    assert page.xpath("//*[@id='no-strategy-discussion']/following::select[@name='conference_type']")
    response = client.post(url, {"conference_type": ConferenceType.INITIAL})
    document = lxml.html.document_fromstring(response.content.decode())
    messages = [
        (link.get("href"), link.text_content().strip())
        for link in document.xpath("//*[contains(@class, 'govuk-error-summary__list')]//a")
    ]
    assert messages[0] == ("#id_strategy_discussion", BookingFormMessages.none)
    assert [href for href, _ in messages[1:]] == ["#id_date", "#id_chair", "#id_children_1"]
    assert not Conference.objects.exists()


def test_booking_asks_to_choose_the_discussion_when_there_is_one(client, support_user, chair):
    client.force_login(support_user)
    family, (amy,) = family_with_children("Amy")
    strategy_discussion_record(family=family, on=date(2016, 6, 1), children=[amy])
    url = reverse("conferences:conference-book", args=[family.pk])
    page = client.get(url).content.decode()
    assert 'id="no-strategy-discussion"' not in page
    response = client.post(url, {"conference_type": ConferenceType.INITIAL_AND_PRE_BIRTH})
    assert BookingFormMessages.choose in response.content.decode()


def test_a_receiving_in_or_review_conference_needs_no_strategy_discussion(client, support_user, chair):
    client.force_login(support_user)
    family, _ = family_with_children("Amy")
    url = reverse("conferences:conference-book", args=[family.pk])
    for kind in (ConferenceType.INITIAL_RECEIVING_IN, ConferenceType.REVIEW):
        page = client.post(url, {"conference_type": kind}).content.decode()
        assert BookingFormMessages.none not in page, kind


class BookingFormMessages:
    none = (
        "Record the strategy discussion that started the section 47 enquiry first: an initial "
        "conference counts from it, and none is recorded for this family"
    )
    choose = (
        "Select the strategy discussion that started the section 47 enquiry: an initial conference "
        "counts from it"
    )


def test_an_error_about_one_child_is_shown_beside_that_childs_answers(client, iro_user, chair):
    """GIVEN a conference about Amy and Ben, where Ben has no plan
    WHEN the chair records no plan needed for both but ticks a category for Ben
    THEN the service's error is shown against Ben's categories, not Amy's, although the page
    lists Amy first (the error carries the child; nothing is guessed from its words)."""
    client.force_login(iro_user)
    family, (amy, ben) = family_with_children("Amy", "Ben")
    discussion = strategy_discussion_record(family=family, on=date(2016, 6, 1), children=[amy, ben])
    conference = conference_book(
        family=family,
        conference_type=ConferenceType.INITIAL,
        on=date(2016, 6, 15),
        chair=chair,
        children=[(amy, "initial"), (ben, "initial")],
        strategy_discussion=discussion,
        agencies=[],
    )
    url = reverse("conferences:conference-record", args=[conference.pk])
    response = client.post(
        url,
        {
            f"child-{amy.pk}-outcome": "not_needed",
            f"child-{ben.pk}-outcome": "not_needed",
            f"child-{ben.pk}-categories": "NEG",
            "seen_updated_at": conference.updated_at.isoformat(),
        },
    )
    assert response.status_code == 200
    document = lxml.html.document_fromstring(response.content.decode())
    link = document.xpath("//*[contains(@class, 'govuk-error-summary__list')]//a")[0]
    assert link.text_content().strip() == f"{ben.full_name} has no plan, so has no categories of abuse"
    assert link.get("href").startswith(f"#id_child-{ben.pk}-categories")
    assert Conference.objects.get(pk=conference.pk).status == "booked"
