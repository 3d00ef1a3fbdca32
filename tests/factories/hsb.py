"""Builders for the hsb app. Referrals, decisions and meetings are made through the services,
so that they hold exactly what the application would write. Synthetic people only."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from hsb import services
from hsb.models import HsbMeeting, HsbReferral
from iro_service.people.codes import JobRole
from tests.factories import ChildFactory, StaffMemberFactory


def hsb_lead(**fields):
    """The HSB lead: a team manager of the safeguarding unit."""
    fields.setdefault("first_name", "Kath")
    fields.setdefault("last_name", "Lowe")
    return StaffMemberFactory(job_role=JobRole.IRO_MANAGER, **fields)


def referral(*, child=None, received_on: date = date(2016, 6, 1), rating: str = "", **fields) -> HsbReferral:
    """A referral received on ``received_on``; with a ``rating``, rated on the 2012 tool."""
    return services.hsb_referral_record(
        child=child or ChildFactory(sex="M", date_of_birth=date(2003, 2, 1)),
        received_on=received_on,
        referrer_name=fields.pop("referrer_name", "Jo Marsh"),
        referrer_team=fields.pop("referrer_team", "Locality Team East"),
        description=fields.pop("description", "Sexualised behaviour towards a younger child at school."),
        rating=rating,
        tool_version="2012" if rating else "",
        **fields,
    )


def decided(
    *, rating: str = "amber", decided_on: date | None = None, outcome: str = "", by=None, **fields
) -> HsbReferral:
    """A referral with its threshold decision, made a week after it was received (or today)."""
    made = referral(**fields)
    return services.hsb_referral_decide(
        referral=made,
        rating=rating,
        tool_version="2012",
        outcome=outcome or ("hsb_meeting" if rating != "green" else "basic_intervention"),
        decided_on=decided_on
        or min(date.fromordinal(made.received_on.toordinal() + 7), timezone.localdate()),
        decided_by=by or hsb_lead(),
    )


def meeting(*, referral: HsbReferral, on: date, chair=None, **fields) -> HsbMeeting:
    fields.setdefault("risk_summary", "Risk to younger children at school; none at home.")
    fields.setdefault("recommendations", "Safety plan at school; AIM2 assessment.")
    return services.hsb_meeting_record(referral=referral, date=on, chair=chair or hsb_lead(), **fields)
