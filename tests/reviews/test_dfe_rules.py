"""The DfE's SSDA903 rules checked when a period of care, an episode or a review is saved: each
rule warns on a record that breaks it and not on one just inside it, and the record is saved
either way. Boundaries are worked out by hand from the DfE's rule (the package's source): a
length is the days from the episode's start to its end (DEC - DECOM); ages are whole years
added to the date of birth."""

from datetime import date

import pytest
from django.urls import reverse

from reviews import dfe_rules, selectors, services
from reviews.models import Episode, LacReview
from tests.factories import ChildFactory
from tests.factories.reviews import period_of_care, review

pytestmark = pytest.mark.django_db

START = date(2026, 5, 1)


def rules_of(saved) -> list[str]:
    return [warning.rule for warning in saved.dfe_warnings]


def change(period, on, legal_status="C2", placement="U6", rne="L", **fields):
    return services.episode_change(
        period=period,
        start_date=on,
        reason_for_new_episode=rne,
        legal_status=legal_status,
        category_of_need="N1",
        placement=placement,
        placement_provider=fields.pop("placement_provider", "PR1"),
        **fields,
    )


def leave(period, on, reason="E13"):
    return services.period_of_care_end(period=period, end_date=on, reason_ceased=reason)


# --- 217t: P2 (independent living) ended on 28 October 2023 ------------------------------------


@pytest.mark.parametrize(("left_on", "warned"), [(date(2023, 10, 28), False), (date(2023, 10, 29), True)])
def test_217t_independent_living_after_28_october_2023(left_on, warned):
    # The DfE's rule fails P2 when DEC > 28/10/2023 or DEC is blank: ending on the 28th passes.
    period = period_of_care(
        child=ChildFactory(date_of_birth=date(2006, 1, 1)), start_date=date(2023, 9, 1), placement="P2"
    )
    assert "217t" in rules_of(period)  # open: its end is not known yet
    ended = leave(period, left_on)
    assert ("217t" in rules_of(ended)) is warned
    if warned:
        (warning,) = [w for w in ended.dfe_warnings if w.rule == "217t"]
        assert warning.message == "Placement type 'P2' is not a valid placement type from 28 October 2023."
        assert warning.detail.startswith(
            "The independent living placement (P2) from 1 September 2023 ends on 29 October 2023; "
            "P2 ended on 28 October 2023"
        )


def test_217t_not_for_a_p2_episode_of_2024_25():
    # Not in the 2023-24 return, and the 2024-25 ruleset has no rule 217t and lists P2.
    period = period_of_care(
        child=ChildFactory(date_of_birth=date(2006, 1, 1)), start_date=date(2024, 4, 1), placement="P2"
    )
    assert "217t" not in rules_of(period)


# --- 361 and 362: police protection at most 3 days, an EPO at most 21 -------------------------


@pytest.mark.parametrize(("days", "warned"), [(3, False), (4, True)])
def test_361_police_protection_longer_than_72_hours(days, warned):
    # L1 from 1 May: ended on 4 May is 3 days (allowed), on 5 May 4 days (the DfE's "> 3").
    period = period_of_care(start_date=START, legal_status="L1")
    episode = change(period, date(2026, 5, 1 + days))
    assert ("361" in rules_of(episode)) is warned
    assert Episode.objects.filter(period=period).count() == 2  # saved either way


def test_361_joins_police_protection_episodes_that_follow_on():
    # L1 1-3 May (2 days) then L1 again 3-5 May (2 days, a new placement): 4 days in all.
    period = period_of_care(start_date=START, legal_status="L1")
    change(period, date(2026, 5, 3), legal_status="L1", rne="P", reason_place_change="CARPL")
    episode = change(period, date(2026, 5, 5))
    warnings = [w for w in episode.dfe_warnings if w.rule == "361"]
    assert len(warnings) == 2
    assert warnings[0].message.startswith(
        "Police protection legal status lasted longer than maximum 72 hours"
    )
    assert "is 4 days; the most is 3" in warnings[0].detail


