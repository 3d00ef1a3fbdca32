"""Nested bodies (a list of items inside the request) are validated item by item, in a PATCH
as in a POST: an item missing a field it cannot do without is a 400 naming the item and the
field, in DRF's nested shape, never a 500."""

from datetime import date

import pytest

from conferences.models import ChildProtectionPlan, Conference, ConferenceType, StrategyDiscussion
from conferences.services import conference_book, strategy_discussion_record
from reviews.models import LacReview
from tests.factories import ChildFactory, StaffMemberFactory
from tests.factories.conferences import family_with_children
from tests.factories.reviews import period_of_care, review

pytestmark = pytest.mark.django_db

REVIEWS = "/api/v1/reviews/"


@pytest.fixture
def writer(token_client, manager_user):
    """An IRO manager's token with both records scopes: they may write every record."""
    return token_client("read", "write", user=manager_user)


@pytest.fixture
def held_review():
    period = period_of_care(start_date=date(2016, 4, 4), child=ChildFactory(date_of_birth=date(2008, 1, 1)))
    return review(child=period.child, parts=date(2016, 4, 20))


@pytest.mark.parametrize(
    ("parts", "errors"),
    [
        ([{}], {"0": {"date": ["This field is required."]}}),
        ([{"notes": "Health assessment"}], {"0": {"date": ["This field is required."]}}),
        ([{"date": "2016-04-20"}, {"notes": "no date"}], {"1": {"date": ["This field is required."]}}),
        (["2016-04-20"], {"0": {"non_field_errors": ["Invalid data. Expected a dictionary, but got str."]}}),
        ([None], {"0": ["This field may not be null."]}),
        ([], {"non_field_errors": ["This list may not be empty."]}),
        ({"date": "2016-04-20"}, {"non_field_errors": ['Expected a list of items but got type "dict".']}),
    ],
)
def test_changing_a_review_with_a_part_missing_its_date_is_a_400_naming_it(
    writer, held_review, parts, errors
):
    """GIVEN a review held on 20 Apr 2016
    WHEN a client PATCHes its parts with a part that has no date
    THEN the answer is a 400 naming parts.<n>.date (DRF's nested shape) and the review keeps its one part."""
    url = f"{REVIEWS}{held_review.pk}/"
    version = writer.get(url).json()["version"]
    response = writer.patch(url, {"parts": parts, "version": version}, format="json")
    assert response.status_code == 400, response.content
    assert response.json() == {"parts": errors}
    held_review.refresh_from_db()
    assert [part.date for part in held_review.parts.all()] == [date(2016, 4, 20)]


