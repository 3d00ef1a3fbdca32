"""schemathesis generates requests from our OpenAPI schema (valid and invalid parameters) and
checks that none gets a server error: bad input must always be a 4xx that names the problem.
A bounded run (10 examples per operation, derandomized) so the suite stays fast.

Requests go through Django's test client (not a raw WSGI call), so the test's database
transaction and connection are handled as in every other test."""

import json
from urllib.parse import urlencode

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.test import APIClient
from schemathesis.core import NotSet

from iro_service.audit.services import api_token_issue
from tests.factories import ChildFactory, FamilyMembershipFactory, IroAllocationFactory


@pytest.fixture
def api_schema(db):
    from drf_spectacular.generators import SchemaGenerator

    return schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def fuzz_client(api_user):
    IroAllocationFactory(child=FamilyMembershipFactory(child=ChildFactory()).child)
    _, plain = api_token_issue(user=api_user, name="Fuzzer", scopes=["figures", "read", "write"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {plain}")
    return client


def _send(client, case):
    extra = {"QUERY_STRING": urlencode(case.query or {}, doseq=True)}
    if isinstance(case.body, NotSet) or case.body is None:
        return client.generic(case.method, case.formatted_path, **extra)
    if not isinstance(case.body, bytes | str):
        return client.generic(
            case.method, case.formatted_path, json.dumps(case.body), content_type="application/json", **extra
        )
    return client.generic(
        case.method,
        case.formatted_path,
        case.body or "",
        content_type=case.media_type or "application/json",
        **extra,
    )


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_request_gets_a_server_error(case, fuzz_client):
    response = _send(fuzz_client, case)
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path}?{case.query}: {response.status_code}"
    )
