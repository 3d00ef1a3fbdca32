"""The OpenAPI schema describes the ``dfe_warnings`` that come back with a saved record on every
endpoint whose service checks the DfE's return rules (SSDA903 for children in care, the CIN
census for child protection), as one ``DfeWarning`` component with the keys the API sends."""

from datetime import date

import pytest

from iro_service.core.dfe import DfeWarning

pytestmark = pytest.mark.django_db

# Every write whose service sets ``dfe_warnings`` (grep the services for it), with the answer's
# status: reviews.services period_of_care_start, period_of_care_end, episode_change,
# lac_review_record, lac_review_update; conferences.services strategy_discussion_record,
# conference_book, conference_record, conference_stand_down (200 stood down, 201 rearranged),
# section47_assessment_record.
CHECKED_ON_SAVE = [
    ("post", "/api/v1/periods-of-care/", "201"),
    ("post", "/api/v1/periods-of-care/{id}/end/", "200"),
    ("post", "/api/v1/episodes/", "201"),
    ("post", "/api/v1/reviews/", "201"),
    ("patch", "/api/v1/reviews/{id}/", "200"),
    ("post", "/api/v1/strategy-discussions/", "201"),
    ("post", "/api/v1/conferences/", "201"),
    ("post", "/api/v1/conferences/{id}/record/", "200"),
    ("post", "/api/v1/conferences/{id}/stand-down/", "200"),
    ("post", "/api/v1/conferences/{id}/stand-down/", "201"),
    ("post", "/api/v1/section-47-enquiries/{id}/assessment/", "200"),
]


@pytest.fixture
def schema(token_client):
    return token_client("read").get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


def _component(schema, ref: str) -> dict:
    return schema["components"]["schemas"].get(ref.removeprefix("#/components/schemas/"), {})


@pytest.mark.parametrize(("method", "path", "status"), CHECKED_ON_SAVE)
def test_the_answer_of_a_save_checked_against_the_dfe_rules_describes_its_warnings(
    schema, method, path, status
):
    answer = schema["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]
    saved = _component(schema, answer["$ref"])
    warnings = saved["properties"]["dfe_warnings"]
    assert "dfe_warnings" in saved["required"]  # sent even when empty
    assert warnings["type"] == "array"
    assert warnings["items"] == {"$ref": "#/components/schemas/DfeWarning"}


def test_no_other_answer_promises_warnings(schema):
    promised = {
        (method, path, status)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        for status, response in operation["responses"].items()
        if "dfe_warnings"
        in _component(
            schema, response.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref", "x")
        ).get("properties", {})
    }
    assert promised == set(CHECKED_ON_SAVE)


def test_one_warning_component_with_the_keys_the_api_sends(schema):
    sent = DfeWarning(
        rule="362", message="", record="episode", record_id=1, child_id=1, on=date(2026, 5, 1), detail=""
    ).as_dict()
    described = schema["components"]["schemas"]["DfeWarning"]
    assert set(described["properties"]) == set(sent) == set(described["required"])
    assert described["properties"]["rule"]["type"] == "string"
    assert described["properties"]["date"] == {**described["properties"]["date"], "format": "date"}
    # Reused, never copied: no DfeWarning2 or inline variant.
    assert [name for name in schema["components"]["schemas"] if "DfeWarning" in name] == ["DfeWarning"]


def test_writes_that_check_no_rule_do_not_promise_warnings(schema):
    # A Children's Guardian's involvement is not checked against a return: its answer is the
    # plain record.
    answer = schema["paths"]["/api/v1/cafcass-involvements/"]["post"]["responses"]["201"]
    saved = _component(schema, answer["content"]["application/json"]["schema"]["$ref"])
    assert "dfe_warnings" not in saved["properties"]
