"""The review page's parts are a formset: a POST without its hidden counts (the management
form), or with nonsense in them, is a form error naming what is missing, never a 500."""

import re

import pytest
from django.urls import reverse

from reviews.models import LacReview
from tests.factories.county import small_county

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(iro_user):
    return small_county(chair_user=iro_user)


def _summary(response) -> str:
    match = re.search(r'class="govuk-error-summary".*?</ul>', response.content.decode(), re.S)
    return match.group(0) if match else ""


def _pages(county):
    return {
        "record": (reverse("reviews:review-record", args=[county.child.pk]), {}),
        "edit": (
            reverse("reviews:review-edit", args=[county.review.pk]),
            {"updated_at": county.review.updated_at.isoformat()},
        ),
    }


@pytest.mark.parametrize("which", ["record", "edit"])
@pytest.mark.parametrize("button", ["save", "add_part"])
def test_a_post_without_the_parts_counts_names_them_in_the_error_summary(
    client, iro_user, county, which, button
):
    """It was an IndexError: with no management form Django builds no part forms at all, and
    the page looked for the first one to hang the error on."""
    client.force_login(iro_user)
    url, version = _pages(county)[which]
    response = client.post(
        url, {**version, "chair": county.chair.pk, "part-0-date": "01/04/2016", button: "1"}
    )
    assert response.status_code == 200
    summary = _summary(response)
    assert "The parts of the review were not sent in full" in summary
    assert "part-TOTAL_FORMS" in summary and "part-INITIAL_FORMS" in summary
    assert 'href="#id_part-0-date"' in summary
    # The page still offers part 1, so the user can carry on.
    assert 'id="id_part-0-date"' in response.content.decode()
    assert LacReview.objects.count() == 1


@pytest.mark.parametrize("which", ["record", "edit"])
def test_a_post_with_no_parts_asks_for_part_1(client, iro_user, county, which):
    client.force_login(iro_user)
    url, version = _pages(county)[which]
    response = client.post(
        url, {**version, "chair": county.chair.pk, "part-TOTAL_FORMS": "0", "part-INITIAL_FORMS": "0"}
    )
    assert response.status_code == 200
    assert "Enter the date of part 1 of the review" in _summary(response)
    assert LacReview.objects.count() == 1


@pytest.mark.parametrize(
    ("total", "message"),
    [
        ("many", "The parts of the review were not sent in full (missing: part-TOTAL_FORMS)"),
        ("", "The parts of the review were not sent in full (missing: part-TOTAL_FORMS)"),
        ("-1", "Enter the date of part 1 of the review"),
    ],
)
def test_adding_a_part_with_a_garbled_count_is_an_error_not_a_500(client, iro_user, county, total, message):
    client.force_login(iro_user)
    url, _ = _pages(county)["record"]
    response = client.post(
        url, {"chair": county.chair.pk, "part-TOTAL_FORMS": total, "part-INITIAL_FORMS": "0", "add_part": "1"}
    )
    assert response.status_code == 200
    assert message in _summary(response)
