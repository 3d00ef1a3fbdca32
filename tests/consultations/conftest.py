"""The household the conference consultation tests share: a review conference booked in a
week for three children, one in care, one at home, one too young to be asked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from conferences.codes import ConferenceType
from conferences.models import Conference, ConferenceChild
from conferences.services import ChildDecision, conference_book, conference_record, strategy_discussion_record
from iro_service.people.codes import JobRole
from reviews import services as reviews
from tests.factories import IroAllocationFactory, StaffMemberFactory
from tests.factories.conferences import family_with_children
from tests.factories.reviews import period_of_care


@dataclass
class Household:
    chair: object
    manager: object
    iro: object
    amy: object  # 16, in care: her carer may be asked too
    ben: object  # 12, at home: no carer to ask
    cal: object  # 2: too young to be asked
    conference: Conference  # first review, booked in a week
    amy_link: ConferenceChild
    ben_link: ConferenceChild
    cal_link: ConferenceChild
    meeting: object  # Amy's review meeting, for the consultations that are not a conference's


@pytest.fixture
def household(iro_user):
    """Helen chairs the family's first review conference in a week; Kath manages Helen's team;
    Amy's own IRO is Ian (another team). Amy (16) is in care; Ben (12) lives at home; Cal is 2."""
    today = timezone.localdate()
    chair = StaffMemberFactory(
        first_name="Helen", last_name="Ashworth", user=iro_user, email="helen@example.invalid"
    )
    manager = StaffMemberFactory(
        first_name="Kath",
        last_name="Lowe",
        job_role=JobRole.IRO_MANAGER,
        team=chair.team,
        email="kath@example.invalid",
    )
    iro = StaffMemberFactory(first_name="Ian", last_name="Other", email="ian@example.invalid")
    family, (amy, ben, cal) = family_with_children("Amy", "Ben", "Cal", start=date(2010, 1, 1))
    for child, years in ((amy, 16), (ben, 12), (cal, 2)):
        child.date_of_birth = date(today.year - years, 1, 1)
        child.save()
    IroAllocationFactory(child=amy, iro=iro, start_date=today - timedelta(days=200))
    period = period_of_care(child=amy, start_date=today - timedelta(days=200))
    meeting = reviews.review_meeting_book(period=period, on=today + timedelta(days=20))
    held_on = today - timedelta(days=60)
    discussion = strategy_discussion_record(
        family=family, on=held_on - timedelta(days=10), children=[amy, ben, cal]
    )
    initial = conference_book(
        family=family,
        conference_type=ConferenceType.INITIAL,
        on=held_on,
        chair=chair,
        children=[(amy, "initial"), (ben, "initial"), (cal, "initial")],
        strategy_discussion=discussion,
    )
    conference_record(
        conference=initial,
        decisions={child.pk: ChildDecision("plan_started", ("NEG",)) for child in (amy, ben, cal)},
    )
    booked = conference_book(
        family=family,
        conference_type=ConferenceType.FIRST_REVIEW,
        on=today + timedelta(days=7),
        chair=chair,
        children=[(amy, "first_review"), (ben, "first_review"), (cal, "first_review")],
    )
    links = {link.child_id: link for link in booked.children.all()}
    return Household(
        chair=chair,
        manager=manager,
        iro=iro,
        amy=amy,
        ben=ben,
        cal=cal,
        conference=booked,
        amy_link=links[amy.pk],
        ben_link=links[ben.pk],
        cal_link=links[cal.pk],
        meeting=meeting,
    )
