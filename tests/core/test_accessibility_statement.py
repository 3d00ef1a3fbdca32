"""The accessibility statement: open to anyone, linked from the footer of every page."""

import pytest
from django.urls import reverse
from lxml import html

pytestmark = pytest.mark.django_db


def test_the_statement_is_public_and_names_the_standard_and_the_contact(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "access@council.example"
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    text = " ".join(html.fromstring(response.content).text_content().split())
    assert "Accessibility statement for IRO case oversight" in text
    assert "Web Content Accessibility Guidelines version 2.2 AA" in text
    assert "access@council.example" in text
    assert "Equality and Human Rights Commission" in text


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_page_links_to_it_from_the_footer(client, iro_user, signed_in):
    if signed_in:
        client.force_login(iro_user)
    url = reverse("home") if signed_in else reverse("login")
    page = html.fromstring(client.get(url).content)
    assert page.xpath("//footer//a[@href='/accessibility/']/text()") == ["Accessibility statement"]