def test_361_counts_an_open_episode_to_today():
    period = period_of_care(start_date=date(2026, 4, 1), legal_status="L1")
    assert "361" in rules_of(period)


@pytest.mark.parametrize(("days", "warned"), [(21, False), (22, True)])
def test_362_emergency_protection_order_longer_than_21_days(days, warned):
    period = period_of_care(start_date=START, legal_status="L2")
    episode = change(period, date(2026, 5, 1 + days))
    assert ("362" in rules_of(episode)) is warned


# --- 365, 382, 399: short breaks --------------------------------------------------------------


@pytest.mark.parametrize(("days", "warned"), [(17, False), (18, True)])
def test_365_a_short_break_longer_than_17_days(days, warned):
    # V3 from 1 May: ending 18 May is 17 days (the DfE's own test passes 1 to 18 January).
    period = period_of_care(start_date=START, legal_status="V3", placement="U1")
    ended = leave(period, date(2026, 5, 1 + days))
    assert ("365" in rules_of(ended)) is warned


@pytest.mark.parametrize(("placement", "warned"), [("U1", False), ("T1", True)])
def test_382_a_short_break_in_a_temporary_placement(placement, warned):
    period = period_of_care(start_date=START, legal_status="V4", placement=placement)
    assert ("382" in rules_of(period)) is warned


@pytest.mark.parametrize(("second_status", "warned"), [("V3", True), ("C2", False)])
def test_399_a_review_when_every_episode_is_a_short_break(second_status, warned):
    child = ChildFactory(date_of_birth=date(2015, 1, 1))
    period = period_of_care(child=child, start_date=START, legal_status="V4", placement="U1")
    change(period, date(2026, 5, 10), legal_status=second_status, placement="U1")
    held = review(child=child, parts=date(2026, 5, 20), participation_code="PN1")
    assert ("399" in rules_of(held)) is warned
    assert LacReview.objects.filter(period=period).exists()


# --- 378, 390, 392d: placements ---------------------------------------------------------------


@pytest.mark.parametrize(("legal_status", "warned"), [("C2", False), ("V2", True)])
def test_378_placed_with_parents_under_section_20(legal_status, warned):
    period = period_of_care(
        start_date=START, legal_status=legal_status, placement="P1", placement_provider="PR0"
    )
    assert ("378" in rules_of(period)) is warned


@pytest.mark.parametrize(("placement", "warned"), [("A5", False), ("U1", True)])
def test_390_adopted_without_a_placement_for_adoption(placement, warned):
    child = ChildFactory(date_of_birth=date(2020, 1, 1))
    period = period_of_care(child=child, start_date=START, legal_status="E1", placement=placement)
    assert ("390" in rules_of(leave(period, date(2026, 6, 1), "E11"))) is warned


@pytest.mark.parametrize(("placement", "warned"), [("P1", False), ("U1", True)])
def test_392d_home_and_placement_postcode_the_same(placement, warned):
    period = period_of_care(
        start_date=START,
        legal_status="C2",
        placement=placement,
        placement_provider="PR0" if placement == "P1" else "PR1",
        home_postcode="AB1 2CD",
        placement_postcode="AB12CD",
    )
    assert ("392d" in rules_of(period)) is warned


# --- 386, 387, 407, 460: the reason for leaving care and the child's age -----------------------


@pytest.mark.parametrize(("left_on", "warned"), [(date(2026, 6, 9), False), (date(2026, 6, 10), True)])
def test_386_adopted_at_18(left_on, warned):
    # Born 10 June 2008: 18 on 10 June 2026. The DfE fails adoption on the birthday itself.
    child = ChildFactory(date_of_birth=date(2008, 6, 10))
    period = period_of_care(child=child, start_date=START, legal_status="E1", placement="A4")
    assert ("386" in rules_of(leave(period, left_on, "E11"))) is warned


