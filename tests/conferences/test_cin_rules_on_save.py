"""The DfE's CIN census rules checked when a strategy discussion is recorded or a conference is
booked, stood down or recorded: each rule warns on a record that breaks it and not on one just
inside it, on the next page after the form is sent and in the API's answer, and the record is
saved either way. Boundaries are worked out by hand from the DfE's rule (the package's source).

Every record is in the collection year 1 April 2026 to 31 March 2027 (the 2026-27 census,
reference date 31 March 2027), dated before today so that a conference can be recorded as held.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conferences import dfe_rules, selectors
from conferences.models import CinEpisode, Conference, ConferenceType, Section47Enquiry
from conferences.services import conference_book, strategy_discussion_record
from tests.factories import StaffMemberFactory
from tests.factories.conferences import family_with_children

pytestmark = pytest.mark.django_db

DISCUSSION = date(2026, 11, 2)  # a Monday
CONFERENCE = date(2026, 11, 16)  # a Monday, two weeks later
BANNER = "Check before the return"
# A UPN of the DfE's form (a letter and 12 digits), so that 8770Q is not what a test finds.
UPN = "A123456789012"
STRATEGY_DISCUSSIONS = "/api/v1/strategy-discussions/"
CONFERENCES = "/api/v1/conferences/"


@pytest.fixture
def chair(iro_user):
    return StaffMemberFactory(first_name="Helen", last_name="Ashworth", user=iro_user)


def rules_of(warnings) -> list[str]:
    return [warning.rule for warning in warnings]


def _family(name="Amy", **child_fields):
    child_fields.setdefault("upn", UPN)
    family, (child,) = family_with_children(name, **child_fields)
    return family, child


def _discussion_page(client, user, family, child, on=DISCUSSION):
    client.force_login(user)
    url = reverse("conferences:strategy-discussion-add", args=[family.pk])
    response = client.post(url, {"date": f"{on:%d/%m/%Y}", "children": [child.pk]}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def _discussion_api(token_client, user, family, child, on=DISCUSSION, s47_start=None):
    writer = token_client("read", "write", user=user)
    body = {"family": family.pk, "date": on.isoformat(), "children": [child.pk]}
    if s47_start is not None:
        body["s47_start_date"] = s47_start.isoformat()
    response = writer.post(STRATEGY_DISCUSSIONS, body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def _booked(chair, family, child, *, on=CONFERENCE, discussion=None):
    discussion = discussion or strategy_discussion_record(family=family, on=DISCUSSION, children=[child])
    return conference_book(
        family=family,
        conference_type=ConferenceType.INITIAL,
        on=on,
        chair=chair,
        children=[(child, "initial")],
        strategy_discussion=discussion,
    )


def _record_page(client, user, conference, child, outcome="plan_started"):
    client.force_login(user)
    body = {f"child-{child.pk}-outcome": outcome, "seen_updated_at": conference.updated_at.isoformat()}
    if outcome == "plan_started":
        body[f"child-{child.pk}-categories"] = ["NEG"]
    url = reverse("conferences:conference-record", args=[conference.pk])
    response = client.post(url, body, follow=True)
    assert response.status_code == 200
    assert Conference.objects.get(pk=conference.pk).status == "held"  # saved either way
    return response.content.decode()


def _record_api(token_client, user, conference, child, outcome="plan_started"):
    writer = token_client("read", "write", user=user)
    decision = {"child": child.pk, "outcome": outcome}
    if outcome == "plan_started":
        decision["categories"] = ["NEG"]
    response = writer.post(
        f"{CONFERENCES}{conference.pk}/record/",
        {"decisions": [decision], "version": conference.updated_at.isoformat()},
        format="json",
    )
    assert response.status_code == 200, response.json()
    return response.json()


def _api_rules(answer) -> list[str]:
    return [warning["rule"] for warning in answer["dfe_warnings"]]


# --- 2990: activity in an episode closed after assessment with no further action --------------


def _closed_after_assessment(child):
    # Referred 1 October 2026, closed 20 October 2026 as RC8 (no further action).
    return CinEpisode.objects.create(
        child=child,
        referral_date=date(2026, 10, 1),
        referral_source="1A",
        primary_need="N1",
        closure_date=date(2026, 10, 20),
        closure_reason="RC8",
    )


@pytest.mark.parametrize(("on", "warned"), [(date(2026, 10, 20), True), (date(2026, 10, 21), False)])
def test_2990_an_enquiry_in_an_episode_closed_with_no_further_action(client, support_user, on, warned):
    # An enquiry on the closure day (20 October) is in the closed episode (the export holds in an
    # episode what is dated from its referral to its closure, both days in); one the day after
    # starts an episode of its own.
    family, child = _family()
    _closed_after_assessment(child)
    page = _discussion_page(client, support_user, family, child, on=on)
    assert Section47Enquiry.objects.filter(child=child).count() == 1  # saved either way
    assert ("DfE rule 2990" in page) is warned
    if warned:
        assert BANNER in page
        assert "Activity is recorded against a case marked as" in page
        assert (
            "The CIN episode referred on 1 October 2026 was closed on 20 October 2026 as &#x27;case "
            "closed after assessment, no further action&#x27; (RC8), but a section 47 enquiry started on "
            "20 October 2026 is recorded within it." in page
        )
    else:
        assert BANNER not in page


def test_2990_in_the_api_answer(token_client, support_user):
    family, child = _family()
    episode = _closed_after_assessment(child)
    answer = _discussion_api(token_client, support_user, family, child, on=date(2026, 10, 15))
    assert answer["dfe_warnings"] == [
        {
            "rule": "2990",
            "message": (
                "Activity is recorded against a case marked as \u2018Case closed after assessment, no "
                "further action\u2019 or 'case closed after assessment, referred to early help'."
            ),
            "record": "cin_episode",
            "record_id": episode.pk,
            "child": child.pk,
            "date": "2026-10-01",
            "detail": (
                "The CIN episode referred on 1 October 2026 was closed on 20 October 2026 as 'case closed "
                "after assessment, no further action' (RC8), but a section 47 enquiry started on "
                "15 October 2026 is recorded within it. Check the reason for closure with the social "
                "worker, or the dates of the child protection records."
            ),
        }
    ]


# --- 8530Q: an expected date of birth outside the census's range -------------------------------


@pytest.mark.parametrize(("expected", "warned"), [(date(2027, 12, 30), False), (date(2027, 12, 31), True)])
def test_8530q_expected_date_of_birth_too_late(client, support_user, expected, warned):
    # Reference date 31 March 2027: 9 months on is 31 December 2027, and the DfE fails an expected
    # date on or after it (">= latest_date"); 30 December passes.
    family, child = _family("Baby", date_of_birth=None, expected_date_of_birth=expected)
    page = _discussion_page(client, support_user, family, child)
    assert ("DfE rule 8530Q" in page) is warned
    if warned:
        assert "Expected Date of Birth is outside the expected range for this census" in page
        assert (
            "expected date of birth, 31 December 2027, is outside what the 2026-27 census accepts for a "
            "child not born by 31 March 2027 (2 March 2027 to 30 December 2027): check the expected "
            "date of birth." in page
        )


@pytest.mark.parametrize(
    ("expected", "as_of", "warned"),
    [
        # 31 March 2027 less 30 days is 1 March 2027: the DfE fails an expected date on or before it.
        (date(2027, 3, 1), date(2027, 3, 10), True),
        (date(2027, 3, 2), date(2027, 3, 10), False),
        # Still to come on the day checked: the child may be born by 31 March (see the module).
        (date(2027, 3, 1), date(2027, 3, 1), False),
    ],
)
def test_8530q_expected_date_of_birth_passed_with_no_birth(expected, as_of, warned):
    family, child = _family("Baby", date_of_birth=None, expected_date_of_birth=expected)
    strategy_discussion_record(family=family, on=DISCUSSION, children=[child])
    found = selectors.children_dfe_warnings(child_ids=[child.pk], year=2027, as_of=as_of)
    assert ("8530Q" in rules_of(found)) is warned


def test_8530q_in_the_api_answer(token_client, support_user):
    family, child = _family("Baby", date_of_birth=None, expected_date_of_birth=date(2028, 1, 5))
    assert _api_rules(_discussion_api(token_client, support_user, family, child)) == ["8530Q"]


# --- 8615: a section 47 enquiry that started after its initial conference ----------------------


@pytest.mark.parametrize(("held_on", "warned"), [(date(2026, 11, 9), True), (date(2026, 11, 10), False)])
def test_8615_enquiry_started_after_the_initial_conference(
    client, token_client, support_user, manager_user, chair, held_on, warned
):
    # Discussion 2 November, enquiry started 10 November (the API takes a later start). A
    # conference on 9 November is before the enquiry's start (">"); on 10 November it is not.
    family, child = _family()
    made = _discussion_api(token_client, support_user, family, child, s47_start=date(2026, 11, 10))
    discussion = family.strategy_discussions.get(pk=made["id"])
    booked = _booked(chair, family, child, on=held_on, discussion=discussion)
    assert "8615" not in rules_of(booked.dfe_warnings)  # booked, not held: not in the census yet
    page = _record_page(client, manager_user, booked, child)
    assert ("DfE rule 8615" in page) is warned
    if warned:
        assert (
            "&#x27;s section 47 enquiry started on 10 November 2026, after the initial conference on "
            "9 November 2026 that followed it." in page
        )


def test_8615_in_the_api_answer(token_client, support_user, manager_user, chair):
    family, child = _family()
    made = _discussion_api(token_client, support_user, family, child, s47_start=date(2026, 11, 10))
    booked = _booked(
        chair, family, child, on=date(2026, 11, 9), discussion=family.strategy_discussions.get(pk=made["id"])
    )
    answer = _record_api(token_client, manager_user, booked, child)
    assert _api_rules(answer) == ["8615"]
    (warning,) = answer["dfe_warnings"]
    assert warning["record"] == "section47_enquiry" and warning["date"] == "2026-11-10"
    assert warning["message"].startswith("Section 47 Enquiry Start Date must be present and cannot be later")


# --- 8770Q: no UPN for a child of school age -----------------------------------------------------


@pytest.mark.parametrize(("born", "warned"), [(date(2021, 8, 31), True), (date(2021, 9, 1), False)])
def test_8770q_no_upn_for_a_child_of_school_age(client, support_user, born, warned):
    # 31 March 2027 + 4 months + 31 days = 31 August 2027, less 6 years: 31 August 2021. The DfE
    # counts a child born on or before it as of school age ("<=").
    family, child = _family(date_of_birth=born, upn="")
    page = _discussion_page(client, support_user, family, child)
    assert ("DfE rule 8770Q" in page) is warned
    if warned:
        assert "UPN is missing or reason UPN is missing or is UN1 for a child who is of school age" in page
        assert (
            "was born on 31 August 2021 and is of school age in the 2026-27 census, but has no unique "
            "pupil number (UPN). Record the UPN, or the reason it is not known (UN2 to UN7)." in page
        )


@pytest.mark.parametrize(("upn", "warned"), [("UN1", True), ("UN8", True), ("UN2", False), (UPN, False)])
def test_8770q_the_reasons_a_upn_is_not_known(upn, warned):
    # UN1 is "not of school age"; UN8 is a code the census does not take (the export writes
    # neither); UN2 to UN7 are accepted.
    family, child = _family(date_of_birth=date(2015, 1, 1), upn=upn)
    discussion = strategy_discussion_record(family=family, on=DISCUSSION, children=[child])
    assert ("8770Q" in rules_of(discussion.dfe_warnings)) is warned


def test_8770q_not_for_a_referral_with_no_further_action():
    # The DfE checks only the children of a referral that was not "no further action".
    family, child = _family(date_of_birth=date(2015, 1, 1), upn="")
    CinEpisode.objects.create(
        child=child, referral_date=date(2026, 10, 1), referral_source="1A", referral_nfa=True
    )
    discussion = strategy_discussion_record(family=family, on=DISCUSSION, children=[child])
    assert "8770Q" not in rules_of(discussion.dfe_warnings)


def test_8770q_in_the_api_answer(token_client, support_user):
    family, child = _family(date_of_birth=date(2015, 1, 1), upn="")
    assert _api_rules(_discussion_api(token_client, support_user, family, child)) == ["8770Q"]


# --- 8832: a plan for a referral with no further action -----------------------------------------


def _no_further_action(child):
    return CinEpisode.objects.create(
        child=child, referral_date=date(2026, 10, 1), referral_source="1A", referral_nfa=True
    )


@pytest.mark.parametrize(("outcome", "warned"), [("plan_started", True), ("not_needed", False)])
def test_8832_a_plan_for_a_referral_with_no_further_action(client, manager_user, chair, outcome, warned):
    # The referral of 1 October 2026 is open and marked NFA: the plan the conference of 16 November
    # starts is in its episode. With no plan, nothing in the episode is child protection detail
    # the DfE's 8832 looks at (its ChildProtectionPlans module).
    family, child = _family()
    _no_further_action(child)
    booked = _booked(chair, family, child)
    page = _record_page(client, manager_user, booked, child, outcome=outcome)
    assert ("DfE rule 8832" in page) is warned
    if warned:
        assert "Child Protection details provided for a referral with no further action." in page
        name = child.full_name
        assert (
            f"The referral on 1 October 2026 is recorded as no further action, but {name}&#x27;s child "
            "protection plan from 16 November 2026 is in its CIN episode." in page
        )


def test_8832_in_the_api_answer(token_client, manager_user, chair):
    family, child = _family()
    episode = _no_further_action(child)
    answer = _record_api(token_client, manager_user, _booked(chair, family, child), child)
    assert [(w["rule"], w["record"], w["record_id"]) for w in answer["dfe_warnings"]] == [
        ("8832", "cin_episode", episode.pk)
    ]


# --- 8875: an initial conference at a weekend ----------------------------------------------------


@pytest.mark.parametrize(("held_on", "warned"), [(date(2026, 11, 14), True), (date(2026, 11, 13), False)])
def test_8875_an_initial_conference_at_a_weekend(client, support_user, manager_user, chair, held_on, warned):
    # 14 November 2026 is a Saturday (weekday 5, the DfE's ">= 5"); 13 November a Friday.
    family, child = _family()
    discussion = strategy_discussion_record(family=family, on=DISCUSSION, children=[child])
    client.force_login(support_user)
    booking = client.post(
        reverse("conferences:conference-book", args=[family.pk]),
        {
            "conference_type": "initial",
            "date": f"{held_on:%d/%m/%Y}",
            "chair": chair.pk,
            "children": [child.pk],
            "strategy_discussion": discussion.pk,
        },
        follow=True,
    )
    # Booked, not held: only a held conference is in the census.
    assert "DfE rule 8875" not in booking.content.decode()
    booked = Conference.objects.get(family=family)
    page = _record_page(client, manager_user, booked, child)
    assert ("DfE rule 8875" in page) is warned
    if warned:
        assert "The Date of Initial Child Protection Conference cannot be a weekend" in page
        assert (
            "&#x27;s initial conference is recorded on Saturday 14 November 2026, a weekend. Check the "
            "date the conference was held." in page
        )


def test_8875_in_the_api_answer(token_client, manager_user, chair):
    family, child = _family()
    booked = _booked(chair, family, child, on=date(2026, 11, 15))  # a Sunday
    answer = _record_api(token_client, manager_user, booked, child)
    assert [(w["rule"], w["record"], w["record_id"], w["date"]) for w in answer["dfe_warnings"]] == [
        ("8875", "conference", booked.pk, "2026-11-15")
    ]


# --- standing down; clean records; the DfE's messages; the queries --------------------------------


def test_standing_down_shows_the_warnings_for_the_rearranged_conference(client, support_user, chair):
    family, child = _family(date_of_birth=date(2015, 1, 1), upn="")
    booked = _booked(chair, family, child)
    client.force_login(support_user)
    page = client.post(
        reverse("conferences:conference-stand-down", args=[booked.pk]),
        {"reason": "no_interpreter", "rearranged_on": "23/11/2026"},
        follow=True,
    ).content.decode()
    assert "Conference stood down." in page
    assert "DfE rule 8770Q" in page
    assert Conference.objects.filter(family=family).count() == 2


def test_clean_records_have_no_warnings(client, token_client, support_user, manager_user, chair):
    family, child = _family()
    page = _discussion_page(client, support_user, family, child)
    assert "Strategy discussion recorded." in page and BANNER not in page
    booked = _booked(chair, family, child, discussion=family.strategy_discussions.get())
    assert booked.dfe_warnings == []
    assert _record_api(token_client, manager_user, booked, child)["dfe_warnings"] == []


def test_records_of_another_year_are_not_in_this_year_s_census():
    # A referral closed RC8 in 2025-26 and an enquiry dated then are not in the 2026-27 census.
    family, child = _family()
    CinEpisode.objects.create(
        child=child,
        referral_date=date(2025, 10, 1),
        referral_source="1A",
        closure_date=date(2025, 10, 20),
        closure_reason="RC8",
    )
    strategy_discussion_record(family=family, on=date(2025, 10, 15), children=[child])
    assert selectors.children_dfe_warnings(child_ids=[child.pk], year=2027, as_of=date(2026, 12, 1)) == []
    last_year = selectors.children_dfe_warnings(child_ids=[child.pk], year=2026, as_of=date(2026, 12, 1))
    assert rules_of(last_year) == ["2990"]


def test_every_rule_has_the_dfe_s_message():
    for code, label in dfe_rules.rule_choices(2027):
        assert label.startswith(f"{code}: ") and "DfE rule" not in label, label


def test_the_check_takes_the_same_queries_for_more_children_and_records(chair):
    # Five queries: the children, and their CIN episodes, enquiries, plans and conferences.
    def children(count):
        ids = []
        for _ in range(count):
            family, child = _family(date_of_birth=date(2015, 1, 1), upn="")
            _closed_after_assessment(child)
            discussion = strategy_discussion_record(family=family, on=date(2026, 10, 10), children=[child])
            _booked(chair, family, child, discussion=discussion)
            ids.append(child.pk)
        return ids

    few, many = children(1), children(4)
    with CaptureQueriesContext(connection) as small:
        found_few = selectors.children_dfe_warnings(child_ids=few, year=2027, as_of=date(2026, 12, 1))
    with CaptureQueriesContext(connection) as large:
        found_many = selectors.children_dfe_warnings(child_ids=few + many, year=2027, as_of=date(2026, 12, 1))
    assert len(small) == len(large) == 5
    # Each child: 2990 (the enquiry of 10 October in the episode closed RC8 on 20 October) and
    # 8770Q (born 2015, no UPN).
    assert rules_of(found_few) == ["2990", "8770Q"]
    assert rules_of(found_many) == ["2990", "8770Q"] * 5
