"""Bad input gets a clear message naming the field, and changes nothing."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from reviews import services
from reviews.models import Episode, LacReview, PeriodOfCare, ReviewPart
from tests.factories import ChildFactory, StaffMemberFactory
from tests.factories.reviews import period_of_care, review

pytestmark = pytest.mark.django_db


def errors_of(call) -> dict:
    with pytest.raises(ValidationError) as raised:
        call()
    return raised.value.message_dict


@pytest.fixture
def toddler():
    """Born 10 June 2012: 4th birthday 10 June 2016; in care from 4 April 2016."""
    child = ChildFactory(first_name="Lily", date_of_birth=date(2012, 6, 10))
    period_of_care(child=child, start_date=date(2016, 4, 4))
    return child


def record(child, held_on, code, **fields):
    return lambda: review(child=child, parts=held_on, participation_code=code, **fields)


def test_a_child_under_4_must_have_pn0(toddler):
    errors = errors_of(record(toddler, date(2016, 6, 9), "PN1"))
    assert errors["participation_code"] == [
        "Lily was under 4 on 9 June 2016, so the participation code is PN0. Choose PN0."
    ]
    assert not LacReview.objects.exists()
    assert review(child=toddler, parts=date(2016, 6, 9), participation_code="PN0").participation_code == "PN0"


@pytest.mark.parametrize("code", ["PN0", "PN1", "PN7"])
def test_on_the_4th_birthday_either_is_accepted(toddler, code):
    assert review(child=toddler, parts=date(2016, 6, 10), participation_code=code).participation_code == code


def test_pn0_is_refused_the_day_after_the_4th_birthday(toddler):
    errors = errors_of(record(toddler, date(2016, 6, 11), "PN0"))
    assert "PN0 is only for a child under 4" in errors["participation_code"][0]


def test_a_review_before_the_period_of_care_is_refused(toddler):
    errors = errors_of(record(toddler, date(2016, 4, 1), "PN0"))
    assert errors["review_date"] == [
        "The review date must be on or after the child came into care on 4 April 2016."
    ]


def test_a_review_in_the_future_is_refused(toddler):
    tomorrow = timezone.localdate() + timedelta(days=1)
    errors = errors_of(record(toddler, tomorrow, ""))
    assert errors["review_date"] == ["The date of part 1 must be today or earlier."]


def test_a_part_earlier_than_part_1_is_refused_and_nothing_is_saved(toddler):
    errors = errors_of(lambda: review(child=toddler, parts=[date(2016, 4, 20), date(2016, 4, 19)]))
    assert errors["part_2"] == ["Part 2 must be on or after part 1, held on 20 April 2016."]
    assert not LacReview.objects.exists()
    assert not ReviewPart.objects.exists()


def test_a_record_distributed_before_it_was_completed_is_refused(toddler):
    errors = errors_of(
        lambda: review(
            child=toddler,
            parts=date(2016, 4, 20),
            record_completed=date(2016, 5, 10),
            record_distributed=date(2016, 5, 9),
        )
    )
    assert errors["record_distributed"] == [
        "The record cannot be distributed before it was completed on 10 May 2016."
    ]


def test_marking_distributed_before_completion_changes_none_of_the_chosen_records(toddler):
    first = review(child=toddler, parts=date(2016, 4, 20), record_completed=date(2016, 5, 3))
    second = review(
        child=toddler, parts=date(2016, 6, 9), participation_code="PN0", record_completed=date(2016, 6, 20)
    )
    errors = errors_of(
        lambda: services.review_records_distribute(
            review_ids=[first.pk, second.pk], distributed_on=date(2016, 6, 15)
        )
    )
    assert "completed on 20 June 2016, after that date" in errors["distributed_on"][0]
    assert LacReview.objects.filter(record_distributed__isnull=False).count() == 0


def test_a_late_review_needs_a_reason(toddler):
    # First review due 3 May 2016; held 5 May without a reason.
    errors = errors_of(
        lambda: services.lac_review_record(
            child=toddler, parts=[services.PartInput(date(2016, 5, 5))], chair=None
        )
    )
    assert errors["late_reason"] == ["The review was due by 3 May 2016. Enter the reason it was held late."]


def test_a_second_open_period_of_care_is_refused(toddler):
    errors = errors_of(lambda: period_of_care(child=toddler, start_date=date(2016, 9, 1)))
    assert errors["start_date"] == [
        "Lily " + toddler.last_name + " is already in care, since 4 April 2016. "
        "End that period of care before starting another."
    ]
    assert PeriodOfCare.objects.filter(child=toddler).count() == 1


def test_the_database_refuses_overlapping_periods_even_without_the_service():
    child = ChildFactory()
    PeriodOfCare.objects.create(child=child, start_date=date(2016, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        PeriodOfCare.objects.create(child=child, start_date=date(2016, 3, 1))


def test_the_database_refuses_overlapping_episodes():
    period = period_of_care(start_date=date(2016, 4, 4))
    with pytest.raises(IntegrityError), transaction.atomic():
        Episode.objects.create(
            period=period,
            start_date=date(2016, 5, 1),
            reason_for_new_episode="P",
            legal_status="C2",
            category_of_need="N1",
            placement="U4",
        )


def test_the_database_refuses_a_record_distributed_before_completion():
    period = period_of_care(start_date=date(2016, 4, 4))
    held = review(child=period.child, parts=date(2016, 4, 20), record_completed=date(2016, 5, 3))
    with pytest.raises(IntegrityError), transaction.atomic():
        LacReview.objects.filter(pk=held.pk).update(record_distributed=date(2016, 5, 1))


def test_episode_codes_are_checked_against_the_year_of_the_episode():
    # T0 (temporary move) joined the PLACE list in 2015-16 (collection year 2016).
    errors = errors_of(lambda: period_of_care(start_date=date(2015, 3, 2), placement="T0"))
    assert "T0 is not a placement type code" in errors["placement"][0]
    assert period_of_care(start_date=date(2015, 4, 1), placement="T0").episodes.get().placement == "T0"


def test_episodes_stay_contiguous_and_the_period_end_follows_the_last_episode():
    period = period_of_care(start_date=date(2016, 4, 4))
    services.episode_change(
        period=period,
        start_date=date(2016, 6, 1),
        reason_for_new_episode="P",
        legal_status="C2",
        category_of_need="N1",
        placement="U4",
        reason_place_change="CARPL",
    )
    ended = services.period_of_care_end(period=period, end_date=date(2016, 12, 1), reason_ceased="E43")
    episodes = list(ended.episodes.order_by("start_date"))
    assert [(e.start_date, e.end_date, e.reason_ceased) for e in episodes] == [
        (date(2016, 4, 4), date(2016, 6, 1), "X1"),
        (date(2016, 6, 1), date(2016, 12, 1), "E43"),
    ]
    assert ended.end_date == date(2016, 12, 1)
    assert episodes[0].reason_for_new_episode == "S"


def test_a_chair_who_is_not_an_iro_is_refused(toddler):
    manager = StaffMemberFactory(job_role="iro_manager")
    errors = errors_of(lambda: review(child=toddler, parts=date(2016, 4, 20), chair=manager))
    assert "is not an IRO" in errors["chair"][0]


def test_editing_a_review_from_a_stale_version_is_refused(toddler):
    held = review(child=toddler, parts=date(2016, 4, 20))
    seen = held.updated_at
    services.lac_review_update(
        review=held, parts=[services.PartInput(date(2016, 4, 20), "first")], chair=None
    )
    with pytest.raises(ValidationError, match="Someone else changed this review"):
        services.lac_review_update(
            review=held, parts=[services.PartInput(date(2016, 4, 21))], chair=None, seen_updated_at=seen
        )
