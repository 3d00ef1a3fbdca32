"""The care-history pages: starting a period of care, a change of placement or legal status,
leaving care, permanence plans, Children's Guardians and referrals for legal advice. Who may
open each page, what each saves (with its history), bad input named against its field with
nothing changed, the access log, the links the care page offers in each state, and the two
change services (guardian's end and handover, legal advice outcome)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from iro_service.audit.models import AccessLog
from reviews import services
from reviews.models import CafcassInvolvement, Episode, LegalAdviceReferral, PeriodOfCare, PermanencePlan
from tests.factories import ChildFactory
from tests.factories.reviews import period_of_care

pytestmark = pytest.mark.django_db

ROLES = ["iro_user", "manager_user", "support_user", "senior_user", "no_role_user"]
SUPPORT = {"manager_user", "support_user"}
RECORDERS = {"iro_user", "manager_user"}


def _uk(day: date) -> str:
    return day.strftime("%d/%m/%Y")


@pytest.fixture
def child():
    return ChildFactory(first_name="Amy", last_name="Smith", date_of_birth=date(2008, 1, 1))


@pytest.fixture
def period(child):
    """Amy in care since 4 April 2016: C2 (full care order), N1, U6 with provider PR1."""
    return period_of_care(child=child, start_date=date(2016, 4, 4))


@pytest.fixture
def guardian(period):
    return services.cafcass_involvement_record(
        child=period.child, guardian_name="Ruth Okafor", start_date=date(2016, 4, 10)
    )


@pytest.fixture
def referral(period):
    return services.legal_advice_referral_record(
        child=period.child, date_referred=date(2016, 6, 1), reason="Contact with siblings refused"
    )


def _page(client, url, data=None) -> str:
    response = client.post(url, data) if data is not None else client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- who may open each page ---------------------------------------------------------------------

# (url name, which object's pk it takes, roles allowed)
PAGES = [
    ("reviews:period-start", "child", SUPPORT),
    ("reviews:episode-change", "period", SUPPORT),
    ("reviews:period-end", "period", SUPPORT),
    ("reviews:permanence-plan-record", "child_in_care", RECORDERS),
    ("reviews:guardian-record", "child", RECORDERS),
    ("reviews:guardian-update", "guardian", RECORDERS),
    ("reviews:legal-advice-record", "child", RECORDERS),
    ("reviews:legal-advice-update", "referral", RECORDERS),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "target", "allowed"), PAGES, ids=[page[0] for page in PAGES])
def test_who_may_open_each_page(request, client, role, name, target, allowed, child):
    if target == "child":
        pk = child.pk
    else:
        period = period_of_care(child=child, start_date=date(2016, 4, 4))
        pk = {
            "child_in_care": child.pk,
            "period": period.pk,
            "guardian": services.cafcass_involvement_record(
                child=child, guardian_name="Ruth Okafor", start_date=date(2016, 4, 10)
            ).pk,
            "referral": services.legal_advice_referral_record(
                child=child, date_referred=date(2016, 6, 1), reason="x"
            ).pk,
        }[target]
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse(name, args=[pk]))
    assert response.status_code == (200 if role in allowed else 403), f"{role} {name}"


@pytest.mark.parametrize("role", ["iro_user", "senior_user", "no_role_user"])
def test_roles_without_the_permission_cannot_post_care_changes(request, client, role, period):
    """IROs record reviews, not episodes: the care-history writes are business support's."""
    client.force_login(request.getfixturevalue(role))
    change = {
        "start_date": "01/05/2016",
        "reason_for_new_episode": "P",
        "legal_status": "C2",
        "category_of_need": "N1",
        "placement": "U4",
    }
    assert client.post(reverse("reviews:episode-change", args=[period.pk]), change).status_code == 403
    end = {"end_date": "01/05/2016", "reason_ceased": "E2"}
    assert client.post(reverse("reviews:period-end", args=[period.pk]), end).status_code == 403
    other = ChildFactory()
    start = {"start_date": "01/05/2016", "legal_status": "C2", "category_of_need": "N1", "placement": "U6"}
    assert client.post(reverse("reviews:period-start", args=[other.pk]), start).status_code == 403
    assert Episode.objects.count() == 1
    assert PeriodOfCare.objects.get().end_date is None
    assert not PeriodOfCare.objects.filter(child=other).exists()


