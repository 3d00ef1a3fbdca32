"""The conference pages: who may open them, what they show, what they log, and a fixed number
of queries on every list whatever its length."""

import html
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conferences.models import ChildProtectionPlan, Conference, ConferenceType
from conferences.services import (
    ChildDecision,
    appeal_record,
    conference_book,
    conference_record,
    strategy_discussion_record,
)
from iro_service.audit.models import AccessLog
from tests.factories import ChildFactory, FamilyMembershipFactory, StaffMemberFactory, UserFactory
from tests.factories.conferences import family_with_children

pytestmark = pytest.mark.django_db


def build_families(count, *, chair, today):
    """``count`` families of two siblings: each with an initial conference held 10 months ago
    that started both children's plans (record not distributed, appealed by a parent), a first
    review booked in a week, and a strategy discussion about a third child not yet booked."""
    held_on = today - timedelta(days=300)
    families = []
    for _ in range(count):
        family, (amy, ben) = family_with_children("Amy", "Ben")
        discussion = strategy_discussion_record(
            family=family, on=held_on - timedelta(days=10), children=[amy, ben]
        )
        initial = conference_book(
            family=family,
            conference_type=ConferenceType.INITIAL,
            on=held_on,
            chair=chair,
            children=[(amy, "initial"), (ben, "initial")],
            strategy_discussion=discussion,
            agencies=["police"],
        )
        conference_record(
            conference=initial,
            decisions={
                amy.pk: ChildDecision("plan_started", ("NEG",)),
                ben.pk: ChildDecision("plan_started", ("EMO",)),
            },
        )
        appeal_record(
            conference=initial, appellant="parent_or_carer", received_on=held_on + timedelta(days=3)
        )
        conference_book(
            family=family,
            conference_type=ConferenceType.FIRST_REVIEW,
            on=today + timedelta(days=7),
            chair=chair,
            children=[(amy, "first_review"), (ben, "first_review")],
        )
        cara = ChildFactory(first_name="Cara")
        FamilyMembershipFactory(family=family, child=cara, start_date=date(2010, 1, 1))
        strategy_discussion_record(family=family, on=today - timedelta(days=2), children=[cara])
        families.append(family)
    return families


@pytest.fixture
def chair(iro_user):
    return StaffMemberFactory(first_name="Helen", last_name="Ashworth", user=iro_user)


LISTS = [
    ("conferences:mine", "iro_user"),
    ("conferences:to-book", "support_user"),
    ("conferences:reports-outstanding", "support_user"),
    ("conferences:records-to-distribute", "support_user"),
    ("conferences:structured-reviews", "manager_user"),
    ("conferences:appeal-list", "manager_user"),
    ("conferences:family-list", "manager_user"),
]


@pytest.mark.parametrize(("url_name", "persona"), LISTS)
def test_every_list_uses_the_same_number_of_queries_for_more_rows(client, request, chair, url_name, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    today = timezone.localdate()
    build_families(2, chair=chair, today=today)
    url = reverse(url_name)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    build_families(4, chair=chair, today=today)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]


def test_family_page_queries_do_not_grow_with_conferences(client, manager_user, chair):
    client.force_login(manager_user)
    today = timezone.localdate()
    (family,) = build_families(1, chair=chair, today=today)
    url = reverse("conferences:family-detail", args=[family.pk])
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    # A sibling moves in and has her own conference: more rows, same queries.
    dora = ChildFactory(first_name="Dora")
    FamilyMembershipFactory(family=family, child=dora, start_date=date(2010, 1, 1))
    discussion = strategy_discussion_record(family=family, on=today - timedelta(days=30), children=[dora])
    conference_record(
        conference=conference_book(
            family=family,
            conference_type=ConferenceType.INITIAL,
            on=today - timedelta(days=20),
            chair=StaffMemberFactory(),
            children=[(dora, "initial")],
            strategy_discussion=discussion,
        ),
        decisions={dora.pk: ChildDecision("plan_started", ("PHY",))},
    )
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(large) == len(small)
    page = response.content.decode()
    assert "Change of chair" in page
    assert page.count("Repeat plan") == 0


@pytest.mark.parametrize(
    ("url_name", "allowed", "refused"),
    [
        ("conferences:mine", ["iro_user", "manager_user", "senior_user"], ["no_role_user"]),
        (
            "conferences:to-book",
            ["support_user", "manager_user"],
            ["iro_user", "senior_user", "no_role_user"],
        ),
        ("conferences:reports-outstanding", ["support_user", "manager_user"], ["iro_user", "senior_user"]),
        ("conferences:records-to-distribute", ["support_user", "manager_user"], ["iro_user", "senior_user"]),
        ("conferences:structured-reviews", ["manager_user"], ["iro_user", "support_user", "senior_user"]),
        ("conferences:appeal-list", ["manager_user", "iro_user", "senior_user"], ["no_role_user"]),
    ],
)
def test_who_may_open_each_list(client, request, url_name, allowed, refused):
    for persona in allowed:
        client.force_login(request.getfixturevalue(persona))
        assert client.get(reverse(url_name)).status_code == 200, persona
    for persona in refused:
        client.force_login(request.getfixturevalue(persona))
        assert client.get(reverse(url_name)).status_code == 403, persona


