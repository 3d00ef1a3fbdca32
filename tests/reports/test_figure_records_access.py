"""Who may see the records behind a figure (the drill-down), and the access log of the children
shown: the records endpoint is a second path to children's records, so it has the checks and
the log of the first (the records endpoints)."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from iro_service.audit.models import AccessChannel, AccessLog
from reports.figures import REGISTRY
from reports.figures.base import figure
from reviews import services
from tests.factories import ChildFactory
from tests.factories.reviews import period_of_care

pytestmark = pytest.mark.django_db

YEAR = {"start": "2016-04-01", "end": "2017-03-31"}
URL = "/api/v1/figures/cic_at_end/records/"


@pytest.fixture
def in_care():
    """In care on 31 March 2017: Ash, Bell and Cole (sorted by last name). Dunn's period of care
    ended on 1 March 2017, so Dunn is not behind the figure and must not be logged."""
    children = {}
    for last_name in ("Cole", "Ash", "Bell"):
        children[last_name] = ChildFactory(first_name="Test", last_name=last_name)
        period_of_care(child=children[last_name], start_date=date(2016, 6, 1))
    children["Dunn"] = ChildFactory(first_name="Test", last_name="Dunn")
    services.period_of_care_end(
        period=period_of_care(child=children["Dunn"], start_date=date(2016, 6, 1)),
        end_date=date(2017, 3, 1),
        reason_ceased="E11",
    )
    return children


def _with_permissions(user, *names):
    for name in names:
        app_label, codename = name.split(".")
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        user.user_permissions.add(permission)
    return user


def test_a_token_with_only_the_figures_scope_is_refused(in_care, token_client):
    response = token_client("figures").get(URL, YEAR)
    assert response.status_code == 403
    assert "'read' scope" in response.json()["detail"]
    assert not AccessLog.objects.exists()


def test_a_signed_in_user_with_no_role_is_refused(in_care, no_role_user, client_for):
    response = client_for(no_role_user).get(URL, YEAR)
    assert response.status_code == 403
    assert not AccessLog.objects.exists()


def test_a_user_who_may_see_children_but_not_periods_of_care_is_refused(in_care, make_user, client_for):
    # Everything cic_at_end's rows show except the periods of care themselves.
    user = _with_permissions(
        make_user(None, username="partial"),
        "people.view_child",
        "reviews.view_episode",
        "reviews.view_lacreview",
        "people.view_iroallocation",
    )
    assert client_for(user).get(URL, YEAR).status_code == 403
    assert not AccessLog.objects.exists()


def test_a_read_token_without_the_user_permission_is_refused(in_care, token_client, no_role_user):
    response = token_client("figures", "read", user=no_role_user).get(URL, YEAR)
    assert response.status_code == 403
    assert not AccessLog.objects.exists()


def test_no_credentials_is_401(in_care, api_client):
    assert api_client.get(URL, YEAR).status_code == 401


def test_a_read_token_gets_the_page_and_each_child_on_it_is_logged_once(in_care, token_client, api_user):
    """GIVEN Ash, Bell and Cole in care at the end of the year (Dunn left before it)
    WHEN the API client asks for the first page of two rows
    THEN it gets Ash and Bell, and the access log has one API row for each, and none for Cole
    (not on the page) or Dunn (not behind the figure)."""
    response = token_client("figures", "read").get(URL, {**YEAR, "page_size": 2})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [row["child"] for row in body["results"]] == ["Test Ash", "Test Bell"]
    assert [row["child_id"] for row in body["results"]] == [in_care["Ash"].pk, in_care["Bell"].pk]
    logged = AccessLog.objects.order_by("child_id")
    assert sorted(row.child_id for row in logged) == sorted([in_care["Ash"].pk, in_care["Bell"].pk])
    assert {(row.user_id, row.channel, row.what) for row in logged} == {
        (api_user.pk, AccessChannel.API, "Figure records: cic_at_end")
    }
    assert logged[0].path.startswith(URL)


def test_a_signed_in_iro_may_drill_down_and_is_logged(in_care, iro_user, client_for):
    response = client_for(iro_user).get(URL, YEAR)
    assert response.status_code == 200
    assert response.json()["count"] == 3
    assert AccessLog.objects.filter(user=iro_user, channel=AccessChannel.API).count() == 3


def test_the_staff_drill_down_needs_staff_permissions_and_logs_no_child(token_client):
    # iro_fte_at_end's rows are about IROs: the read scope and view_staffmember, no children.
    url = "/api/v1/figures/iro_fte_at_end/records/"
    assert token_client("figures").get(url, YEAR).status_code == 403
    assert token_client("figures", "read").get(url, YEAR).status_code == 200
    assert not AccessLog.objects.exists()


def test_an_unknown_key_is_still_a_400(token_client):
    response = token_client("figures", "read").get("/api/v1/figures/nonsense/records/", YEAR)
    assert response.status_code == 400 and "keys" in response.json()


def test_the_figures_themselves_stay_on_the_figures_scope(in_care, token_client):
    assert token_client("figures").get("/api/v1/figures/", {**YEAR, "keys": "cic_at_end"}).status_code == 200
    assert not AccessLog.objects.exists()


def test_every_drill_down_declares_what_its_records_need():
    for key, entry in REGISTRY.items():
        if entry.records is not None:
            assert entry.records_need, key
    with pytest.raises(ValueError, match="give the view permissions its records need"):
        figure(key="no_needs", kind="count", section="Test", label="", definition="", records=lambda q: [])


def _queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, YEAR).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_the_records_endpoint_does_not_query_per_row(in_care, token_client):
    client = token_client("figures", "read")
    client.get(URL, YEAR)  # the first request of a token also records when it was last used
    small = _queries(client)
    for number in range(6):
        period_of_care(child=ChildFactory(), start_date=date(2016, 7, number + 1))
    # Token, user's permissions, the rows (one query) and one INSERT into the access log,
    # whether 3 children are shown or 9.
    big = _queries(client)
    assert len(big) == len(small), "\n".join(big)
    assert sum(sql.startswith('INSERT INTO "audit_accesslog"') for sql in big) == 1
    assert AccessLog.objects.count() == 3 + 3 + 9
