"""No form answers with Django's own words. Every page of ``test_every_page`` gets an empty POST
from a manager (who may post to every form): each error it shows must say what to enter for that
field, never "This field is required." or 'Constraint "..." is violated.'."""

from __future__ import annotations

import html

import pytest

from tests.core.test_every_page import PAGES, _url
from tests.factories.county import small_county

pytestmark = pytest.mark.django_db

# Django's messages, which name neither the field nor what to enter.
GENERIC = [
    "This field is required",
    "Ensure this value",
    "Enter a whole number",
    "Enter a number",
    "Enter a valid",
    "Select a valid choice",
    "is violated",
]


def test_no_form_answers_an_empty_post_in_djangos_words(client, manager_user, iro_user):
    county = small_county(chair_user=iro_user)
    client.force_login(manager_user)
    answered, found = 0, []
    for name in sorted(PAGES):
        if name == "logout":
            continue  # it would sign the manager out for the rest of the walk
        response = client.post(_url(name, county), {})
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        answered += 1
        page = html.unescape(response.content.decode())
        found += [f"{name}: {message}" for message in GENERIC if message in page]
    print(f"{answered} pages answered the empty POST with a page; {len(found)} used Django's words")
    assert answered > 20
    assert found == []
