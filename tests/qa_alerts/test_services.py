"""Raising, answering, escalating, referring and resolving alerts through the services: the due
dates, the context, the refusals of bad input and the history of every transition."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from conferences.models import ChildProtectionPlan
from iro_service.core.versioning import StaleRecordError
from iro_service.timescales.services import timescale_settings_update
from qa_alerts import services
from qa_alerts.models import AlertStage, AlertStatus, AlertTransition, QaAlert
from reviews import services as reviews
from tests.factories import ChildFactory, StaffMemberFactory
from tests.factories.qa_alerts import category, child_in_care, raise_alert

pytestmark = pytest.mark.django_db


def _messages(error: ValidationError, field: str) -> str:
    return " ".join(error.value.message_dict[field])


# --- due dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raised_on", "response_due", "escalated_due"),
    [
        # Fri 16 Dec 2016 + 10 working days: 19-23 Dec are 5; Mon 26 Dec (Boxing Day) and Tue 27
        # Dec (Christmas Day's substitute) are bank holidays; 28, 29, 30 Dec are 6-8; Mon 2 Jan
        # (New Year's substitute) is a bank holiday; Tue 3 Jan is 9, Wed 4 Jan 2017 is 10.
        # Escalated on that day, the stage has 5 working days: Thu 5, Fri 6, Mon 9, Tue 10,
        # Wed 11 Jan.
        (date(2016, 12, 16), date(2017, 1, 4), date(2017, 1, 11)),
        # Mon 10 Apr 2017 + 10: 11, 12, 13 Apr are 1-3; Good Friday 14 and Easter Monday 17 Apr
        # are bank holidays; 18-21 Apr are 4-7; Mon 24, Tue 25, Wed 26 Apr are 8-10.
        # Escalated on 26 Apr: 27, 28 Apr; Mon 1 May is the early May bank holiday; 2, 3, 4 May.
        (date(2017, 4, 10), date(2017, 4, 26), date(2017, 5, 4)),
    ],
)
def test_response_and_stage_due_dates_skip_bank_holidays(raised_on, response_due, escalated_due):
    alert = raise_alert(raised_on=raised_on)
    assert alert.response_due == response_due
    assert AlertStage.objects.get(alert=alert, number=0).due_on == response_due
    services.alert_escalate(alert=alert, to_stage=1, on=response_due)
    assert AlertStage.objects.get(alert=alert, number=1).due_on == escalated_due


def test_a_changed_timescale_moves_the_due_dates_of_open_alerts_once():
    # Raised Mon 3 Oct 2016: 10 working days is Mon 17 Oct; with 15, Mon 24 Oct.
    alert = raise_alert(raised_on=date(2016, 10, 3))
    assert alert.response_due == date(2016, 10, 17)
    timescale_settings_update(changes={"qa_response_days": 15})
    assert services.alert_due_dates_refresh() == 2  # the stage row and the alert's cache
    alert.refresh_from_db()
    assert alert.response_due == date(2016, 10, 24)
    assert services.alert_due_dates_refresh() == 0


# --- raising --------------------------------------------------------------------------------


def test_a_child_in_care_gives_the_children_in_care_context():
    alert = raise_alert()
    assert alert.context == "cic"
    assert alert.status == AlertStatus.OPEN
    assert list(alert.transitions.values_list("kind", "to_stage")) == [("raised", 0)]


def test_a_child_on_a_plan_gives_child_protection_and_one_on_both_gives_both():
    on_plan = ChildFactory()
    ChildProtectionPlan.objects.create(child=on_plan, start_date=date(2016, 6, 1), categories=["NEG"])
    assert raise_alert(child=on_plan, categories=("core_group",)).context == "cp"
    both = child_in_care()
    ChildProtectionPlan.objects.create(child=both, start_date=date(2016, 6, 1), categories=["NEG"])
    assert raise_alert(child=both, categories=("core_group", "placement")).context == "both"


def test_a_child_neither_in_care_nor_on_a_plan_is_refused():
    child = ChildFactory(first_name="Nia", last_name="Jones")
    with pytest.raises(ValidationError) as error:
        raise_alert(child=child)
    assert "Nia Jones was not in care or on a child protection plan on 3 October 2016" in _messages(
        error, "children"
    )
    assert not QaAlert.objects.exists()


def test_a_concern_without_a_category_is_refused():
    with pytest.raises(ValidationError) as error:
        raise_alert(categories=())
    assert _messages(error, "categories") == "Select at least one category of concern."
    assert not QaAlert.objects.exists()


def test_a_child_protection_category_on_a_child_in_care_alert_is_refused():
    with pytest.raises(ValidationError) as error:
        raise_alert(categories=("core_group",))
    assert "Core group is a child protection only category" in _messages(error, "categories")


def test_good_practice_is_shared_with_nothing_to_answer():
    alert = raise_alert(kind="good_practice")
    assert alert.status == AlertStatus.NOTED
    assert alert.response_due is None
    assert not alert.stages.exists()
    with pytest.raises(ValidationError) as error:
        services.alert_response_record(
            alert=alert,
            received_on=date(2016, 10, 5),
            responder_name="Pat",
            summary="Thanks",
            satisfactory=True,
        )
    assert "Good practice alerts are shared" in " ".join(error.value.messages)


def test_an_alert_about_two_children_needs_a_conference():
    amy, ben = child_in_care(), child_in_care()
    with pytest.raises(ValidationError) as error:
        raise_alert(child=amy, children=[amy, ben])
    assert "the children of one family at a conference" in _messages(error, "children")


def test_only_an_iro_raises_alerts():
    with pytest.raises(ValidationError) as error:
        raise_alert(iro=StaffMemberFactory(job_role="social_worker", first_name="Sam", last_name="Lee"))
    assert "Sam Lee is not an IRO" in _messages(error, "raised_by")


def test_an_alert_from_a_review_is_about_that_childs_care():
    child = child_in_care()
    review = reviews.lac_review_record(
        child=child, parts=[reviews.PartInput(date=date(2016, 9, 20))], chair=None, late_reason="Test"
    )
    alert = raise_alert(child=child, review=review)
    assert (alert.review_id, alert.context) == (review.pk, "cic")
    with pytest.raises(ValidationError) as error:
        raise_alert(child=child_in_care(), review=review)
    assert "that review's child" in _messages(error, "children")


# --- responses ------------------------------------------------------------------------------


def test_a_response_dated_before_the_alert_is_refused_and_nothing_changes():
    alert = raise_alert(raised_on=date(2016, 10, 3))
    with pytest.raises(ValidationError) as error:
        services.alert_response_record(
            alert=alert,
            received_on=date(2016, 9, 30),
            responder_name="Pat",
            summary="Done",
            satisfactory=True,
        )
    assert _messages(error, "received_on") == (
        "A response cannot be before the alert was raised on 3 October 2016."
    )
    alert.refresh_from_db()
    assert (alert.status, alert.first_response_on, alert.responses.count()) == ("open", None, 0)


def test_a_satisfactory_response_resolves_the_alert_on_the_day_it_came():
    alert = raise_alert(raised_on=date(2016, 10, 3))
    services.alert_response_record(
        alert=alert,
        received_on=date(2016, 10, 12),
        responder_name="Pat",
        summary="Plan updated",
        satisfactory=True,
    )
    alert.refresh_from_db()
    assert (alert.status, alert.resolved_on, alert.outcome) == (
        "resolved",
        date(2016, 10, 12),
        "resolved_by_response",
    )
    assert alert.first_response_on == date(2016, 10, 12)
    assert list(alert.transitions.values_list("kind", flat=True)) == [
        "raised",
        "response_recorded",
        "resolved",
    ]


def test_an_unsatisfactory_response_leaves_the_alert_open_at_its_stage():
    alert = raise_alert(raised_on=date(2016, 10, 3))
    services.alert_response_record(
        alert=alert, received_on=date(2016, 10, 10), responder_name="Pat", summary="Busy", satisfactory=False
    )
    alert.refresh_from_db()
    assert (alert.status, alert.stage, alert.first_response_on) == ("open", 0, date(2016, 10, 10))


# --- escalation -----------------------------------------------------------------------------


def test_escalating_past_the_last_stage_is_refused():
    # The default settings have four stages; the alert goes straight to the fourth with a reason.
    alert = raise_alert()
    services.alert_escalate(alert=alert, to_stage=4, on=date(2016, 10, 20), reason="Child at risk of drift")
    with pytest.raises(ValidationError) as error:
        services.alert_escalate(alert=alert, to_stage=5, on=date(2016, 10, 21))
    assert _messages(error, "to_stage") == (
        "The alert is already at the last stage (Assistant director): resolve it, refer it, or bring it "
        "to a challenge meeting."
    )
    assert QaAlert.objects.get(pk=alert.pk).stage == 4


def test_skipping_a_stage_needs_a_reason_and_is_kept_as_a_skip():
    alert = raise_alert()
    with pytest.raises(ValidationError) as error:
        services.alert_escalate(alert=alert, to_stage=3, on=date(2016, 10, 20))
    assert _messages(error, "reason") == "Give the reason for skipping a stage."
    services.alert_escalate(
        alert=alert, to_stage=3, on=date(2016, 10, 20), reason="Service manager is absent"
    )
    transition = AlertTransition.objects.get(alert=alert, kind="stage_skipped")
    assert (transition.from_stage, transition.to_stage, transition.reason) == (
        0,
        3,
        "Service manager is absent",
    )
    alert.refresh_from_db()
    assert (alert.stage, alert.highest_stage) == (3, 3)
    assert AlertStage.objects.get(alert=alert, number=3).name == "Head of service"


def test_escalating_to_the_stage_it_is_already_at_is_refused():
    alert = raise_alert()
    services.alert_escalate(alert=alert, to_stage=1, on=date(2016, 10, 20))
    with pytest.raises(ValidationError) as error:
        services.alert_escalate(alert=alert, to_stage=1, on=date(2016, 10, 20))
    assert "already at stage 1 (Team manager)" in _messages(error, "to_stage")
    assert AlertTransition.objects.filter(alert=alert, kind="escalated").count() == 1


def test_a_stale_version_is_refused():
    alert = raise_alert()
    seen = alert.updated_at
    services.alert_escalate(alert=alert, to_stage=1, on=date(2016, 10, 20), seen_updated_at=seen)
    with pytest.raises(StaleRecordError):
        services.alert_resolve(
            alert=alert, outcome="withdrawn", resolved_on=date(2016, 10, 21), seen_updated_at=seen
        )


def test_resolving_without_an_outcome_is_refused():
    alert = raise_alert()
    with pytest.raises(ValidationError) as error:
        services.alert_resolve(alert=alert, outcome="", resolved_on=date(2016, 10, 21))
    assert _messages(error, "outcome") == "Select how the concern was resolved."
    services.alert_resolve(
        alert=alert, outcome="resolved_at_challenge_meeting", resolved_on=date(2016, 10, 21)
    )
    with pytest.raises(ValidationError) as error:
        services.alert_resolve(alert=alert, outcome="withdrawn", resolved_on=date(2016, 10, 22))
    assert "resolved on 21 October 2016" in _messages(error, "outcome")


def test_referral_to_cafcass_links_the_childs_guardian():
    child = child_in_care()
    alert = raise_alert(child=child)
    with pytest.raises(ValidationError) as error:
        services.alert_refer(alert=alert, kind="cafcass", referred_on=date(2016, 10, 10))
    assert "record them on the child's care page first" in _messages(error, "cafcass_involvement")
    guardian = reviews.cafcass_involvement_record(
        child=child, guardian_name="Ruth Okafor", start_date=date(2016, 5, 1)
    )
    other = reviews.cafcass_involvement_record(
        child=child_in_care(), guardian_name="Jo Bell", start_date=date(2016, 5, 1)
    )
    with pytest.raises(ValidationError) as error:
        services.alert_refer(
            alert=alert, kind="cafcass", referred_on=date(2016, 10, 10), cafcass_involvement=other
        )
    assert _messages(error, "cafcass_involvement") == "Select a Children's Guardian of a child on this alert."
    referral = services.alert_refer(
        alert=alert, kind="cafcass", referred_on=date(2016, 10, 10), cafcass_involvement=guardian
    )
    assert referral.cafcass_involvement == guardian
    assert AlertTransition.objects.filter(alert=alert, kind="referred").count() == 1


def test_referral_for_legal_advice_links_the_referral():
    child = child_in_care()
    alert = raise_alert(child=child)
    referral = reviews.legal_advice_referral_record(
        child=child, date_referred=date(2016, 10, 11), reason="Placement"
    )
    made = services.alert_refer(
        alert=alert, kind="legal_advice", referred_on=date(2016, 10, 11), legal_advice_referral=referral
    )
    assert made.legal_advice_referral == referral


def test_a_category_no_longer_in_use_cannot_be_chosen():
    services.concern_category_save(
        category=category("placement"),
        name="Placement suitability or matching",
        context="cic",
        is_active=False,
    )
    with pytest.raises(ValidationError) as error:
        raise_alert(categories=("placement",))
    assert "no longer in use" in _messages(error, "categories")


def test_escalation_stages_are_validated_and_set():
    with pytest.raises(ValidationError) as error:
        services.escalation_stages_update(stages=["Team manager", "team manager"])
    assert _messages(error, "stages") == "Each stage must have a different name."
    with pytest.raises(ValidationError):
        services.escalation_stages_update(stages=["  "])
    services.escalation_stages_update(stages=["Team manager", "Service manager"])
    alert = raise_alert()
    services.alert_escalate(alert=alert, to_stage=2, on=date(2016, 10, 20), reason="Urgent")
    with pytest.raises(ValidationError) as error:
        services.alert_escalate(alert=alert, to_stage=3, on=date(2016, 10, 21))
    assert "last stage (Service manager)" in _messages(error, "to_stage")


def test_the_whole_process_should_end_within_the_process_timescale():
    # domain.md section 1: 20 working days after Fri 16 Dec 2016 is Wed 18 Jan 2017.
    from qa_alerts.selectors import alert_process_due

    assert alert_process_due(raise_alert(raised_on=date(2016, 12, 16))) == date(2017, 1, 18)
    assert alert_process_due(raise_alert(kind="good_practice")) is None
