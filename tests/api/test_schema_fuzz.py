"""schemathesis generates requests from our OpenAPI schema (valid and invalid parameters) and
checks that none gets a server error: bad input must always be a 4xx that names the problem.
Every operation is covered, the writes too (POST and PATCH with generated JSON bodies, nested
lists included), with an IRO manager's token so the bodies get past the permission check. A
bounded run (10 examples per operation, derandomized): about 70 seconds.

A second test sends every operation a fixed list of hostile values (NUL, a 30-digit number,
"²", 20,000 characters, a list where a value goes ...) in each query parameter and in each field
of a body at any depth, one at a time, about 1,100 requests: about 40 seconds.

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
        "/api/v1/section-47-enquiries/": discussion.enquiries.get().pk,
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


# --- hostile values, every one sent ----------------------------------------------------------
# schemathesis draws its values at random, so a value that breaks one parser may never be drawn.
# These are sent to every operation: each query parameter, and each field of each request body
# at any depth (in a body otherwise made of plausible values, so that the hostile one is what
# the serializer and service meet), one field at a time.

HOSTILE = [
    "\x00",  # PostgreSQL text cannot hold NUL
    "9" * 30,  # past every integer column; int() of over 4,300 digits fails
    "\u00b2",  # "²": str.isdigit() says yes, int() says no
    "1e999",
    "31/02/2017",
    "0001-01-01",
    "x" * 20_000,
    -(2**63) - 1,
    [],
    {},
    None,
]


def _resolve(spec: dict, node: dict) -> dict:
    while "$ref" in node:
        node = spec["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    if "allOf" in node:
        return _resolve(spec, node["allOf"][0])
    if "oneOf" in node or "anyOf" in node:
        return _resolve(spec, (node.get("oneOf") or node["anyOf"])[0])
    return node


def _plausible(spec: dict, node: dict, depth: int = 0):
    """A value of the schema ``node`` that a client might send: the first choice, a date in the
    fixture's year, id 1, one item in a list."""
    node = _resolve(spec, node)
    if "enum" in node:
        return next((value for value in node["enum"] if value not in ("", None)), None)
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        if depth > 4:
            return {}
        return {name: _plausible(spec, sub, depth + 1) for name, sub in node.get("properties", {}).items()}
    if kind == "array":
        return [_plausible(spec, node.get("items", {}), depth + 1)]
    if kind == "integer":
        return 1
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return True
    if node.get("format") == "date":
        return "2016-06-01"
    if node.get("format") == "date-time":
        return "2016-06-01T10:00:00Z"
    return "Text"


def _leaves(value, path=()):
    """The path of every value in a body (into the first item of each list)."""
    if isinstance(value, dict) and value:
        for key, sub in value.items():
            yield from _leaves(sub, (*path, key))
    elif isinstance(value, list) and value:
        yield from _leaves(value[0], (*path, 0))
    if path:
        yield path


def _replaced(value, path, new):
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = _replaced(value[path[0]], path[1:], new)
    return copy


def test_hostile_values_in_every_parameter_and_body_field_get_no_server_error(
    fuzz_client, existing_ids, writer_token
):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {writer_token}")
    spec = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    sent, errors = 0, []

    def send(method, path, *, query=None, body=None):
        nonlocal sent
        cache.clear()  # no rate limit in the way
        sent += 1
        data = {} if body is None else {"data": json.dumps(body), "content_type": "application/json"}
        response = fuzz_client.generic(method, path, QUERY_STRING=urlencode(query or {}, doseq=True), **data)
        if response.status_code >= 500:
            errors.append(f"{method} {path} {query or ''} {json.dumps(body)[:200] if body else ''}")

    fuzz_client.raise_request_exception = False
    for template, operations in sorted(spec["paths"].items()):
        pk = next((pk for prefix, pk in existing_ids.items() if template.startswith(prefix)), 1)
        path = template.replace("{id}", str(pk)).replace("{key}", "cic_in_care_at_end")
        for method, operation in operations.items():
            if method not in ("get", "post", "patch", "put"):
                continue
            names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
            strings = [value for value in HOSTILE if isinstance(value, str)]
            for value in strings if names else []:
                send(method.upper(), path, query={name: value for name in names})
            for number, name in enumerate(names):
                send(method.upper(), path, query={name: strings[number % len(strings)]})
            body_schema = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if not body_schema:
                continue
            body = _plausible(spec, body_schema["schema"])
            for value in (*HOSTILE, [[[[[[[[[[[]]]]]]]]]]]):
                send(method.upper(), path, body=value)
            for number, leaf in enumerate(_leaves(body)):
                send(method.upper(), path, body=_replaced(body, leaf, HOSTILE[number % len(HOSTILE)]))
    assert sent > 500, sent
    assert errors == [], f"{len(errors)} server errors in {sent} requests:\n" + "\n".join(errors)