@pytest.mark.parametrize(("left_on", "warned"), [(date(2026, 6, 9), True), (date(2026, 6, 10), False)])
def test_387_independent_living_under_14(left_on, warned):
    # Born 10 June 2012: 14 on 10 June 2026.
    child = ChildFactory(date_of_birth=date(2012, 6, 10))
    period = period_of_care(child=child, start_date=START)
    assert ("387" in rules_of(leave(period, left_on, "E5"))) is warned


@pytest.mark.parametrize(("left_on", "warned"), [(date(2026, 6, 10), False), (date(2026, 6, 11), True)])
def test_407_special_guardianship_after_18(left_on, warned):
    # Born 10 June 2008: the DfE fails an SGO only after the 18th birthday (DOB + 18 < DEC).
    child = ChildFactory(date_of_birth=date(2008, 6, 10))
    period = period_of_care(child=child, start_date=START)
    assert ("407" in rules_of(leave(period, left_on, "E45"))) is warned


@pytest.mark.parametrize(("left_on", "warned"), [(date(2026, 6, 9), True), (date(2026, 6, 10), False)])
def test_460_stayed_with_carers_at_18_but_under_18(left_on, warned):
    child = ChildFactory(date_of_birth=date(2008, 6, 10))
    period = period_of_care(child=child, start_date=START)
    assert ("460" in rules_of(leave(period, left_on, "E17"))) is warned


# --- 225: the reason for a placement change ---------------------------------------------------


@pytest.mark.parametrize(("reason", "warned"), [("CARPL", False), ("", True)])
def test_225_a_placement_change_needs_its_reason(reason, warned):
    period = period_of_care(start_date=START)
    episode = change(period, date(2026, 6, 1), rne="P", placement="U1", reason_place_change=reason)
    assert ("225" in rules_of(episode)) is warned


def test_225_not_for_a_change_of_legal_status_only():
    period = period_of_care(start_date=START)
    assert "225" not in rules_of(change(period, date(2026, 6, 1), rne="L", legal_status="C1"))


# --- 440 and 441: refused when saved, listed when a record came in before ----------------------


def test_440_and_441_on_a_record_that_came_in_before_the_check():
    # Born 10 June 2022: 4 on 10 June 2026. PN0 the day after is 440; PN1 the day before, 441.
    child = ChildFactory(date_of_birth=date(2022, 6, 10))
    period = period_of_care(child=child, start_date=START)
    older = review(child=child, parts=date(2026, 6, 11), participation_code="PN1")
    younger = review(child=child, parts=date(2026, 6, 9), participation_code="PN0")
    on_birthday = review(child=child, parts=date(2026, 6, 10), participation_code="PN0")
    assert rules_of(on_birthday) == []
    # As an import before the check would have left them (the services refuse both today).
    LacReview.objects.filter(pk=older.pk).update(participation_code="PN0")
    LacReview.objects.filter(pk=younger.pk).update(participation_code="PN1")
    found = selectors.period_dfe_warnings(period_id=period.pk, as_of=date(2026, 7, 1))
    assert [(w.rule, w.record_id) for w in found] == [("440", older.pk), ("441", younger.pk)]


def test_every_rule_has_the_dfe_s_message():
    for code, label in dfe_rules.rule_choices(2027):
        assert label.startswith(f"{code}: ") and "DfE rule" not in label, label


def test_a_clean_period_has_no_warnings():
    child = ChildFactory(date_of_birth=date(2010, 1, 1))
    period = period_of_care(child=child, start_date=START)
    assert period.dfe_warnings == []
    assert review(child=child, parts=date(2026, 6, 1), participation_code="PN1").dfe_warnings == []


# --- where the warnings are shown: the next page's banner, and the API's answer ---------------