def test_a_part_sent_without_notes_in_a_patch_has_empty_notes(writer, held_review):
    """The item's defaults apply in a PATCH too: a part sent without notes has none."""
    url = f"{REVIEWS}{held_review.pk}/"
    version = writer.get(url).json()["version"]
    response = writer.patch(
        url, {"parts": [{"date": "2016-04-20"}, {"date": "2016-04-22"}], "version": version}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["parts"] == [
        {"part_number": 1, "date": "2016-04-20", "notes": ""},
        {"part_number": 2, "date": "2016-04-22", "notes": ""},
    ]
    assert LacReview.objects.get(pk=held_review.pk).parts.count() == 2


# --- conferences: children, decisions (with categories), attendance; strategy discussions ---

CONFERENCES = "/api/v1/conferences/"
DISCUSSIONS = "/api/v1/strategy-discussions/"


@pytest.fixture
def booked():
    """An initial conference for Amy, booked for 15 Jun 2016 from a strategy discussion."""
    family, (amy,) = family_with_children("Amy")
    discussion = strategy_discussion_record(family=family, on=date(2016, 6, 1), children=[amy])
    return conference_book(
        family=family,
        conference_type=ConferenceType.INITIAL,
        on=date(2016, 6, 15),
        chair=StaffMemberFactory(),
        children=[(amy, "initial")],
        strategy_discussion=discussion,
    )


@pytest.mark.parametrize(
    ("children", "agencies", "errors"),
    [
        (
            [{}],
            [],
            {"children": {"0": {"child": ["This field is required."], "stage": ["This field is required."]}}},
        ),
        ([{"stage": "initial"}], [], {"children": {"0": {"child": ["This field is required."]}}}),
        ([None], [], {"children": {"0": ["This field may not be null."]}}),
        (
            [{"child": "AMY", "stage": "initial"}],
            [],
            {"children": {"0": {"child": ["Incorrect type. Expected pk value, received str."]}}},
        ),
        ("AMY", [], {"children": {"non_field_errors": ['Expected a list of items but got type "str".']}}),
        (
            "AMY_CHILD",
            [{"agency": "police"}],
            {"agencies": {"0": ["\"{'agency': 'police'}\" is not a valid choice."]}},
        ),
    ],
)
def test_booking_with_a_malformed_child_or_agency_is_a_400_naming_it(writer, children, agencies, errors):
    family, (amy,) = family_with_children("Amy")
    if children == "AMY_CHILD":
        children = [{"child": amy.pk, "stage": "initial"}]
    body = {
        "family": family.pk,
        "conference_type": "first_review",
        "date": "2016-06-15",
        "chair": StaffMemberFactory().pk,
        "transfer_notified_on": "2016-06-01",
        "children": children,
        "agencies": agencies,
    }
    response = writer.post(CONFERENCES, body, format="json")
    assert response.status_code == 400, response.content
    assert response.json() == errors
    assert not Conference.objects.exists()


@pytest.mark.parametrize(
    ("decisions", "attendance", "errors"),
    [
        (
            [{}],
            [],
            {
                "decisions": {
                    "0": {"child": ["This field is required."], "outcome": ["This field is required."]}
                }
            },
        ),
        (
            [{"child": "AMY", "outcome": "plan_started"}],
            [],
            {"decisions": {"0": {"child": ["A valid integer is required."]}}},
        ),
        (
            [{"child": "AMY_PK", "outcome": "plan_started", "categories": ["XYZ"]}],
            [],
            {"decisions": {"0": {"categories": {"0": ['"XYZ" is not a valid choice.']}}}},
        ),
        (
            [{"child": "AMY_PK", "outcome": "plan_started", "categories": "NEG"}],
            [],
            {"decisions": {"0": {"categories": ['Expected a list of items but got type "str".']}}},
        ),
        (
            [{"child": "AMY_PK", "outcome": "plan_started", "categories": ["NEG"]}],
            [{}],
            {"attendance": {"0": {"agency": ["This field is required."]}}},
        ),
        (
            [{"child": "AMY_PK", "outcome": "plan_started", "categories": ["NEG"]}],
            [{"agency": "police", "attended": "perhaps"}],
            {"attendance": {"0": {"attended": ["Must be a valid boolean."]}}},
        ),
        (
            [{"child": 2**31, "outcome": "plan_started"}],
            [],
            {"decisions": {"0": {"child": ["Ensure this value is less than or equal to 2147483647."]}}},
        ),
    ],
)
def test_recording_a_malformed_decision_or_attendance_is_a_400_naming_it(
    writer, booked, decisions, attendance, errors
):
    """GIVEN a booked conference
    WHEN its record is sent with an item of `decisions` or `attendance` malformed
    THEN a 400 names the list, the item's index and the field, and the conference stays booked."""
    amy = booked.children.get().child_id
    decisions = [{**row, "child": amy} if row.get("child") == "AMY_PK" else row for row in decisions]
    body = {"decisions": decisions, "attendance": attendance, "version": booked.updated_at.isoformat()}
    response = writer.post(f"{CONFERENCES}{booked.pk}/record/", body, format="json")
    assert response.status_code == 400, response.content
    assert response.json() == errors
    booked.refresh_from_db()
    assert (booked.status, ChildProtectionPlan.objects.count()) == ("booked", 0)


@pytest.mark.parametrize(
    ("children", "errors"),
    [
        ([None], {"children": {"0": ["This field may not be null."]}}),
        ([{"child": 1}], {"children": {"0": ["Incorrect type. Expected pk value, received dict."]}}),
        ("all", {"children": ['Expected a list of items but got type "str".']}),
    ],
)
def test_a_strategy_discussion_with_a_malformed_child_is_a_400_naming_it(writer, children, errors):
    family, _ = family_with_children("Amy")
    response = writer.post(
        DISCUSSIONS, {"family": family.pk, "date": "2016-06-01", "children": children}, format="json"
    )
    assert response.status_code == 400, response.content
    assert response.json() == errors
    assert not StrategyDiscussion.objects.exists()