@pytest.mark.parametrize("role", ["support_user", "senior_user", "no_role_user"])
def test_roles_without_the_permission_cannot_post_records_between_reviews(
    request, client, role, period, guardian, referral
):
    """Business support keep the episodes; plans, guardians and legal advice are the IRO's."""
    client.force_login(request.getfixturevalue(role))
    child = period.child
    posts = [
        ("reviews:permanence-plan-record", child.pk, {"period": period.pk, "plan_type": "adoption"}),
        ("reviews:guardian-record", child.pk, {"guardian_name": "Sam Lee", "start_date": "01/05/2016"}),
        ("reviews:guardian-update", guardian.pk, {"end_date": "01/07/2016"}),
        ("reviews:legal-advice-record", child.pk, {"date_referred": "01/07/2016", "reason": "x"}),
        ("reviews:legal-advice-update", referral.pk, {"outcome": "Advice given"}),
    ]
    for name, pk, data in posts:
        assert client.post(reverse(name, args=[pk]), data).status_code == 403, name
    assert not PermanencePlan.objects.exists()
    assert CafcassInvolvement.objects.count() == 1
    assert CafcassInvolvement.objects.get().end_date is None
    assert LegalAdviceReferral.objects.get().outcome == ""


# --- the care page offers what makes sense ------------------------------------------------------

START, CHANGE, END = "Start a period of care", "Record a change of placement or legal status", "Record that"
PLAN, GUARDIAN, REFER = (
    "Record a permanence plan",
    "Record a Children's Guardian",
    "Record a referral for legal",
)


def _care_page(client, child) -> str:
    return _page(client, reverse("reviews:care-record", args=[child.pk])).replace("&#x27;", "'")


def test_support_are_offered_start_only_when_the_child_is_not_in_care(client, support_user, child):
    client.force_login(support_user)
    page = _care_page(client, child)
    # Never in care: start, nothing to change or end, and no plan without a period.
    assert START in page and CHANGE not in page and END not in page and PLAN not in page
    period = period_of_care(child=child, start_date=date(2016, 4, 4))
    page = _care_page(client, child)
    assert START not in page
    assert reverse("reviews:episode-change", args=[period.pk]) in page
    assert reverse("reviews:period-end", args=[period.pk]) in page
    services.period_of_care_end(period=period, end_date=date(2016, 9, 1), reason_ceased="E2")
    page = _care_page(client, child)
    # Left care: a new period can start; the ended one is not offered for change.
    assert START in page and CHANGE not in page and END not in page
    # Business support do not record guardians, referrals or plans.
    assert GUARDIAN not in page and REFER not in page and PLAN not in page


def test_iros_are_offered_plans_guardians_and_referrals_not_episodes(client, iro_user, guardian, referral):
    client.force_login(iro_user)
    child = guardian.child
    page = _care_page(client, child)
    assert PLAN in page and GUARDIAN in page and REFER in page
    assert START not in page and CHANGE not in page and END not in page
    assert reverse("reviews:guardian-update", args=[guardian.pk]) in page
    assert reverse("reviews:legal-advice-update", args=[referral.pk]) in page
    assert "Ruth Okafor" in page and "Contact with siblings refused" in page


def test_senior_managers_read_the_records_but_are_offered_no_changes(client, senior_user, guardian, referral):
    client.force_login(senior_user)
    page = _care_page(client, guardian.child)
    assert "Ruth Okafor" in page and "Contact with siblings refused" in page
    for offer in (START, CHANGE, END, PLAN, GUARDIAN, REFER):
        assert offer not in page, offer
    assert reverse("reviews:guardian-update", args=[guardian.pk]) not in page
    assert reverse("reviews:legal-advice-update", args=[referral.pk]) not in page


# --- starting a period of care ------------------------------------------------------------------