def test_the_page_after_saving_shows_the_rules_in_a_banner(client, support_user):
    """GIVEN a child under police protection (L1) since 1 May 2026
    WHEN business support record a care order (C2) from 10 May, 9 days later
    THEN the episode is saved and the care page says rule 361 is broken, in the DfE's words."""
    period = period_of_care(start_date=START, legal_status="L1")
    client.force_login(support_user)
    change = {
        "start_date": "10/05/2026",
        "reason_for_new_episode": "L",
        "legal_status": "C2",
        "category_of_need": "N1",
        "placement": "U6",
        "placement_provider": "PR1",
    }
    response = client.post(reverse("reviews:episode-change", args=[period.pk]), change, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert Episode.objects.filter(period=period).count() == 2
    assert "Check before the return" in page
    assert "DfE rule 361 (Police protection legal status lasted longer than maximum 72 hours" in page
    assert "Police protection (L1) from 1 May 2026 to 10 May 2026 is 9 days; the most is 3." in page
    # Shown once: the next page has no banner.
    assert (
        "Check before the return"
        not in client.get(reverse("reviews:care-record", args=[period.child_id])).content.decode()
    )


def test_no_banner_when_the_record_breaks_no_rule(client, support_user):
    period = period_of_care(start_date=START, legal_status="C2")
    client.force_login(support_user)
    change = {
        "start_date": "10/05/2026",
        "reason_for_new_episode": "L",
        "legal_status": "C1",
        "category_of_need": "N1",
        "placement": "U6",
        "placement_provider": "PR1",
    }
    page = client.post(
        reverse("reviews:episode-change", args=[period.pk]), change, follow=True
    ).content.decode()
    assert "New episode for" in page
    assert "Check before the return" not in page


def test_the_api_returns_the_warnings_with_the_record(token_client, manager_user):
    writer = token_client("read", "write", user=manager_user)
    period = period_of_care(start_date=START, legal_status="L2")
    response = writer.post(
        "/api/v1/episodes/",
        {
            "period": period.pk,
            "start_date": "2026-05-23",
            "reason_for_new_episode": "L",
            "legal_status": "C2",
            "category_of_need": "N1",
            "placement": "U6",
            "placement_provider": "PR1",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    warnings = response.json()["dfe_warnings"]
    # L2 from 1 to 23 May is 22 days: one more than the 21 allowed.
    first = period.episodes.order_by("start_date").first()
    assert warnings == [
        {
            "rule": "362",
            "message": "Emergency protection order (EPO) lasted longer than 21 days",
            "record": "episode",
            "record_id": first.pk,
            "child": period.child_id,
            "date": "2026-05-01",
            "detail": (
                "The emergency protection order (L2) from 1 May 2026 to 23 May 2026 is 22 days; "
                "the most is 21."
            ),
        }
    ]
    clean = writer.post(
        "/api/v1/periods-of-care/",
        {
            "child": ChildFactory().pk,
            "start_date": "2026-05-03",
            "legal_status": "C2",
            "category_of_need": "N1",
            "placement": "U1",
            "placement_provider": "PR1",
        },
        format="json",
    )
    assert clean.status_code == 201 and clean.json()["dfe_warnings"] == []
    # Ending a short break (V3) from 1 to 19 May is 18 days, one more than the 17 of rule 365: the
    # end answers with the period and the warning, its keys those the schema describes.
    short_break = period_of_care(start_date=START, legal_status="V3", placement="U1")
    ended = writer.post(
        f"/api/v1/periods-of-care/{short_break.pk}/end/",
        {"end_date": "2026-05-19", "reason_ceased": "E13"},
        format="json",
    )
    assert ended.status_code == 200, ended.json()
    assert ended.json()["end_date"] == "2026-05-19"
    (warning,) = [w for w in ended.json()["dfe_warnings"] if w["rule"] == "365"]
    assert warning["child"] == short_break.child_id and warning["record"] == "episode"
    schema = writer.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert set(warning) == set(schema["components"]["schemas"]["DfeWarning"]["properties"])