def test_only_chairs_and_managers_record_and_only_support_and_managers_book(client, request, chair):
    today = timezone.localdate()
    (family,) = build_families(1, chair=chair, today=today)
    booked = Conference.objects.get(family=family, status="booked")
    record = reverse("conferences:conference-record", args=[booked.pk])
    book = reverse("conferences:conference-book", args=[family.pk])
    distribute = reverse(
        "conferences:conference-distribute", args=[Conference.objects.get(family=family, status="held").pk]
    )
    for persona, codes in {
        "iro_user": (200, 403, 403),
        "support_user": (403, 200, 200),
        "manager_user": (200, 200, 200),
        "senior_user": (403, 403, 403),
    }.items():
        client.force_login(request.getfixturevalue(persona))
        assert (
            client.get(record).status_code,
            client.get(book).status_code,
            client.get(distribute).status_code,
        ) == codes, persona


def test_recording_a_conference_for_two_siblings_through_the_page(client, iro_user, chair):
    """GIVEN an initial conference booked for Amy and Ben
    WHEN the chair records a plan for Amy (neglect) and none for Ben, with the police attending
    THEN the conference is held, Amy's plan starts, and each child's view is logged."""
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
    )
    url = reverse("conferences:conference-record", args=[conference.pk])
    page = client.get(url)
    assert page.status_code == 200
    version = {"seen_updated_at": conference.updated_at.isoformat()}
    missing = client.post(url, {f"child-{amy.pk}-outcome": "plan_started", **version})
    assert "Select the outcome for Ben" in missing.content.decode()
    assert "Select at least one category" not in missing.content.decode()
    no_category = client.post(
        url, {f"child-{amy.pk}-outcome": "plan_started", f"child-{ben.pk}-outcome": "not_needed", **version}
    )
    assert "Select at least one category of abuse for Amy" in no_category.content.decode()
    response = client.post(
        url,
        {
            f"child-{amy.pk}-outcome": "plan_started",
            f"child-{amy.pk}-categories": ["NEG"],
            f"child-{ben.pk}-outcome": "not_needed",
            "agency-police-attended": "on",
            **version,
        },
    )
    assert response.status_code == 302
    conference.refresh_from_db()
    assert conference.status == "held"
    assert ChildProtectionPlan.objects.get(child=amy).categories == ["NEG"]
    assert conference.invitations.get(agency="police").attended
    assert set(
        AccessLog.objects.filter(what="Conferences: record a conference").values_list("child", flat=True)
    ) == {
        amy.pk,
        ben.pk,
    }


def test_business_support_books_a_conference_and_stages_follow_the_plans(client, support_user, chair):
    client.force_login(support_user)
    family, (amy,) = family_with_children("Amy")
    discussion = strategy_discussion_record(family=family, on=date(2016, 6, 1), children=[amy])
    url = reverse("conferences:conference-book", args=[family.pk])
    refused = client.post(
        url,
        {
            "conference_type": "initial",
            "date": "31/05/2016",
            "chair": chair.pk,
            "children": [amy.pk],
            "strategy_discussion": discussion.pk,
        },
    )
    assert (
        "The conference cannot be before its strategy discussion on 1 June 2016" in refused.content.decode()
    )
    response = client.post(
        url,
        {
            "conference_type": "initial",
            "date": "14/06/2016",
            "chair": chair.pk,
            "children": [amy.pk],
            "strategy_discussion": discussion.pk,
            "agencies": ["police", "school"],
        },
    )
    assert response.status_code == 302
    conference = Conference.objects.get()
    assert conference.children.get().stage == "initial"
    assert sorted(conference.invitations.values_list("agency", flat=True)) == ["police", "school"]


def test_report_after_the_conference_is_refused_on_the_page(client, support_user, chair):
    client.force_login(support_user)
    family, (amy,) = family_with_children("Amy")
    discussion = strategy_discussion_record(family=family, on=date(2016, 6, 1), children=[amy])
    conference = conference_book(
        family=family,
        conference_type=ConferenceType.INITIAL,
        on=date(2016, 6, 15),
        chair=chair,
        children=[(amy, "initial")],
        strategy_discussion=discussion,
    )
    response = client.post(
        reverse("conferences:conference-reports", args=[conference.pk]),
        {"report_to_parents_on": "16/06/2016", "seen_updated_at": conference.updated_at.isoformat()},
    )
    assert "cannot be after the conference on 15 June 2016" in response.content.decode()
    conference.refresh_from_db()
    assert conference.report_to_parents_on is None


