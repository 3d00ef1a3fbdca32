"""Periods of care, episodes and LAC reviews through the API: scopes, writes through the
services (400 naming the field, nothing changed), stale versions, the access log and query
counts."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from iro_service.audit.models import AccessChannel, AccessLog
from reviews.models import Episode, LacReview, PeriodOfCare
from tests.factories import ChildFactory, StaffMemberFactory
from tests.factories.reviews import period_of_care, review

pytestmark = pytest.mark.django_db

PERIODS = "/api/v1/periods-of-care/"
EPISODES = "/api/v1/episodes/"
REVIEWS = "/api/v1/reviews/"


@pytest.fixture
def writer(token_client, manager_user):
    """A token with both records scopes for an IRO manager, who may record reviews and episodes."""
    return token_client("read", "write", user=manager_user)


# --- scopes -----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [PERIODS, EPISODES, REVIEWS])
def test_reads_need_the_read_scope(token_client, api_client, url):
    assert api_client.get(url).status_code == 401
    assert token_client("figures").get(url).status_code == 403
    assert token_client("read").get(url).status_code == 200


@pytest.mark.parametrize("url", [PERIODS, EPISODES, REVIEWS])
def test_writes_need_the_write_scope_and_the_roles_permission(token_client, api_client, manager_user, url):
    assert api_client.post(url, {}, format="json").status_code == 401
    response = token_client("read", user=manager_user).post(url, {}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "This token does not have the 'write' scope."
    # The API client persona's role reads only, whatever the token's scopes.
    assert token_client("read", "write").post(url, {}, format="json").status_code == 403
    # Allowed through: an empty body is then a 400 naming the missing fields.
    assert token_client("write", user=manager_user).post(url, {}, format="json").status_code == 400


def test_a_browser_session_can_record_through_the_api(api_client, manager_user):
    child = ChildFactory(date_of_birth=date(2008, 1, 1))
    api_client.force_login(manager_user)
    response = api_client.post(
        PERIODS,
        {
            "child": child.pk,
            "start_date": "2016-05-03",
            "legal_status": "C2",
            "category_of_need": "N1",
            "placement": "U1",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()


# --- reads ------------------------------------------------------------------------------------


def test_periods_list_nests_episodes_and_logs_each_child(token_client):
    period = period_of_care(start_date=date(2016, 4, 4))
    period_of_care(start_date=date(2016, 5, 1))
    body = token_client("read").get(PERIODS, {"child": period.child_id}).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert (row["start_date"], row["end_date"]) == ("2016-04-04", None)
    assert [e["reason_for_new_episode"] for e in row["episodes"]] == ["S"]
    log = AccessLog.objects.get()
    assert (log.child_id, log.channel, log.what) == (
        period.child_id,
        AccessChannel.API,
        "Period of care (list)",
    )


def test_episode_and_review_reads_are_logged_against_the_child(token_client):
    period = period_of_care(start_date=date(2016, 4, 4))
    held = review(child=period.child, parts=[date(2016, 4, 20), date(2016, 4, 27)])
    client = token_client("read")
    episode = Episode.objects.get(period=period)
    assert client.get(f"{EPISODES}{episode.pk}/").json()["child"] == period.child_id
    body = client.get(f"{REVIEWS}{held.pk}/").json()
    # First review of a period: due within 20 working days of 4 Apr 2016, so 20 Apr is on time.
    assert (body["sequence"], body["is_on_time"]) == (1, True)
    assert [part["date"] for part in body["parts"]] == ["2016-04-20", "2016-04-27"]
    assert sorted(AccessLog.objects.values_list("what", flat=True)) == ["Care episode", "LAC review"]
    assert set(AccessLog.objects.values_list("child_id", flat=True)) == {period.child_id}


def test_a_bad_filter_value_is_a_400_naming_the_field(token_client):
    response = token_client("read").get(REVIEWS, {"held_on_or_after": "soon", "chair": "x"})
    assert response.status_code == 400
    assert set(response.json()) == {"held_on_or_after", "chair"}


# --- writes -----------------------------------------------------------------------------------


def test_starting_a_period_and_a_new_episode_go_through_the_services(writer):
    """GIVEN a child not in care
    WHEN a client starts a period on 3 May 2016 and records a placement change on 1 Jun 2016
    THEN the period has two contiguous episodes (the first ended X1 on 1 Jun), both with history
    rows, and each response is in the access log."""
    child = ChildFactory(date_of_birth=date(2008, 1, 1))
    response = writer.post(
        PERIODS,
        {
            "child": child.pk,
            "start_date": "2016-05-03",
            "legal_status": "C2",
            "category_of_need": "N1",
            "placement": "U1",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    period_id = response.json()["id"]
    response = writer.post(
        EPISODES,
        {
            "period": period_id,
            "start_date": "2016-06-01",
            "reason_for_new_episode": "P",
            "legal_status": "C2",
            "category_of_need": "N1",
            "placement": "U3",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    episodes = list(Episode.objects.filter(period_id=period_id).order_by("start_date"))
    assert [(e.start_date, e.end_date, e.reason_ceased) for e in episodes] == [
        (date(2016, 5, 3), date(2016, 6, 1), "X1"),
        (date(2016, 6, 1), None, ""),
    ]
    assert Episode.history.filter(period_id=period_id).count() == 3  # 2 created + 1 ended
    assert PeriodOfCare.history.filter(id=period_id).exists()
    assert (
        AccessLog.objects.filter(
            child=child, what__in=["Period of care (created)", "Care episode (created)"]
        ).count()
        == 2
    )


def test_a_bad_code_is_a_400_naming_the_field_and_changes_nothing(writer):
    child = ChildFactory()
    response = writer.post(
        PERIODS,
        {
            "child": child.pk,
            "start_date": "2016-05-03",
            "legal_status": "ZZ",
            "category_of_need": "N1",
            "placement": "U1",
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["legal_status"]
    assert "ZZ is not a" in response.json()["legal_status"][0]
    assert not PeriodOfCare.objects.exists()
    assert not AccessLog.objects.exists()


def test_a_date_outside_living_memory_is_a_400(writer):
    child = ChildFactory()
    response = writer.post(
        PERIODS,
        {
            "child": child.pk,
            "start_date": "0001-01-01",
            "legal_status": "C2",
            "category_of_need": "N1",
            "placement": "U1",
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["start_date"]


def test_ending_a_period(writer):
    period = period_of_care(start_date=date(2016, 4, 4))
    response = writer.post(
        f"{PERIODS}{period.pk}/end/", {"end_date": "2016-09-30", "reason_ceased": "E11"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["end_date"] == "2016-09-30"
    response = writer.post(
        f"{PERIODS}{period.pk}/end/", {"end_date": "2016-10-30", "reason_ceased": "E11"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["end_date"]


def test_recording_a_review_through_the_api(writer):
    """GIVEN a child in care from 4 Apr 2016 and an IRO
    WHEN a client records a review held in two parts, 20 and 27 Apr 2016
    THEN the review is sequence 1, dated 20 Apr (part 1), on time, with a history row."""
    period = period_of_care(start_date=date(2016, 4, 4), child=ChildFactory(date_of_birth=date(2008, 1, 1)))
    iro = StaffMemberFactory()
    response = writer.post(
        REVIEWS,
        {
            "child": period.child_id,
            "parts": [{"date": "2016-04-20"}, {"date": "2016-04-27", "notes": "Health assessment"}],
            "chair": iro.pk,
            "participation_code": "PN1",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["sequence"], body["review_date"], body["is_on_time"], body["chair"]) == (
        1,
        "2016-04-20",
        True,
        iro.pk,
    )
    # The create, and the due-date refresh's update: the same rows a web page would write.
    assert LacReview.history.filter(id=body["id"], history_type="+").count() == 1
    assert AccessLog.objects.filter(child_id=period.child_id, what="LAC review (created)").exists()


def test_review_validation_errors_name_the_api_fields_and_change_nothing(writer):
    period = period_of_care(start_date=date(2016, 4, 4), child=ChildFactory(date_of_birth=date(2008, 1, 1)))
    response = writer.post(
        REVIEWS,
        {
            "child": period.child_id,
            # Part 1 before the child came into care; part 2 before part 1.
            "parts": [{"date": "2016-03-01"}, {"date": "2016-02-01"}],
            "chair": None,
            # The child is 8: PN0 is only for under-4s.
            "participation_code": "PN0",
        },
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"parts", "participation_code"}
    assert not LacReview.objects.exists()


def test_changing_a_review_needs_the_current_version(writer):
    """GIVEN a recorded review
    WHEN a client changes it with the version it read, then again with that (now stale) version
    THEN the first change is saved with a history row and the second is a 409 naming `version`
    that changes nothing."""
    period = period_of_care(start_date=date(2016, 4, 4), child=ChildFactory(date_of_birth=date(2008, 1, 1)))
    held = review(child=period.child, parts=date(2016, 4, 20))
    url = f"{REVIEWS}{held.pk}/"
    history_before = LacReview.history.filter(id=held.pk).count()
    version = writer.get(url).json()["version"]
    response = writer.patch(url, {"record_completed": "2016-04-25", "version": version}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["record_completed"] == "2016-04-25"
    assert response.json()["parts"][0]["date"] == "2016-04-20"  # unsent fields keep their values
    assert LacReview.history.filter(id=held.pk).count() > history_before
    history_after = LacReview.history.filter(id=held.pk).count()
    response = writer.patch(url, {"record_completed": "2016-04-26", "version": version}, format="json")
    assert response.status_code == 409
    assert list(response.json()) == ["version"]
    held.refresh_from_db()
    assert held.record_completed == date(2016, 4, 25)
    assert LacReview.history.filter(id=held.pk).count() == history_after


def test_a_change_without_a_version_is_a_400_naming_it(writer):
    period = period_of_care(start_date=date(2016, 4, 4))
    held = review(child=period.child, parts=date(2016, 4, 20))
    response = writer.patch(f"{REVIEWS}{held.pk}/", {"late_reason": "x"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["version"]


# --- query counts -----------------------------------------------------------------------------


def _add_children_in_care(count: int) -> None:
    for _ in range(count):
        period = period_of_care(start_date=date(2016, 4, 4))
        review(child=period.child, parts=[date(2016, 4, 20), date(2016, 4, 21)])


@pytest.mark.parametrize("url", [PERIODS, EPISODES, REVIEWS])
def test_list_query_count_does_not_grow_with_rows(token_client, url):
    client = token_client("read")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    queries()  # the first request also records the token's last use
    _add_children_in_care(2)
    small = queries()
    _add_children_in_care(12)
    assert queries() == small
