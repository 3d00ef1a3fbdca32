"""Every API route answers a method it does not offer with 405, whoever asks with credentials
(before the permission check could say 403 for want of, say, a delete permission no role has),
and 401 without credentials. The table of what each route offers is written out by hand: a
route added without being listed here fails the walk."""

import pytest
from django.core.cache import cache
from django.urls import get_resolver
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

READ = {"GET"}
LIST_ADD = {"GET", "POST"}
DETAIL_CHANGE = {"GET", "PATCH"}
ACTION = {"POST"}

OFFERED = {
    "api/v1/children/": LIST_ADD,
    "api/v1/children/1/": DETAIL_CHANGE,
    "api/v1/families/": READ,
    "api/v1/families/1/": READ,
    "api/v1/periods-of-care/": LIST_ADD,
    "api/v1/periods-of-care/1/": READ,
    "api/v1/periods-of-care/1/end/": ACTION,
    "api/v1/episodes/": LIST_ADD,
    "api/v1/episodes/1/": READ,
    "api/v1/reviews/": LIST_ADD,
    "api/v1/reviews/distribute-records/": ACTION,
    "api/v1/reviews/1/": DETAIL_CHANGE,
    "api/v1/review-meetings/": LIST_ADD,
    "api/v1/review-meetings/1/": READ,
    "api/v1/review-meetings/1/cancel/": ACTION,
    "api/v1/iro-contacts/": LIST_ADD,
    "api/v1/iro-contacts/1/": READ,
    "api/v1/permanence-plans/": LIST_ADD,
    "api/v1/permanence-plans/1/": READ,
    "api/v1/cafcass-involvements/": LIST_ADD,
    "api/v1/cafcass-involvements/1/": DETAIL_CHANGE,
    "api/v1/legal-advice-referrals/": LIST_ADD,
    "api/v1/legal-advice-referrals/1/": DETAIL_CHANGE,
    "api/v1/conferences/": LIST_ADD,
    "api/v1/conferences/1/": READ,
    "api/v1/conferences/1/record/": ACTION,
    "api/v1/conferences/1/record-distribution/": ACTION,
    "api/v1/conferences/1/reports/": ACTION,
    "api/v1/conferences/1/stand-down/": ACTION,
    "api/v1/cp-plans/": READ,
    "api/v1/cp-plans/1/": READ,
    "api/v1/strategy-discussions/": LIST_ADD,
    "api/v1/strategy-discussions/1/": READ,
    "api/v1/section-47-enquiries/": READ,
    "api/v1/section-47-enquiries/1/": READ,
    "api/v1/section-47-enquiries/1/assessment/": ACTION,
    "api/v1/agency-invitations/": READ,
    "api/v1/agency-invitations/1/": READ,
    "api/v1/appeals/": LIST_ADD,
    "api/v1/appeals/1/": DETAIL_CHANGE,
    "api/v1/hsb-referrals/": LIST_ADD,
    "api/v1/hsb-referrals/1/": READ,
    "api/v1/hsb-referrals/1/threshold-decision/": ACTION,
    "api/v1/hsb-meetings/": LIST_ADD,
    "api/v1/hsb-meetings/1/": READ,
    "api/v1/hsb-meetings/1/record-dates/": ACTION,
    "api/v1/hsb-assessments/": LIST_ADD,
    "api/v1/hsb-assessments/1/": READ,
    "api/v1/hsb-training-records/": LIST_ADD,
    "api/v1/hsb-training-records/1/": READ,
    "api/v1/qa-alerts/": LIST_ADD,
    "api/v1/qa-alerts/1/": READ,
    "api/v1/qa-alerts/1/responses/": ACTION,
    "api/v1/qa-alerts/1/escalate/": ACTION,
    "api/v1/qa-alerts/1/refer/": ACTION,
    "api/v1/qa-alerts/1/resolve/": ACTION,
    "api/v1/qa-alert-responses/": READ,
    "api/v1/qa-alert-responses/1/": READ,
    "api/v1/qa-alert-responses/1/judge/": ACTION,
    "api/v1/qa-alert-transitions/": READ,
    "api/v1/qa-alert-transitions/1/": READ,
    "api/v1/challenge-meetings/": LIST_ADD,
    "api/v1/challenge-meetings/1/": DETAIL_CHANGE,
    "api/v1/challenge-meetings/1/actions/": ACTION,
    "api/v1/challenge-actions/": READ,
    "api/v1/challenge-actions/1/": READ,
    "api/v1/challenge-actions/1/complete/": ACTION,
    "api/v1/figures/": READ,
    "api/v1/figures/keys/": READ,
    "api/v1/figures/definitions/": READ,
    "api/v1/figures/cic_at_end/series/": READ,
    "api/v1/figures/cic_at_end/records/": READ,
    "api/schema/": READ,
    "api/docs/": READ,
}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _api_routes() -> set[str]:
    """Every URL under /api/ in the URL conf, with a sample value for each parameter."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if hasattr(pattern, "url_patterns"):
                yield from walk(pattern.url_patterns, route)
            else:
                yield route

    samples = {"(?P<pk>[^/.]+)": "1", "<str:key>": "cic_at_end", "^": "", "$": ""}
    routes = set()
    for route in walk(get_resolver().url_patterns):
        for parameter, sample in samples.items():
            route = route.replace(parameter, sample)
        if route.startswith("api/"):
            routes.add(route)
    return routes


NOT_OFFERED = [
    (path, method) for path, offered in OFFERED.items() for method in METHODS if method not in offered
]


def test_the_table_lists_every_api_route():
    assert _api_routes() == set(OFFERED)


@pytest.fixture
def full_client(manager_user):
    """An IRO manager (who may read and write every record, but delete none) with every scope."""
    from iro_service.audit.services import api_token_issue

    _, plain = api_token_issue(user=manager_user, name="Walker", scopes=["figures", "read", "write"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {plain}")
    return client


@pytest.mark.parametrize(("path", "method"), NOT_OFFERED)
def test_a_method_a_route_does_not_offer_is_405_with_credentials_and_401_without(full_client, path, method):
    # The walk makes more anonymous requests than the throttle allows in a minute.
    cache.clear()
    response = full_client.generic(method, f"/{path}", "{}", content_type="application/json")
    assert response.status_code == 405, response.content
    assert method not in response["Allow"]
    response = APIClient().generic(method, f"/{path}", "{}", content_type="application/json")
    assert response.status_code == 401, response.content
