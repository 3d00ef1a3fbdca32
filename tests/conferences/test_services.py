"""Conferences, plans, reports, records and appeals through the services: bad input gets a clear
message and changes nothing."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from conferences.models import (
    AgencyInvitation,
    Appeal,
    ChildProtectionPlan,
    Conference,
    ConferenceType,
)
from conferences.selectors import plan_is_repeat_within, plans_for_structured_review
from conferences.services import (
    AgencyAttendance,
    ChildDecision,
    appeal_record,
    appeal_update,
    conference_book,
    conference_record,
    conference_record_distribute,
    conference_reminders_send,
    conference_reports_record,
    cp_plan_end,
    strategy_discussion_record,
)
from iro_service.core.versioning import StaleRecordError
from tests.factories import ChildFactory, StaffMemberFactory, UserFactory
from tests.factories.conferences import family_with_children

pytestmark = pytest.mark.django_db


@pytest.fixture
def chair():
    return StaffMemberFactory(first_name="Helen", last_name="Ashworth", email="helen@example.invalid")


def book_initial(family, children, *, discussed=date(2016, 6, 1), on=date(2016, 6, 15), chair):
    discussion = strategy_discussion_record(family=family, on=discussed, children=children)
    return conference_book(
        family=family,
        conference_type=ConferenceType.INITIAL,
        on=on,
        chair=chair,
        children=[(child, "initial") for child in children],
        strategy_discussion=discussion,
        agencies=["police", "gp"],
    )


def test_initial_conference_for_two_siblings_starts_their_plans(chair):
    """GIVEN Amy and Ben in one household and a strategy discussion on 1 Jun 2016
    WHEN their initial conference on 15 Jun 2016 starts a plan for Amy (neglect and emotional
    abuse) and finds none needed for Ben, with the police present and the GP sending a report
    THEN Amy has one open plan from 15 Jun with both categories, Ben none, and the attendance
    is kept per agency."""
    family, (amy, ben) = family_with_children("Amy", "Ben")
    conference = book_initial(family, [amy, ben], chair=chair)
    conference_record(
        conference=conference,
        decisions={
            amy.pk: ChildDecision("plan_started", ("NEG", "EMO")),
            ben.pk: ChildDecision("not_needed"),
        },
        attendance=[
            AgencyAttendance("police", attended=True),
            AgencyAttendance("gp", attended=False, report_submitted=True),
        ],
    )
    conference.refresh_from_db()
    assert conference.status == "held"
    plan = ChildProtectionPlan.objects.get(child=amy)
    assert (plan.start_date, plan.categories, plan.start_conference, plan.end_date) == (
        date(2016, 6, 15),
        ["EMO", "NEG"],
        conference,
        None,
    )
    assert not ChildProtectionPlan.objects.filter(child=ben).exists()
    attendance = {
        (i.agency, i.invited, i.attended, i.report_submitted)
        for i in AgencyInvitation.objects.filter(conference=conference)
    }
    assert attendance == {("police", True, True, False), ("gp", True, False, True)}
    assert set(conference.children.values_list("outcome", flat=True)) == {"plan_started", "not_needed"}


def test_a_conference_before_its_strategy_discussion_is_refused(chair):
    family, children = family_with_children("Amy")
    discussion = strategy_discussion_record(family=family, on=date(2016, 6, 1), children=children)
    with pytest.raises(ValidationError) as caught:
        conference_book(
            family=family,
            conference_type=ConferenceType.INITIAL,
            on=date(2016, 5, 31),
            chair=chair,
            children=[(children[0], "initial")],
            strategy_discussion=discussion,
        )
    assert caught.value.message_dict["date"] == [
        "The conference cannot be before its strategy discussion on 1 June 2016"
    ]
    assert not Conference.objects.exists()


def test_a_plan_with_no_category_is_refused_and_nothing_changes(chair):
    family, (amy,) = family_with_children("Amy")
    conference = book_initial(family, [amy], chair=chair)
    with pytest.raises(ValidationError) as caught:
        conference_record(conference=conference, decisions={amy.pk: ChildDecision("plan_started", ())})
    assert "Select at least one category of abuse for Amy" in caught.value.message_dict["categories"][0]
    conference.refresh_from_db()
    assert conference.status == "booked"
    assert not ChildProtectionPlan.objects.exists()


def test_overlapping_plans_for_one_child_are_refused(chair):
    """GIVEN Amy already on a plan from 1 Jan 2016 (recorded by an import, say)
    WHEN a conference on 15 Jun 2016 tries to start another
    THEN it is refused with the date of the existing plan, and the database refuses it too."""
    family, (amy,) = family_with_children("Amy")
    conference = book_initial(family, [amy], chair=chair)
    ChildProtectionPlan.objects.create(child=amy, start_date=date(2016, 1, 1), categories=["PHY"])
    with pytest.raises(ValidationError, match="already has a child protection plan from 1 January 2016"):
        conference_record(conference=conference, decisions={amy.pk: ChildDecision("plan_started", ("NEG",))})
    assert ChildProtectionPlan.objects.filter(child=amy).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        ChildProtectionPlan.objects.create(child=amy, start_date=date(2016, 6, 15), categories=["NEG"])


def test_an_initial_conference_for_a_child_already_on_a_plan_is_refused(chair):
    family, (amy,) = family_with_children("Amy")
    conference_record(
        conference=book_initial(family, [amy], chair=chair),
        decisions={amy.pk: ChildDecision("plan_started", ("NEG",))},
    )
    with pytest.raises(ValidationError, match="their next conference is a review"):
        book_initial(family, [amy], discussed=date(2016, 7, 1), on=date(2016, 7, 10), chair=chair)


def test_a_review_for_a_child_with_no_open_plan_is_refused(chair):
    family, (amy,) = family_with_children("Amy")
    with pytest.raises(ValidationError) as caught:
        conference_book(
            family=family,
            conference_type=ConferenceType.REVIEW,
            on=date(2016, 9, 1),
            chair=chair,
            children=[(amy, "review")],
        )
    assert "Amy" in caught.value.message_dict["children"][0]
    assert "has no open child protection plan on 1 September 2016" in caught.value.message_dict["children"][0]
    assert not Conference.objects.exists()


def test_a_child_not_in_the_household_cannot_be_considered(chair):
    family, (amy,) = family_with_children("Amy")
    outsider = ChildFactory(first_name="Zed")
    # Neither the strategy discussion about the family...
    with pytest.raises(ValidationError, match=r"Not a member of .*: Zed"):
        strategy_discussion_record(family=family, on=date(2016, 6, 1), children=[outsider])
    # ...nor its conference can be about a child outside the household.
    discussion = strategy_discussion_record(family=family, on=date(2016, 6, 1), children=[amy])
    with pytest.raises(ValidationError, match=r"Zed .* is not in the"):
        conference_book(
            family=family,
            conference_type=ConferenceType.INITIAL,
            on=date(2016, 6, 10),
            chair=chair,
            children=[(outsider, "initial")],
            strategy_discussion=discussion,
        )


def test_combined_type_must_match_the_childrens_stages(chair):
    """Each combined type needs a child at each of its stages: an "Initial / Pre-birth Initial"
    conference with no unborn child is refused, and so is a single type with two stages."""
    family, (amy, ben) = family_with_children("Amy", "Ben")
    discussion = strategy_discussion_record(family=family, on=date(2016, 6, 1), children=[amy, ben])
    with pytest.raises(ValidationError) as caught:
        conference_book(
            family=family,
            conference_type=ConferenceType.INITIAL_AND_PRE_BIRTH,
            on=date(2016, 6, 10),
            chair=chair,
            children=[(amy, "initial"), (ben, "initial")],
            strategy_discussion=discussion,
        )
    assert caught.value.message_dict["conference_type"] == [
        "Initial / Pre-birth Initial conferences are for children at these stages: "
        "Initial, Initial pre-birth. "
        "Check each child's stage or choose the combined type that fits."
    ]


def test_review_ends_one_plan_and_continues_another_with_new_categories(chair):
    """GIVEN Amy and Ben on plans from 15 Jun 2016
    WHEN the first review on 15 Sep 2016 ends Amy's plan and continues Ben's, now for physical abuse
    THEN Amy's plan ends on 15 Sep with the reason, and Ben's continues with the new category."""
    family, (amy, ben) = family_with_children("Amy", "Ben")
    conference_record(
        conference=book_initial(family, [amy, ben], chair=chair),
        decisions={c.pk: ChildDecision("plan_started", ("NEG",)) for c in (amy, ben)},
    )
    review = conference_book(
        family=family,
        conference_type=ConferenceType.FIRST_REVIEW,
        on=date(2016, 9, 15),
        chair=chair,
        children=[(amy, "first_review"), (ben, "first_review")],
    )
    with pytest.raises(ValidationError, match="Select why Amy"):
        conference_record(
            conference=review,
            decisions={amy.pk: ChildDecision("plan_ended"), ben.pk: ChildDecision("plan_continued")},
        )
    conference_record(
        conference=review,
        decisions={
            amy.pk: ChildDecision("plan_ended", end_reason="no_longer_at_risk"),
            ben.pk: ChildDecision("plan_continued", ("PHY",)),
        },
    )
    amy_plan = ChildProtectionPlan.objects.get(child=amy)
    assert (amy_plan.end_date, amy_plan.end_conference, amy_plan.end_reason) == (
        date(2016, 9, 15),
        review,
        "no_longer_at_risk",
    )
    assert ChildProtectionPlan.objects.get(child=ben).categories == ["PHY"]


def test_a_plan_cannot_end_on_a_date_that_is_not_a_conference_date(chair):
    family, (amy,) = family_with_children("Amy")
    conference_record(
        conference=book_initial(family, [amy], chair=chair),
        decisions={amy.pk: ChildDecision("plan_started", ("NEG",))},
    )
    plan = ChildProtectionPlan.objects.get(child=amy)
    with pytest.raises(ValidationError) as caught:
        cp_plan_end(plan=plan, end_date=date(2016, 8, 1), end_reason="no_longer_at_risk")
    assert caught.value.message_dict["end_date"] == [
        "There is no held conference for Amy "
        f"{amy.last_name} on 1 August 2016: a plan ends on the date of the conference that ended it"
    ]
    plan.refresh_from_db()
    assert plan.end_date is None


def test_a_report_date_after_the_conference_is_refused(chair):
    family, (amy,) = family_with_children("Amy")
    conference = book_initial(family, [amy], chair=chair)
    with pytest.raises(ValidationError) as caught:
        conference_reports_record(
            conference=conference,
            report_to_parents_on=date(2016, 6, 16),
            report_to_chair_on=date(2016, 6, 14),
        )
    assert list(caught.value.message_dict) == ["report_to_parents_on"]
    conference.refresh_from_db()
    assert conference.report_to_chair_on is None
    conference_reports_record(
        conference=conference, report_to_parents_on=date(2016, 6, 13), report_to_chair_on=date(2016, 6, 14)
    )
    conference.refresh_from_db()
    # Parents' report due 2 working days before Wed 15 Jun: Mon 13 Jun, so on time.
    assert conference.report_to_parents_on <= conference.parent_report_due == date(2016, 6, 13)


def test_a_stale_edit_of_a_conference_is_refused(chair):
    family, (amy,) = family_with_children("Amy")
    conference = book_initial(family, [amy], chair=chair)
    opened_at = conference.updated_at
    conference_reports_record(
        conference=conference, report_to_parents_on=date(2016, 6, 13), report_to_chair_on=None
    )
    with pytest.raises(StaleRecordError):
        conference_reports_record(
            conference=conference,
            report_to_parents_on=None,
            report_to_chair_on=date(2016, 6, 14),
            seen_updated_at=opened_at,
        )


def test_record_distribution_dates_are_checked(chair):
    family, (amy,) = family_with_children("Amy")
    conference = book_initial(family, [amy], chair=chair)
    with pytest.raises(ValidationError, match="Only a conference that was held"):
        conference_record_distribute(
            conference=conference, completed_on=date(2016, 6, 20), distributed_on=None
        )
    conference_record(conference=conference, decisions={amy.pk: ChildDecision("not_needed")})
    with pytest.raises(ValidationError, match="before it was completed on 20 June 2016"):
        conference_record_distribute(
            conference=conference, completed_on=date(2016, 6, 20), distributed_on=date(2016, 6, 19)
        )
    conference_record_distribute(
        conference=conference, completed_on=date(2016, 6, 20), distributed_on=date(2016, 6, 22)
    )
    conference.refresh_from_db()
    # Record due 10 working days after Wed 15 Jun 2016: Wed 29 Jun.
    assert conference.record_distributed_on <= conference.record_due == date(2016, 6, 29)


def make_plan(child, start, end=None, **fields):
    return ChildProtectionPlan.objects.create(
        child=child,
        start_date=start,
        end_date=end,
        end_reason="no_longer_at_risk" if end else "",
        categories=["NEG"],
        **fields,
    )


def test_repeat_plans_any_earlier_plan_and_within_two_years():
    """Amy: earlier plan ended 1 Jun 2013, new one 1 Jun 2016: a repeat, not within 2 years.
    Ben: earlier plan ended 1 Jan 2015, new one 1 Jun 2016: a repeat within 2 years.
    Cara: first plan: not a repeat. Dan: an import declared 1 earlier plan: a repeat."""
    amy, ben, cara, dan = (ChildFactory(first_name=n) for n in ("Amy", "Ben", "Cara", "Dan"))
    make_plan(amy, date(2012, 1, 10), date(2013, 6, 1))
    make_plan(amy, date(2016, 6, 1))
    make_plan(ben, date(2014, 3, 1), date(2015, 1, 1))
    make_plan(ben, date(2016, 6, 1))
    make_plan(cara, date(2016, 6, 1))
    make_plan(dan, date(2016, 6, 1), previous_plans_declared=1)
    plans = {
        p.child.first_name: p
        for p in ChildProtectionPlan.objects.with_repeat_facts()
        .filter(start_date=date(2016, 6, 1))
        .select_related("child")
    }
    assert {name: bool(p.is_repeat) for name, p in plans.items()} == {
        "Amy": True,
        "Ben": True,
        "Cara": False,
        "Dan": True,
    }
    assert {name: plan_is_repeat_within(p) for name, p in plans.items()} == {
        "Amy": False,
        "Ben": True,
        "Cara": False,
        "Dan": False,
    }


def test_structured_review_list_at_9_months_and_two_year_flag():
    """On 28 Feb 2017: a plan from 31 May 2016 is 9 months old (31 May + 9 months clamps to 28
    Feb); one from 1 Jun 2016 is not; one from 1 Jan 2015 is over 2 years; an ended one is gone."""
    may, june, old, ended = (ChildFactory(first_name=n) for n in ("May", "June", "Old", "Ended"))
    make_plan(may, date(2016, 5, 31))
    make_plan(june, date(2016, 6, 1))
    make_plan(old, date(2015, 1, 1))
    make_plan(ended, date(2016, 1, 1), date(2017, 1, 1))
    rows = list(plans_for_structured_review(on=date(2017, 2, 28)))
    assert [(p.child.first_name, p.over_two_years) for p in rows] == [("Old", True), ("May", False)]


def test_appeals_move_through_stages(chair):
    """GIVEN a parent appeals a plan decision
    WHEN it is resolved at stage 1 with a written response
    THEN the appeal shows stage 1, resolved, with the response date; stages never go back."""
    family, (amy,) = family_with_children("Amy")
    conference = book_initial(family, [amy], chair=chair)
    with pytest.raises(ValidationError, match="conferences that were held"):
        appeal_record(conference=conference, appellant="parent_or_carer", received_on=date(2016, 6, 20))
    conference_record(conference=conference, decisions={amy.pk: ChildDecision("plan_started", ("NEG",))})
    appeal = appeal_record(
        conference=conference, appellant="parent_or_carer", received_on=date(2016, 6, 20), child=amy
    )
    with pytest.raises(ValidationError, match="Enter the date the written response was sent"):
        appeal_update(appeal=appeal, stage=1, outcome="resolved", response_sent_on=None)
    appeal_update(appeal=appeal, stage=2, outcome="pending", response_sent_on=None)
    with pytest.raises(ValidationError, match="stages only go forward"):
        appeal_update(appeal=appeal, stage=1, outcome="resolved", response_sent_on=date(2016, 7, 1))
    appeal = appeal_update(appeal=appeal, stage=2, outcome="withdrawn", response_sent_on=None)
    assert (appeal.stage, appeal.outcome) == (2, "withdrawn")
    assert Appeal.objects.count() == 1


def test_reminders_go_to_the_chair_and_business_support(chair):
    """GIVEN a conference Helen chairs on 15 Jun 2016 with no reports yet
    WHEN reminders run on 6 Jun 2016 (within the 10 working-day window)
    THEN Helen gets her list and business support one summary."""
    UserFactory(role="Business support", email="support@example.invalid")
    family, (amy,) = family_with_children("Amy")
    book_initial(family, [amy], chair=chair)
    assert conference_reminders_send(on=date(2016, 6, 6)) == 2
    assert [m.to for m in mail.outbox] == [["helen@example.invalid"], ["support@example.invalid"]]
    assert family.name in mail.outbox[0].body


def test_a_conference_cannot_be_recorded_before_it_is_held(chair):
    family, (amy,) = family_with_children("Amy")
    conference = book_initial(family, [amy], discussed=date(2016, 6, 1), on=date(2099, 6, 1), chair=chair)
    with pytest.raises(ValidationError, match="record what it decided once it has been held"):
        conference_record(conference=conference, decisions={amy.pk: ChildDecision("not_needed")})
