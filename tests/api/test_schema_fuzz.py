"""schemathesis generates requests from our OpenAPI schema (valid and invalid parameters) and
checks that none gets a server error: bad input must always be a 4xx that names the problem.
Every operation is covered, the writes too (POST and PATCH with generated JSON bodies, nested
lists included), with an IRO manager's token so the bodies get past the permission check. A
bounded run (10 examples per operation, derandomized): about 70 seconds.

Requests go through Django's test client (not a raw WSGI call), so the test's database
transaction and connection are handled as in every other test."""

import json
from datetime import date
from urllib.parse import urlencode

import pytest
import schemathesis
from django.core.cache import cache
from hypothesis import HealthCheck, settings
from rest_framework.test import APIClient
from schemathesis.core import NotSet

from conferences.models import ConferenceType
from conferences.services import conference_book, strategy_discussion_record
from iro_service.audit.services import api_token_issue
from tests.factories import ChildFactory, FamilyMembershipFactory, IroAllocationFactory, StaffMemberFactory
from tests.factories.conferences import family_with_children
from tests.factories.hsb import decided, meeting
from tests.factories.reviews import period_of_care, review


@pytest.fixture
def writer_token(manager_user):
    """An IRO manager's token with every scope: the role that may use every write endpoint, so
    the generated bodies reach the serializers and services rather than stopping at a 403."""
    _, plain = api_token_issue(user=manager_user, name="Fuzzer", scopes=["figures", "read", "write"])
    return plain


@pytest.fixture
def api_schema(writer_token):
    # The schema as a client gets it: from /api/schema/, which needs a token.
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {writer_token}")
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return schemathesis.openapi.from_dict(response.json())


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def fuzz_client(writer_token):
    IroAllocationFactory(child=FamilyMembershipFactory(child=ChildFactory()).child)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {writer_token}")
    return client


@pytest.fixture
def existing_ids():
    """Records whose ids replace the generated `{id}` of their endpoints, so that the generated
    bodies of the changes (a review's parts, a conference's decisions and attendance) reach the
    views and services instead of stopping at a 404."""
    period = period_of_care(start_date=date(2016, 4, 4), child=ChildFactory(date_of_birth=date(2008, 1, 1)))
    held = review(child=period.child, parts=date(2016, 4, 20))
    family, children = family_with_children("Amy")
    discussion = strategy_discussion_record(family=family, on=date(2016, 6, 1), children=children)
    conference = conference_book(
        family=family,
        conference_type=ConferenceType.INITIAL,
        on=date(2016, 6, 15),
        chair=StaffMemberFactory(),
        children=[(child, "initial") for child in children],
        strategy_discussion=discussion,
    )
    hsb_referral = decided(rating="amber", received_on=date(2016, 6, 1))
    hsb_meeting = meeting(referral=hsb_referral, on=date(2016, 6, 20))
    return {
        "/api/v1/hsb-referrals/": hsb_referral.pk,
        "/api/v1/hsb-meetings/": hsb_meeting.pk,
        "/api/v1/children/": period.child_id,
        "/api/v1/periods-of-care/": period.pk,
        "/api/v1/reviews/": held.pk,
        "/api/v1/conferences/": conference.pk,
    }


def _send(client, case):
    extra = {"QUERY_STRING": urlencode(case.query or {}, doseq=True)}
    if isinstance(case.body, NotSet) or case.body is None:
        return client.generic(case.method, case.formatted_path, **extra)
    if not isinstance(case.body, bytes | str):
        return client.generic(
            case.method,
            case.formatted_path,
            # Negative cases can hold bytes, which JSON cannot: send them as the text they spell.
            json.dumps(case.body, default=lambda raw: raw.decode(errors="replace")),
            content_type="application/json",
            **extra,
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
def test_no_request_gets_a_server_error(case, fuzz_client, existing_ids):
    for prefix, pk in existing_ids.items():
        if case.path.startswith(f"{prefix}{{id}}") and case.path_parameters:
            case.path_parameters["id"] = pk
    # Thousands of requests in a minute: the rate limit would answer most of them with a 429.
    cache.clear()
    response = _send(fuzz_client, case)
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path}?{case.query}: {response.status_code}"
    )
