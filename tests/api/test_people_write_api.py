"""Adding and changing children through the API: people.services validates, a stale version
is refused, and nothing changes on bad input."""

import pytest

from iro_service.audit.models import AccessLog
from iro_service.people.models import Child
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

CHILDREN = "/api/v1/children/"
NEW_CHILD = {
    "local_child_id": "C900",
    "first_name": "Amy",
    "last_name": "Pond",
    "date_of_birth": "2012-03-04",
    "sex": "F",
    "ethnicity": "WBRI",
}


@pytest.fixture
def writer(token_client, support_user):
    """Business support may add and change children."""
    return token_client("read", "write", user=support_user)


def test_scopes_for_writing_children(token_client, api_client, support_user):
    assert api_client.post(CHILDREN, NEW_CHILD, format="json").status_code == 401
    assert token_client("read", user=support_user).post(CHILDREN, NEW_CHILD, format="json").status_code == 403
    assert (
        token_client("figures", user=support_user).post(CHILDREN, NEW_CHILD, format="json").status_code == 403
    )
    # The API client persona's role cannot add children whatever the token says.
    assert token_client("read", "write").post(CHILDREN, NEW_CHILD, format="json").status_code == 403
    assert not Child.objects.exists()


def test_adding_a_child(writer):
    response = writer.post(CHILDREN, NEW_CHILD, format="json")
    assert response.status_code == 201, response.json()
    child = Child.objects.get(local_child_id="C900")
    assert response.json()["id"] == child.pk
    assert child.history.count() == 1
    assert AccessLog.objects.filter(child=child, what="Child record (created)").exists()


def test_a_bad_child_is_a_400_naming_the_fields_and_changes_nothing(writer):
    ChildFactory(local_child_id="C900")
    response = writer.post(CHILDREN, {**NEW_CHILD, "upn": "lowercase", "sex": "Q"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"local_child_id", "sex"}
    assert Child.objects.count() == 1


def test_the_services_checks_apply(writer):
    """The model's constraints (checked by child_create's full_clean), not only the parsing: a
    child needs a date of birth or an expected one, and the UPN has a fixed format."""
    body = {**NEW_CHILD, "date_of_birth": None, "upn": "A12"}
    response = writer.post(CHILDREN, body, format="json")
    assert response.status_code == 400
    assert "upn" in response.json() or "non_field_errors" in response.json()
    assert not Child.objects.exists()


def test_changing_a_child_needs_the_current_version(writer):
    """GIVEN a child
    WHEN a client changes the last name with the version it read, then again with that stale
    version
    THEN the first change is saved with a history row, the second is a 409 naming `version`."""
    child = ChildFactory(last_name="Pond")
    url = f"{CHILDREN}{child.pk}/"
    version = writer.get(url).json()["version"]
    response = writer.patch(url, {"last_name": "Williams", "version": version}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["last_name"] == "Williams"
    assert child.history.count() == 2
    response = writer.patch(url, {"last_name": "Smith", "version": version}, format="json")
    assert response.status_code == 409
    assert list(response.json()) == ["version"]
    child.refresh_from_db()
    assert child.last_name == "Williams"


def test_a_change_must_send_a_version_and_valid_fields(writer):
    child = ChildFactory()
    url = f"{CHILDREN}{child.pk}/"
    assert list(writer.patch(url, {"last_name": "X"}, format="json").json()) == ["version"]
    version = writer.get(url).json()["version"]
    response = writer.patch(url, {"date_of_birth": "1700-01-01", "version": version}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["date_of_birth"]
    # Keeping its own local child ID is not a clash with itself.
    response = writer.patch(url, {"local_child_id": child.local_child_id, "version": version}, format="json")
    assert response.status_code == 200


def test_children_cannot_be_deleted_or_replaced(writer):
    child = ChildFactory()
    # Neither is offered (405), whatever the role's permissions.
    assert writer.delete(f"{CHILDREN}{child.pk}/").status_code == 405
    assert writer.put(f"{CHILDREN}{child.pk}/", NEW_CHILD, format="json").status_code == 405
    assert Child.objects.filter(pk=child.pk, local_child_id=child.local_child_id).exists()


HOSTILE_BODIES = [
    {"child": 2**70, "family": "1; drop table", "period": -1, "chair": [1], "parts": "x"},
    {"date": "9999-12-31", "start_date": "0001-01-01", "end_date": "2016-02-30", "version": "yesterday"},
    {"first_name": "A\x00B", "children": [{"child": None}], "decisions": [{}], "agencies": ["nowhere"]},
    {"parts": [{"date": None}], "local_child_id": "x" * 500, "categories": [["NEG"]]},
    [1, 2, 3],
]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/children/",
        "/api/v1/periods-of-care/",
        "/api/v1/episodes/",
        "/api/v1/reviews/",
        "/api/v1/conferences/",
    ],
)
def test_hostile_bodies_are_400s_never_500s(token_client, manager_user, url):
    """Bad input from a client allowed to write: wrong types, impossible dates, out-of-range
    ids, NUL characters. Each is a 400 that names a field, and nothing is written."""
    client = token_client("read", "write", user=manager_user)
    for body in HOSTILE_BODIES:
        response = client.post(url, body, format="json")
        assert response.status_code == 400, (body, response.content)
        assert response.json()
    assert not Child.objects.exists()


@pytest.mark.parametrize(
    "path",
    ["/api/v1/children/{child}/", "/api/v1/reviews/{child}/", "/api/v1/conferences/{child}/record/"],
)
def test_hostile_changes_are_4xx_never_500s(token_client, manager_user, path):
    child = ChildFactory()
    client = token_client("read", "write", user=manager_user)
    for body in HOSTILE_BODIES:
        url = path.format(child=child.pk)
        send = client.post if url.endswith("/record/") else client.patch
        assert 400 <= send(url, body, format="json").status_code < 500