def test_support_start_a_period_of_care(client, support_user, child):
    """GIVEN Amy, never in care
    WHEN business support start a period of care on 4 April 2016 (C2, N1, U6, PR1)
    THEN the period and its first episode (RNE S) are saved with their history, the first
    review is due 20 working days later (3 May 2016: 2 May is a bank holiday) and the page
    goes back to the care page with a success message."""
    client.force_login(support_user)
    url = reverse("reviews:period-start", args=[child.pk])
    page = _page(client, url)
    assert "Start a period of care" in page
    assert '<option value="C2">C2: Full care order</option>' in page
    response = client.post(
        url,
        {
            "start_date": "04/04/2016",
            "legal_status": "C2",
            "category_of_need": "N1",
            "placement": "U6",
            "placement_provider": "PR1",
            "home_postcode": "ls1 4ap",
            "placement_postcode": "LS6  2AB",
            "urn": "SC123456",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("reviews:care-record", args=[child.pk])
    period = PeriodOfCare.objects.get(child=child)
    assert (period.start_date, period.end_date, period.next_review_due) == (
        date(2016, 4, 4),
        None,
        date(2016, 5, 3),
    )
    episode = period.episodes.get()
    assert (
        episode.reason_for_new_episode,
        episode.legal_status,
        episode.placement_provider,
        episode.home_postcode,
        episode.placement_postcode,
        episode.urn,
    ) == ("S", "C2", "PR1", "LS1 4AP", "LS6 2AB", "SC123456")
    assert PeriodOfCare.history.filter(id=period.pk).exists()
    assert Episode.history.filter(id=episode.pk).exists()
    care = client.get(response.url).content.decode()
    assert (
        "Amy Smith is recorded as in care from 4 April 2016. The first review is due by 3 May 2016." in care
    )


def test_start_codes_are_those_of_the_collection_year_of_the_date(client, support_user, child):
    """T0 (temporary move) is a placement code from the 2015-16 collection (1 April 2015) on.
    Entering 1 March 2015 (the 2014-15 collection) with T0 is refused on the placement, the
    list offered then is 2014-15's (without T0), and nothing is saved."""
    client.force_login(support_user)
    url = reverse("reviews:period-start", args=[child.pk])
    assert '<option value="T0">' in _page(client, url)  # today's collection year
    page = _page(
        client,
        url,
        {"start_date": "01/03/2015", "legal_status": "C2", "category_of_need": "N1", "placement": "T0"},
    )
    assert "T0 is not a placement type code in the SSDA903 collection for 1 March 2015" in page
    assert 'href="#id_placement"' in page  # the error summary names the field
    assert '<option value="T0">' not in page
    assert not PeriodOfCare.objects.exists()


def test_start_with_missing_fields_names_each_and_saves_nothing(client, support_user, child):
    client.force_login(support_user)
    page = _page(client, reverse("reviews:period-start", args=[child.pk]), {"start_date": "32/13/2016"})
    for field, message in [
        ("start_date", "Enter the date as day, month and year"),
        ("legal_status", "Select the legal status"),
        ("category_of_need", "Select the category of need"),
        ("placement", "Select the placement type"),
    ]:
        assert f'href="#id_{field}"' in page and message in page, field
    assert "There is a problem" in page
    assert not PeriodOfCare.objects.exists()


def test_start_is_not_offered_while_the_child_is_in_care(client, support_user, period):
    client.force_login(support_user)
    response = client.get(reverse("reviews:period-start", args=[period.child.pk]), follow=True)
    assert "is already in care, since 4 April 2016" in response.content.decode()
    assert PeriodOfCare.objects.count() == 1


# --- a change of placement or legal status ------------------------------------------------------


def test_support_record_a_change_of_placement(client, support_user, period):
    """GIVEN Amy in care since 4 April 2016 in U6 (C2, N1, PR1)
    WHEN business support record a change of placement only (RNE P) on 1 June 2016 to U4
    THEN the first episode ends on 1 June 2016 with X1 and the reason for the change (the
    return holds it on the episode the change ended), the new one starts that day, and the
    page starts from the current codes so only the placement needed changing."""
    client.force_login(support_user)
    url = reverse("reviews:episode-change", args=[period.pk])
    page = _page(client, url)
    assert '<option value="U6" selected>' in page  # today's placement offered as the default
    assert '<option value="S">' not in page  # S starts a period, never a change
    response = client.post(
        url,
        {
            "start_date": "01/06/2016",
            "reason_for_new_episode": "P",
            "legal_status": "C2",
            "category_of_need": "N1",
            "placement": "U4",
            "placement_provider": "PR1",
            "reason_place_change": "CARPL",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("reviews:care-record", args=[period.child_id])
    first, second = period.episodes.order_by("start_date")
    assert (first.end_date, first.reason_ceased, first.reason_place_change) == (
        date(2016, 6, 1),
        "X1",
        "CARPL",
    )
    assert (
        second.start_date,
        second.reason_for_new_episode,
        second.placement,
        second.reason_place_change,
    ) == (
        date(2016, 6, 1),
        "P",
        "U4",
        "",
    )
    assert Episode.history.filter(id=first.pk).count() == 2  # started, then ended


def test_a_change_before_the_current_episode_is_refused_on_the_date(client, support_user, period):
    client.force_login(support_user)
    page = _page(
        client,
        reverse("reviews:episode-change", args=[period.pk]),
        {
            "start_date": "01/04/2016",
            "reason_for_new_episode": "P",
            "legal_status": "C2",
            "category_of_need": "N1",
            "placement": "U4",
        },
    )
    assert "The new episode must start after the current one, on 4 April 2016." in page
    assert 'href="#id_start_date"' in page
    assert period.episodes.count() == 1
    assert period.episodes.get().end_date is None


# --- leaving care -------------------------------------------------------------------------------


def test_support_record_that_the_child_left_care(client, support_user, period):
    client.force_login(support_user)
    url = reverse("reviews:period-end", args=[period.pk])
    page = _page(client, url)
    assert '<option value="X1">' not in page  # X1 means the child stays in care
    assert '<option value="E3">E3: Care taken over by another local authority in the UK</option>' in page
    response = client.post(url, {"end_date": "01/09/2016", "reason_ceased": "E3"})
    assert response.status_code == 302
    period.refresh_from_db()
    assert (period.end_date, period.next_review_due) == (date(2016, 9, 1), None)
    assert period.episodes.get().reason_ceased == "E3"
    care = client.get(response.url).content.decode()
    assert "Amy Smith is recorded as leaving care on 1 September 2016." in care


def test_leaving_care_without_a_reason_names_the_field_and_changes_nothing(client, support_user, period):
    client.force_login(support_user)
    page = _page(client, reverse("reviews:period-end", args=[period.pk]), {"end_date": "01/09/2016"})
    assert "Select the reason the child left care" in page and 'href="#id_reason_ceased"' in page
    page = _page(
        client,
        reverse("reviews:period-end", args=[period.pk]),
        {"end_date": "01/03/2016", "reason_ceased": "E3"},
    )
    assert "The child cannot leave care before the last episode started on 4 April 2016." in page
    period.refresh_from_db()
    assert period.end_date is None


def test_an_ended_period_is_not_changed_or_ended_again(client, support_user, period):
    services.period_of_care_end(period=period, end_date=date(2016, 9, 1), reason_ceased="E3")
    client.force_login(support_user)
    for name in ("reviews:episode-change", "reviews:period-end"):
        response = client.post(
            reverse(name, args=[period.pk]), {"end_date": "02/09/2016", "reason_ceased": "E3"}, follow=True
        )
        assert "Amy Smith left care on 1 September 2016" in response.content.decode(), name
    assert Episode.objects.count() == 1


# --- permanence plan ----------------------------------------------------------------------------


def test_an_iro_records_a_permanence_plan(client, iro_user, period):
    client.force_login(iro_user)
    url = reverse("reviews:permanence-plan-record", args=[period.child_id])
    page = _page(client, url)
    assert "From 4 April 2016 (in care now)" in page
    response = client.post(
        url, {"period": period.pk, "plan_type": "long_term_fostering", "date_agreed": "20/06/2016"}
    )
    assert response.status_code == 302
    plan = PermanencePlan.objects.get()
    assert (plan.period_id, plan.plan_type, plan.date_agreed) == (
        period.pk,
        "long_term_fostering",
        date(2016, 6, 20),
    )
    assert PermanencePlan.history.count() == 1
    care = client.get(response.url).content.decode()
    assert "Long-term fostering, agreed 20 Jun 2016" in care


def test_a_plan_before_the_period_or_twice_on_a_day_is_refused_on_the_date(client, iro_user, period):
    client.force_login(iro_user)
    url = reverse("reviews:permanence-plan-record", args=[period.child_id])
    body = {"period": period.pk, "plan_type": "adoption", "date_agreed": "03/04/2016"}
    page = _page(client, url, body)
    assert "The plan must be agreed during the period of care." in page and 'href="#id_date_agreed"' in page
    assert not PermanencePlan.objects.exists()
    assert client.post(url, {**body, "date_agreed": "20/06/2016"}).status_code == 302
    page = _page(client, url, {**body, "date_agreed": "20/06/2016"})
    assert "A plan agreed on that date is already recorded" in page and 'href="#id_date_agreed"' in page
    assert PermanencePlan.objects.count() == 1


# --- Children's Guardian ------------------------------------------------------------------------


def test_an_iro_records_a_childrens_guardian_and_their_handover(client, iro_user, period):
    """GIVEN Amy in care since 4 April 2016
    WHEN her IRO records Ruth Okafor appointed as Children's Guardian on 10 April 2016, and
    later that her involvement ended on 1 October 2016 with the handover on 5 October
    THEN the record holds both dates, with its history (recorded, then changed)."""
    client.force_login(iro_user)
    response = client.post(
        reverse("reviews:guardian-record", args=[period.child_id]),
        {"guardian_name": "Ruth Okafor", "start_date": "10/04/2016"},
    )
    assert response.status_code == 302
    guardian = CafcassInvolvement.objects.get()
    url = reverse("reviews:guardian-update", args=[guardian.pk])
    page = _page(client, url)
    assert "Ruth Okafor" in page and "10 April 2016" in page
    response = client.post(
        url,
        {
            "end_date": "01/10/2016",
            "handover_date": "05/10/2016",
            "updated_at": guardian.updated_at.isoformat(),
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("reviews:care-record", args=[period.child_id])
    guardian.refresh_from_db()
    assert (guardian.end_date, guardian.handover_date) == (date(2016, 10, 1), date(2016, 10, 5))
    assert CafcassInvolvement.history.filter(id=guardian.pk).count() == 2
    care = client.get(response.url).content.decode()
    assert "Ruth Okafor: end and handover saved." in care


def test_a_guardian_without_a_name_is_refused_on_the_name(client, iro_user, period):
    client.force_login(iro_user)
    page = _page(
        client,
        reverse("reviews:guardian-record", args=[period.child_id]),
        {"guardian_name": "", "start_date": "10/04/2016", "handover_date": "01/04/2016"},
    )
    assert "Enter the Children&#x27;s Guardian&#x27;s name" in page and 'href="#id_guardian_name"' in page
    assert not CafcassInvolvement.objects.exists()


def test_a_handover_before_the_appointment_is_refused_and_nothing_changes(client, iro_user, guardian):
    client.force_login(iro_user)
    tomorrow = timezone.localdate() + timedelta(days=1)
    page = _page(
        client,
        reverse("reviews:guardian-update", args=[guardian.pk]),
        {
            "end_date": _uk(tomorrow),
            "handover_date": "09/04/2016",
            "updated_at": guardian.updated_at.isoformat(),
        },
    )
    # Both problems at once, each against its field.
    assert "The date the guardian&#x27;s involvement ended must be today or earlier." in page
    assert "must be on or after the guardian was appointed on 10 April 2016." in page
    assert 'href="#id_end_date"' in page and 'href="#id_handover_date"' in page
    guardian.refresh_from_db()
    assert (guardian.end_date, guardian.handover_date) == (None, None)
    assert CafcassInvolvement.history.filter(id=guardian.pk).count() == 1


# --- legal advice referral ----------------------------------------------------------------------


def test_an_iro_records_a_referral_and_later_its_outcome(client, iro_user, period):
    client.force_login(iro_user)
    response = client.post(
        reverse("reviews:legal-advice-record", args=[period.child_id]),
        {"date_referred": "01/06/2016", "reason": "Contact with siblings refused"},
    )
    assert response.status_code == 302
    referral = LegalAdviceReferral.objects.get()
    assert (referral.date_referred, referral.outcome) == (date(2016, 6, 1), "")
    url = reverse("reviews:legal-advice-update", args=[referral.pk])
    assert "Contact with siblings refused" in _page(client, url)
    response = client.post(
        url,
        {
            "outcome": "  Solicitor appointed; contact plan reviewed.  ",
            "updated_at": referral.updated_at.isoformat(),
        },
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.outcome == "Solicitor appointed; contact plan reviewed."
    assert LegalAdviceReferral.history.filter(id=referral.pk).count() == 2
    assert "Change outcome" in client.get(response.url).content.decode()


def test_a_referral_without_a_reason_or_an_empty_outcome_names_the_field(client, iro_user, referral):
    client.force_login(iro_user)
    page = _page(
        client,
        reverse("reviews:legal-advice-record", args=[referral.child_id]),
        {"date_referred": "01/07/2016"},
    )
    assert "Enter the reason for the referral" in page and 'href="#id_reason"' in page
    page = _page(client, reverse("reviews:legal-advice-update", args=[referral.pk]), {"outcome": "   "})
    assert "Enter the outcome of the referral" in page and 'href="#id_outcome"' in page
    assert LegalAdviceReferral.objects.count() == 1
    assert LegalAdviceReferral.objects.get().outcome == ""


# --- the access log -----------------------------------------------------------------------------


def test_every_page_view_and_post_is_in_the_access_log(client, manager_user, period, guardian, referral):
    """The IRO manager holds every permission, so one persona opens all eight pages."""
    client.force_login(manager_user)
    child = period.child
    other = ChildFactory()
    views = [
        (reverse("reviews:period-start", args=[other.pk]), other, "Child record: start a period of care"),
        (
            reverse("reviews:episode-change", args=[period.pk]),
            child,
            "Child record: record a change of placement or legal status",
        ),
        (
            reverse("reviews:period-end", args=[period.pk]),
            child,
            "Child record: record that the child left care",
        ),
        (
            reverse("reviews:permanence-plan-record", args=[child.pk]),
            child,
            "Child record: record a permanence plan",
        ),
        (
            reverse("reviews:guardian-record", args=[child.pk]),
            child,
            "Child record: record a Children's Guardian",
        ),
        (reverse("reviews:guardian-update", args=[guardian.pk]), child, "Child record: Children's Guardian"),
        (
            reverse("reviews:legal-advice-record", args=[child.pk]),
            child,
            "Child record: record a referral for legal advice",
        ),
        (
            reverse("reviews:legal-advice-update", args=[referral.pk]),
            child,
            "Child record: legal advice referral",
        ),
    ]
    for url, whose, what in views:
        before = AccessLog.objects.count()
        assert client.get(url).status_code == 200
        assert client.post(url, {}).status_code == 200  # an empty form: shown again with errors
        logged = list(AccessLog.objects.order_by("pk").values_list("child_id", "user_id", "what", "path"))[
            before:
        ]
        assert logged == [(whose.pk, manager_user.pk, what, url)] * 2, url


# --- the change services ------------------------------------------------------------------------


def test_guardian_update_names_each_date_before_the_appointment(guardian):
    with pytest.raises(ValidationError) as raised:
        services.cafcass_involvement_update(
            involvement=guardian, end_date=date(2016, 4, 9), handover_date=date(2016, 4, 1)
        )
    assert raised.value.message_dict == {
        "end_date": [
            "The date the guardian's involvement ended must be on or after the guardian was appointed "
            "on 10 April 2016."
        ],
        "handover_date": [
            "The date of the handover to the IRO must be on or after the guardian was appointed "
            "on 10 April 2016."
        ],
    }
    guardian.refresh_from_db()
    assert (guardian.end_date, guardian.handover_date) == (None, None)


def test_guardian_update_refuses_a_date_in_the_future(guardian):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as raised:
        services.cafcass_involvement_update(involvement=guardian, end_date=None, handover_date=tomorrow)
    assert raised.value.message_dict == {
        "handover_date": ["The date of the handover to the IRO must be today or earlier."]
    }


def test_guardian_update_accepts_the_appointment_day_and_today_and_clears_a_date(guardian):
    today = timezone.localdate()
    saved = services.cafcass_involvement_update(
        involvement=guardian, end_date=date(2016, 4, 10), handover_date=today
    )
    assert (saved.end_date, saved.handover_date) == (date(2016, 4, 10), today)
    cleared = services.cafcass_involvement_update(involvement=guardian, end_date=None, handover_date=today)
    assert cleared.end_date is None
    # Recorded, changed, changed again.
    assert CafcassInvolvement.history.filter(id=guardian.pk).count() == 3


def test_legal_advice_outcome_is_trimmed_and_cannot_be_emptied(referral):
    saved = services.legal_advice_referral_update(referral=referral, outcome="  Advice given\n")
    assert saved.outcome == "Advice given"
    with pytest.raises(ValidationError) as raised:
        services.legal_advice_referral_update(referral=referral, outcome=" \n ")
    assert raised.value.message_dict == {"outcome": ["Enter the outcome of the referral for legal advice."]}
    referral.refresh_from_db()
    assert referral.outcome == "Advice given"
    assert LegalAdviceReferral.history.filter(id=referral.pk).count() == 2
