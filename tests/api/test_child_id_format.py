"""A child ID sent through the API must be in the DfE's format, like one from a return."""

import pytest

from iro_service.people.models import Child
from tests.api.test_people_write_api import CHILDREN, NEW_CHILD

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(token_client, support_user):
    return token_client("read", "write", user=support_user)


@pytest.mark.parametrize("child_id", ["=1+1", "@SUM(A1)", "A 1", "A12345678901"])
def test_a_child_id_that_is_not_letters_and_digits_is_a_400_naming_it(writer, child_id):
    response = writer.post(CHILDREN, {**NEW_CHILD, "local_child_id": child_id}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["local_child_id"]
    assert "1 to 10 letters or digits" in response.json()["local_child_id"][0]
    assert not Child.objects.exists()