def test_a_stale_report_dates_save_is_refused_in_the_error_summary(client, support_user, chair):
    """Two people open the report dates page; the first saves. The second's save, from the old
    version, is refused with the reason in the error summary and changes nothing."""
    client.force_login(support_user)
    family, (amy,) = family_with_children("Amy")
    discussion = strategy_discussion_record(family=family, on=date(2016, 6, 1), children=[amy])
    conference = conference_book(
        family=family,
        conference_type=ConferenceType.INITIAL,
        on=date(2016, 6, 15),
        chair=chair,
        children=[(amy, "initial")],
        strategy_discussion=discussion,
    )
    url = reverse("conferences:conference-reports", args=[conference.pk])
    opened = conference.updated_at.isoformat()
    assert (
        client.post(url, {"report_to_parents_on": "10/06/2016", "seen_updated_at": opened}).status_code == 302
    )
    response = client.post(url, {"report_to_parents_on": "13/06/2016", "seen_updated_at": opened})
    assert response.status_code == 200
    assert "Someone else changed this conference while you were editing" in response.content.decode()
    conference.refresh_from_db()
    assert conference.report_to_parents_on == date(2016, 6, 10)
    # A garbled version (a tampered or truncated page) is said at the top, not lost in a hidden field.
    response = client.post(url, {"report_to_parents_on": "13/06/2016", "seen_updated_at": "yesterday"})
    assert "This page is out of date. Reload it, then make your change again." in response.content.decode()
    conference.refresh_from_db()
    assert conference.report_to_parents_on == date(2016, 6, 10)


def test_a_manager_records_and_moves_on_an_appeal(client, manager_user, chair):
    """GIVEN a held conference
    WHEN a manager records a young person's appeal and later its outcome, not upheld, with the
    date of the written response
    THEN the appeal list shows it; an iro may see the list but not change it."""
    client.force_login(manager_user)
    today = timezone.localdate()
    (family,) = build_families(1, chair=chair, today=today)
    held = Conference.objects.get(family=family, status="held")
    response = client.post(
        reverse("conferences:appeal-add", args=[held.pk]),
        {
            "appellant": "young_person",
            "received_on": held.date.strftime("%d/%m/%Y"),
            "stage": 1,
            "outcome": "pending",
        },
    )
    assert response.status_code == 302
    appeal = held.appeals.get(appellant="young_person")
    url = reverse("conferences:appeal-update", args=[appeal.pk])
    version = {"seen_updated_at": appeal.updated_at.isoformat()}
    refused = client.post(url, {"stage": 1, "outcome": "not_upheld", **version})
    assert "Enter the date the written response was sent" in refused.content.decode()
    client.post(
        url, {"stage": 1, "outcome": "not_upheld", "response_sent_on": today.strftime("%d/%m/%Y"), **version}
    )
    appeal.refresh_from_db()
    assert (appeal.outcome, appeal.response_sent_on) == ("not_upheld", today)
    assert "Young person" in client.get(reverse("conferences:appeal-list")).content.decode()
    client.logout()
    iro = UserFactory(role="IRO", username="another-iro")
    client.force_login(iro)
    assert client.get(url).status_code == 403


def test_an_empty_appeal_says_what_to_enter_for_every_field(client, manager_user, chair):
    """Not Django's "This field is required.": each message names what to enter."""
    client.force_login(manager_user)
    (family,) = build_families(1, chair=chair, today=timezone.localdate())
    held = Conference.objects.get(family=family, status="held")
    page = html.unescape(client.post(reverse("conferences:appeal-add", args=[held.pk]), {}).content.decode())
    for message in (
        "Select who is appealing",
        "Enter the date the appeal was received",
        "Select the stage the appeal has reached",
        "Select the outcome of the appeal, or Not yet decided",
    ):
        assert message in page
    assert "This field is required" not in page
    appeal = held.appeals.get()
    url = reverse("conferences:appeal-update", args=[appeal.pk])
    page = html.unescape(
        client.post(
            url, {"stage": "7", "outcome": "", "seen_updated_at": appeal.updated_at.isoformat()}
        ).content.decode()
    )
    assert "Select the stage the appeal has reached: 1, 2 or 3" in page
    assert "Select the outcome of the appeal, or Not yet decided" in page
    assert "Select a valid choice" not in page and "This field is required" not in page
