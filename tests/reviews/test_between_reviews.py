"""What an IRO records between reviews: permanence plans, Children's Guardians, referrals for
legal advice."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from reviews import services
from reviews.codes import PermanencePlanType
from reviews.models import CafcassInvolvement, PermanencePlan
from tests.factories.reviews import period_of_care

pytestmark = pytest.mark.django_db


def test_a_permanence_plan_is_agreed_within_the_period_of_care():
    period = period_of_care(start_date=date(2016, 4, 4))
    plan = services.permanence_plan_record(
        period=period, plan_type=PermanencePlanType.LONG_TERM_FOSTERING, date_agreed=date(2016, 7, 20)
    )
    assert str(plan) == "Long-term fostering agreed 20 Jul 2016"
    with pytest.raises(ValidationError) as raised:
        services.permanence_plan_record(period=period, plan_type="adoption", date_agreed=date(2016, 4, 1))
    assert raised.value.message_dict == {
        "date_agreed": ["The plan must be agreed during the period of care."]
    }
    assert PermanencePlan.objects.count() == 1


def test_an_unknown_plan_type_is_refused():
    period = period_of_care(start_date=date(2016, 4, 4))
    with pytest.raises(ValidationError) as raised:
        services.permanence_plan_record(period=period, plan_type="orphanage", date_agreed=date(2016, 7, 20))
    assert "plan_type" in raised.value.message_dict


def test_a_childrens_guardian_hands_over_at_the_end_of_proceedings():
    period = period_of_care(start_date=date(2016, 4, 4), legal_status="C1")
    guardian = services.cafcass_involvement_record(
        child=period.child,
        guardian_name="Ruth Ellison",
        start_date=date(2016, 4, 6),
        end_date=date(2016, 10, 3),
        handover_date=date(2016, 10, 3),
    )
    assert guardian.handover_date == date(2016, 10, 3)
    with pytest.raises(ValidationError):
        services.cafcass_involvement_record(
            child=period.child,
            guardian_name="Marcus Doyle",
            start_date=date(2016, 4, 6),
            end_date=date(2016, 4, 1),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        CafcassInvolvement.objects.create(
            child=period.child, guardian_name="X", start_date=date(2016, 4, 6), handover_date=date(2016, 4, 1)
        )


def test_a_referral_for_legal_advice_cannot_be_in_the_future():
    period = period_of_care(start_date=date(2016, 4, 4))
    referral = services.legal_advice_referral_record(
        child=period.child, date_referred=date(2016, 9, 1), reason="Plan drifting"
    )
    assert referral.outcome == ""
    with pytest.raises(ValidationError) as raised:
        services.legal_advice_referral_record(
            child=period.child, date_referred=timezone.localdate() + timedelta(days=1), reason="x"
        )
    assert raised.value.message_dict == {
        "date_referred": ["The date of the referral must be today or earlier."]
    }
