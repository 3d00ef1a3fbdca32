"""Children and families through the API: filters, access log and query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from iro_service.audit.models import AccessChannel, AccessLog
from tests.factories import ChildFactory, FamilyMembershipFactory, IroAllocationFactory

pytestmark = pytest.mark.django_db


def test_children_list_filters_and_logs_each_child_returned(token_client):
    amy = ChildFactory(local_child_id="C1", sex="F")
    ChildFactory(local_child_id="C2", sex="M")
    IroAllocationFactory(child=amy)
    client = token_client("read")
    body = client.get("/api/v1/children/", {"sex": "F"}).json()
    assert [row["local_child_id"] for row in body["results"]] == ["C1"]
    assert body["results"][0]["current_iro"]["full_name"]
    log = AccessLog.objects.get()
    assert (log.child, log.channel, log.what) == (amy, AccessChannel.API, "Child record (list)")


def test_child_detail_is_logged(token_client):
    child = ChildFactory()
    client = token_client("read")
    assert client.get(f"/api/v1/children/{child.pk}/").json()["id"] == child.pk
    assert AccessLog.objects.filter(child=child, what="Child record").count() == 1


def test_a_bad_filter_value_is_a_400_naming_the_field(token_client):
    response = token_client("read").get("/api/v1/children/", {"sex": "X", "born_on_or_after": "yesterday"})
    assert response.status_code == 400
    assert set(response.json()) == {"sex", "born_on_or_after"}


def test_families_list_logs_the_children_in_them(token_client):
    membership = FamilyMembershipFactory()
    body = token_client("read").get("/api/v1/families/").json()
    assert body["results"][0]["memberships"][0]["child"] == membership.child_id
    assert AccessLog.objects.filter(child=membership.child).count() == 1


@pytest.mark.parametrize("url", ["/api/v1/children/", "/api/v1/families/"])
def test_list_query_count_does_not_grow_with_rows(token_client, url):
    client = token_client("read")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    queries()  # the first request also records the token's last use
    for _ in range(2):
        IroAllocationFactory(child=FamilyMembershipFactory().child)
    small = queries()
    for _ in range(20):
        IroAllocationFactory(child=FamilyMembershipFactory().child)
    assert queries() == small
