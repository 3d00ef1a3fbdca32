"""Every password field is GOV.UK's password input (ASVS 2.1.12): the field, and beside it a
"Show" button that GOV.UK Frontend's script reveals and uses to show what was typed. Without
JavaScript the button stays hidden and the field is an ordinary password field. The browser
test (tests/browser/test_show_password.py) presses the button."""

import pytest
from django.urls import reverse
from lxml import html

pytestmark = pytest.mark.django_db


def _password_inputs(response) -> list:
    page = html.fromstring(response.content)
    return page.xpath("//input[@type='password']")


def _assert_drawn_as_govuk_password_input(response) -> int:
    inputs = _password_inputs(response)
    assert inputs, "the page has no password field"
    for field in inputs:
        classes = field.get("class").split()
        assert {"govuk-input", "govuk-password-input__input", "govuk-js-password-input-input"} <= set(classes)
        assert field.get("spellcheck") == "false" and field.get("autocapitalize") == "none"
        wrapper = field.getparent()
        assert "govuk-password-input__wrapper" in wrapper.get("class").split()
        group = wrapper.getparent()
        assert "govuk-password-input" in group.get("class").split()
        assert group.get("data-module") == "govuk-password-input"
        (button,) = wrapper.xpath("./button")
        assert button.get("type") == "button", "a submit button would send the form"
        assert button.get("aria-controls") == field.get("id")
        assert button.get("hidden") is not None, "shown only once the script can work it"
        assert button.text_content().strip() == "Show"
    return len(inputs)


def test_the_sign_in_page_has_the_show_password_button(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert _assert_drawn_as_govuk_password_input(response) == 1


def test_signing_in_again_and_changing_a_password_have_it_on_every_field(client, make_user):
    client.force_login(make_user("IRO", username="helen"))
    again = client.get(reverse("signin:again"))
    assert again.status_code == 200
    assert _assert_drawn_as_govuk_password_input(again) == 1
    change = client.get(reverse("signin:password-change"))
    assert change.status_code == 200
    # The current password, the new one and the new one again.
    assert _assert_drawn_as_govuk_password_input(change) == 3


def test_in_its_error_state_the_field_keeps_the_button_and_takes_the_error_class(client, make_user):
    client.force_login(make_user("IRO", username="helen"))
    response = client.post(reverse("signin:password-change"), {})
    assert response.status_code == 200
    _assert_drawn_as_govuk_password_input(response)
    errors = [f for f in _password_inputs(response) if "govuk-input--error" in f.get("class").split()]
    assert len(errors) == 3
