"""The hsb services: the threshold rule, meetings and their record timescales, the training rule
and the age warning, and bad input refused with the field named and nothing changed."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from hsb import services
from hsb.models import HsbAssessment, HsbMeeting, HsbReferral, HsbTrainingRecord, OutsidePractitioner
from iro_service.people.models import Child
from iro_service.timescales.services import timescale_settings_update
from tests.factories import ChildFactory, StaffMemberFactory
from tests.factories.hsb import decided, hsb_lead, meeting, referral
from tests.factories.reviews import period_of_care

pytestmark = pytest.mark.django_db


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


# --- referrals and the threshold rule -------------------------------------------------------


@pytest.mark.parametrize("rating", ["amber", "red"])
def test_amber_or_red_meets_the_threshold_and_gets_an_hsb_meeting(rating):
    made = referral()
    decision = services.hsb_referral_decide(
        referral=made,
        rating=rating,
        tool_version="2020",
        outcome="",
        decided_on=date(2016, 6, 3),
        decided_by=hsb_lead(),
    )
    assert decision.threshold_met is True
    assert decision.outcome == "hsb_meeting"


def test_green_does_not_meet_the_threshold_and_cannot_be_given_a_meeting_as_its_outcome():
    made = referral()
    with pytest.raises(ValidationError) as excinfo:
        services.hsb_referral_decide(
            referral=made,
            rating="green",
            tool_version="2012",
            outcome="hsb_meeting",
            decided_on=date(2016, 6, 3),
            decided_by=hsb_lead(),
        )
    assert "does not meet the threshold" in _errors(excinfo)["outcome"][0]
    made.refresh_from_db()
    assert (made.decided_on, made.rating, made.outcome) == (None, "", "")


def test_green_below_the_threshold_with_one_of_the_other_outcomes():
    decision = decided(rating="green", outcome="post_abuse_therapy")
    assert decision.threshold_met is False
    assert decision.get_outcome_display() == "Referral for post-sexual-abuse therapy"


def test_amber_with_an_outcome_other_than_a_meeting_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        decided(rating="amber", outcome="no_further_action")
    assert _errors(excinfo)["outcome"] == [
        "Amber behaviour meets the threshold for an HSB meeting: choose hsb meeting and intervention plan"
    ]


def test_a_threshold_decision_without_a_rating_is_refused_and_nothing_changes():
    made = referral()
    with pytest.raises(ValidationError) as excinfo:
        services.hsb_referral_decide(
            referral=made,
            rating="",
            tool_version="",
            outcome="no_further_action",
            decided_on=date(2016, 6, 3),
            decided_by=hsb_lead(),
        )
    assert "Choose the Brook traffic light rating" in _errors(excinfo)["rating"][0]
    made.refresh_from_db()
    assert made.decided_on is None and made.history.count() == 1


def test_a_decision_before_the_referral_was_received_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        decided(received_on=date(2016, 6, 1), decided_on=date(2016, 5, 31))
    assert _errors(excinfo)["decided_on"] == [
        "The decision cannot be before the referral was received on 1 June 2016"
    ]


def test_the_database_holds_the_threshold_rule_too():
    made = decided(rating="amber")
    with pytest.raises(IntegrityError), transaction.atomic():
        HsbReferral.objects.filter(pk=made.pk).update(rating="green")


def test_a_rating_needs_the_version_of_the_tool_and_the_2020_revision_says_orange():
    with pytest.raises(ValidationError) as excinfo:
        services.hsb_referral_record(
            child=ChildFactory(),
            received_on=date(2016, 6, 1),
            referrer_name="Jo Marsh",
            referrer_team="School",
            description="Seen at school",
            rating="amber",
        )
    assert "version of the Brook traffic light tool" in _errors(excinfo)["tool_version"][0]
    revised = services.hsb_referral_record(
        child=ChildFactory(),
        received_on=date(2016, 6, 1),
        referrer_name="Jo Marsh",
        referrer_team="School",
        description="Seen at school",
        rating="amber",
        tool_version="2020",
    )
    assert revised.rating == "amber" and revised.rating_label == "Orange"


def test_a_referral_for_a_new_child_adds_the_child_record_with_it():
    made = services.hsb_referral_record(
        new_child={
            "local_child_id": "N123",
            "first_name": "Kai",
            "last_name": "Ford",
            "date_of_birth": date(2004, 3, 2),
            "sex": "M",
            "ethnicity": "WBRI",
        },
        received_on=date(2016, 6, 1),
        referrer_name="Jo Marsh",
        referrer_team="Police CAIU",
        description="Reported by the police",
    )
    assert made.child.local_child_id == "N123"


def test_a_referral_needs_one_child_and_a_linked_period_must_be_the_childs():
    with pytest.raises(ValidationError) as excinfo:
        services.hsb_referral_record(
            received_on=date(2016, 6, 1), referrer_name="A", referrer_team="B", description="C"
        )
    assert "Choose the child" in _errors(excinfo)["child"][0]
    someone_else = period_of_care(start_date=date(2016, 4, 4))
    child = ChildFactory(first_name="Kai", last_name="Ford")
    with pytest.raises(ValidationError) as excinfo:
        referral(child=child, period_of_care=someone_else)
    assert _errors(excinfo)["period_of_care"] == [
        "That period of care is not Kai Ford's. Choose one of theirs"
    ]
    assert not HsbReferral.objects.exists() and Child.objects.filter(first_name="Kai").count() == 1


# --- meetings -------------------------------------------------------------------------------


def test_a_meeting_for_a_referral_below_the_threshold_needs_an_override_reason():
    below = decided(rating="green")
    with pytest.raises(ValidationError) as excinfo:
        meeting(referral=below, on=date(2016, 6, 20))
    assert "Enter why the meeting was held all the same" in _errors(excinfo)["override_reason"][0]
    assert not HsbMeeting.objects.exists()
    held = meeting(referral=below, on=date(2016, 6, 20), override_reason="Police asked for a meeting")
    assert held.override_reason == "Police asked for a meeting"


def test_a_meeting_before_the_referral_is_refused_and_nothing_is_saved():
    met = decided(received_on=date(2016, 6, 1))
    with pytest.raises(ValidationError) as excinfo:
        meeting(referral=met, on=date(2016, 5, 20))
    assert _errors(excinfo)["date"] == [
        "The meeting cannot be before the referral was received on 1 June 2016"
    ]
    assert not HsbMeeting.objects.exists()


def test_a_meeting_needs_the_threshold_decision_first():
    with pytest.raises(ValidationError) as excinfo:
        meeting(referral=referral(), on=date(2016, 6, 20))
    assert "Record the threshold decision" in _errors(excinfo)["referral"][0]


def test_the_chair_is_the_hsb_lead_or_an_iro():
    met = decided()
    social_worker = StaffMemberFactory(first_name="Sam", last_name="Hill", job_role="social_worker")
    with pytest.raises(ValidationError) as excinfo:
        meeting(referral=met, on=date(2016, 6, 20), chair=social_worker)
    assert _errors(excinfo)["chair"] == [
        "Sam Hill is not an IRO or the HSB lead. Choose who chaired the meeting"
    ]
    assert meeting(referral=met, on=date(2016, 6, 21), chair=StaffMemberFactory(job_role="iro")).pk


def test_the_record_is_due_within_the_local_working_days_over_christmas():
    # Held Fri 16 Dec 2016. Working days after it: 19, 20, 21, 22, 23 Dec (5); 26 Dec (Boxing Day)
    # and 27 Dec (substitute Christmas Day) are bank holidays; 28, 29, 30 Dec (8); 2 Jan is the
    # substitute New Year's Day; 3 Jan (9), 4 Jan (10): produced by Wed 4 Jan 2017 (10 working
    # days, the default). Then 5, 6, 9, 10, 11 Jan: distributed by Wed 11 Jan 2017 (15).
    held = meeting(referral=decided(received_on=date(2016, 12, 1)), on=date(2016, 12, 16))
    assert held.record_produced_due == date(2017, 1, 4)
    assert held.record_distributed_due == date(2017, 1, 11)


def test_a_changed_timescale_moves_the_due_dates_at_the_refresh():
    held = meeting(referral=decided(received_on=date(2016, 12, 1)), on=date(2016, 12, 16))
    timescale_settings_update(changes={"hsb_record_distributed_days": 20})
    assert services.hsb_meeting_due_dates_refresh() == 1
    held.refresh_from_db()
    # 20 working days after 16 Dec 2016 is Wed 18 Jan 2017 (domain.md section 1's example).
    assert held.record_distributed_due == date(2017, 1, 18)
    assert services.hsb_meeting_due_dates_refresh() == 0


def test_record_dates_in_the_wrong_order_are_refused_and_a_stale_version_too():
    held = meeting(referral=decided(received_on=date(2016, 12, 1)), on=date(2016, 12, 16))
    with pytest.raises(ValidationError) as excinfo:
        services.hsb_meeting_record_dates(
            meeting=held, produced_on=date(2017, 1, 5), distributed_on=date(2017, 1, 4)
        )
    assert _errors(excinfo)["record_distributed_on"] == [
        "The record cannot be distributed before it was produced on 5 January 2017"
    ]
    seen = held.updated_at
    services.hsb_meeting_record_dates(meeting=held, produced_on=date(2017, 1, 3), distributed_on=None)
    with pytest.raises(ValidationError) as excinfo:
        services.hsb_meeting_record_dates(
            meeting=held, produced_on=date(2017, 1, 3), distributed_on=date(2017, 1, 9), seen_updated_at=seen
        )
    assert "Someone else changed this meeting" in excinfo.value.messages[0]
    held.refresh_from_db()
    assert held.record_distributed_on is None


def test_the_decision_cannot_change_once_a_meeting_was_held():
    met = decided()
    meeting(referral=met, on=date(2016, 6, 20))
    with pytest.raises(ValidationError) as excinfo:
        services.hsb_referral_decide(
            referral=met,
            rating="green",
            tool_version="2012",
            outcome="no_further_action",
            decided_on=date(2016, 6, 25),
            decided_by=hsb_lead(),
        )
    assert "cannot change once an HSB meeting has been held" in _errors(excinfo)["rating"][0]


# --- training and assessments ---------------------------------------------------------------


def _boy(born=date(2003, 2, 1)):
    return ChildFactory(first_name="Kai", sex="M", date_of_birth=born)


def test_an_assessment_by_someone_without_the_training_is_refused_naming_the_training():
    met = decided(child=_boy(), received_on=date(2017, 2, 1))
    assessor = StaffMemberFactory(first_name="Ann", last_name="Bird", job_role="social_worker")
    services.hsb_training_record_add(staff=assessor, course="brook", completed_on=date(2016, 9, 1))
    with pytest.raises(ValidationError) as excinfo:
        services.hsb_assessment_record(
            referral=met, tool="aim2", date=date(2017, 2, 10), outcome="medium", assessor_staff=assessor
        )
    assert _errors(excinfo)["assessor_staff"] == [
        "Ann Bird has no AIM2 assessment training on the register by 10 February 2017. "
        "Add their training record first, or choose a trained assessor"
    ]
    assert not HsbAssessment.objects.exists()


def test_training_completed_after_the_assessment_does_not_count():
    met = decided(child=_boy(), received_on=date(2017, 1, 2))
    assessor = StaffMemberFactory(job_role="social_worker")
    services.hsb_training_record_add(staff=assessor, course="aim2", completed_on=date(2017, 1, 20))
    with pytest.raises(ValidationError):
        services.hsb_assessment_record(
            referral=met, tool="aim2", date=date(2017, 1, 19), outcome="low", assessor_staff=assessor
        )
    done = services.hsb_assessment_record(
        referral=met, tool="aim2", date=date(2017, 1, 20), outcome="low", assessor_staff=assessor
    )
    assert done.assessor_name == assessor.full_name


def test_aim3_needs_aim3_training_not_aim2():
    met = decided(child=_boy(), received_on=date(2017, 1, 2))
    assessor = StaffMemberFactory(job_role="social_worker")
    services.hsb_training_record_add(staff=assessor, course="aim2", completed_on=date(2016, 1, 20))
    with pytest.raises(ValidationError) as excinfo:
        services.hsb_assessment_record(
            referral=met, tool="aim3", date=date(2017, 2, 1), outcome="low", assessor_staff=assessor
        )
    assert "no AIM3 assessment training" in _errors(excinfo)["assessor_staff"][0]


def test_an_outside_practitioner_trained_on_the_register_may_assess():
    met = decided(child=_boy(), received_on=date(2017, 2, 1))
    services.hsb_training_record_add(
        practitioner_name="Lee Dunn",
        practitioner_agency="Youth Offending Service",
        course="aim2",
        completed_on=date(2017, 1, 20),
    )
    # The same person typed differently is the same practitioner.
    again = services.outside_practitioner_get_or_add(name="lee  dunn", agency="youth offending service")
    assert OutsidePractitioner.objects.count() == 1
    done = services.hsb_assessment_record(
        referral=met, tool="aim2", date=date(2017, 2, 10), outcome="high", assessor_practitioner=again
    )
    assert done.assessor_name == "Lee Dunn (Youth Offending Service)"


@pytest.mark.parametrize(
    ("born", "sex", "tool", "message"),
    [
        # Born 1 Mar 2007: 9 on 10 Feb 2017, a year short of AIM2's 10.
        (
            date(2007, 3, 1),
            "M",
            "aim2",
            "Kai was 9 on 10 February 2017: AIM2 is designed for boys aged 10 and over",
        ),
        # AIM2 is for boys (seed 7.2.2).
        (
            date(2003, 2, 1),
            "F",
            "aim2",
            "Kai was 14 on 10 February 2017: AIM2 is designed for boys aged 10 and over",
        ),
        # Born 11 Feb 2005: 11 on 10 Feb 2017, the day before the 12th birthday AIM3 starts at.
        (
            date(2005, 2, 11),
            "M",
            "aim3",
            "Kai was 11 on 10 February 2017: AIM3 is designed for young people aged 12 to 18",
        ),
    ],
)
def test_a_child_outside_the_models_age_range_needs_the_assessor_to_confirm(born, sex, tool, message):
    child = ChildFactory(first_name="Kai", sex=sex, date_of_birth=born)
    met = decided(child=child, received_on=date(2017, 2, 1))
    assessor = StaffMemberFactory(job_role="social_worker")
    services.hsb_training_record_add(staff=assessor, course=tool, completed_on=date(2017, 1, 20))
    arguments = {
        "referral": met,
        "tool": tool,
        "date": date(2017, 2, 10),
        "outcome": "low",
        "assessor_staff": assessor,
    }
    with pytest.raises(ValidationError) as excinfo:
        services.hsb_assessment_record(**arguments)
    assert _errors(excinfo)["age_confirmed"][0].startswith(message)
    assert not HsbAssessment.objects.exists()
    assert services.hsb_assessment_record(**arguments, age_confirmed=True).age_confirmed is True


def test_a_boy_of_exactly_10_needs_no_confirmation_for_aim2():
    # Born 10 Feb 2007: 10 on 10 Feb 2017, his birthday.
    met = decided(child=_boy(born=date(2007, 2, 10)), received_on=date(2017, 2, 1))
    assessor = StaffMemberFactory(job_role="social_worker")
    services.hsb_training_record_add(staff=assessor, course="aim2", completed_on=date(2017, 1, 20))
    done = services.hsb_assessment_record(
        referral=met, tool="aim2", date=date(2017, 2, 10), outcome="low", assessor_staff=assessor
    )
    assert done.age_confirmed is False


def test_a_training_record_is_for_one_worker():
    with pytest.raises(ValidationError) as excinfo:
        services.hsb_training_record_add(course="aim2", completed_on=date(2017, 1, 20))
    assert "Choose the member of staff" in _errors(excinfo)["staff"][0]
    with pytest.raises(ValidationError) as excinfo:
        services.hsb_training_record_add(
            course="aim2", completed_on=date(2017, 1, 20), practitioner_name="Lee Dunn"
        )
    assert _errors(excinfo)["practitioner_agency"] == ["Enter the outside practitioner's agency"]
    assert not HsbTrainingRecord.objects.exists()


def test_every_change_keeps_its_history():
    met = decided()
    assert [row.history_type for row in met.history.order_by("history_date")] == ["+", "~"]
