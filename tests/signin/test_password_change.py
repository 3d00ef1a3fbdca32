"""A local account changes its own password: the current one first, the new one checked by
every validator (12 characters, the commonest passwords of breach lists, zxcvbn), and the
session given a new key while every other session of the account ends."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from lxml import html

from tests.signin.test_local_accounts import PASSWORD, _password_sign_in, _set_up_app

pytestmark = pytest.mark.django_db

URL = reverse("signin:password-change")
NEW = "lantern orchard velvet"


def _errors(response) -> dict[str, str]:
    """The error summary's links: the field each points at, and its words (all of a field's
    messages together)."""
    page = html.fromstring(response.content)
    assert page.xpath("//h2[contains(@class, 'govuk-error-summary__title')]/text()")[0].strip() == (
        "There is a problem"
    )
    links = page.xpath("//div[contains(@class, 'govuk-error-summary')]//a")
    errors: dict[str, str] = {}
    for a in links:
        field = a.get("href").removeprefix("#id_")
        errors[field] = " ".join(filter(None, [errors.get(field), a.text_content().strip()]))
    return errors


def _change(client, old=PASSWORD, new=NEW, again=None):
    return client.post(
        URL, {"old_password": old, "new_password": new, "new_password_again": new if again is None else again}
    )


@pytest.mark.parametrize(
    ("new", "field", "words"),
    [
        ("short-pass", "new_password", "at least 12 characters"),
        # In Django's bundled list of the 20,000 commonest passwords (from breach corpora), so
        # refused offline whatever zxcvbn thinks of it.
        ("telechargement", "new_password", "not one of the commonest passwords"),
        ("123456789012", "new_password", "not only numbers"),
        ("aaaaaaaaaaaa", "new_password", "harder to guess"),
        ("helen-helen-helen", "new_password", "harder to guess"),
    ],
)
def test_a_weak_new_password_is_refused_by_name(client, make_user, new, field, words):
    user = make_user("IRO", username="helen", first_name="Helen")  # the factory's password is PASSWORD
    client.force_login(user)
    response = _change(client, new=new)
    assert response.status_code == 200
    errors = _errors(response)
    assert words in errors[field]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_current_password_must_be_right_and_the_new_one_given_twice(client, iro_user):
    iro_user.set_password(PASSWORD)
    iro_user.save()
    client.force_login(iro_user)
    assert _errors(_change(client, old="not-the-password"))["old_password"] == (
        "Enter your current password correctly"
    )
    assert _errors(_change(client, again="lantern orchard velvets"))["new_password_again"] == (
        "Enter the same new password twice"
    )
    assert _errors(_change(client, new=PASSWORD))["new_password"] == (
        "Choose a new password that is not your current one"
    )
    assert set(_errors(client.post(URL, {}))) == {"old_password", "new_password", "new_password_again"}
    iro_user.refresh_from_db()
    assert iro_user.check_password(PASSWORD)


def test_a_change_gives_this_session_a_new_key_and_ends_the_others(client, iro_user, settings):
    """GIVEN Helen signed in with her password and app in two browsers
    WHEN she changes her password in the first
    THEN the first keeps going under a new session key, second factor and all, the second is
    signed out at its next request, and the new password signs in."""
    settings.SECOND_FACTOR_REQUIRED = True
    iro_user.set_password(PASSWORD)
    iro_user.save()
    _password_sign_in(client, iro_user.username)
    _set_up_app(client)
    other = Client()
    other.force_login(iro_user)
    # Signed in, asked for the code: not sent to sign in.
    assert other.get(reverse("home")).url.startswith(reverse("signin:second-factor"))
    before = client.session.session_key
    response = _change(client)
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.session.session_key != before
    assert client.get(reverse("home")).status_code == 200  # still signed in, code still given
    assert other.get(reverse("home")).url.startswith(reverse("login"))  # signed out
    iro_user.refresh_from_db()
    assert iro_user.check_password(NEW)


def test_a_council_account_is_told_to_change_it_with_the_council(client, make_user):
    user = make_user("IRO", username="council-person")
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    page = client.get(URL).content.decode()
    assert "your password is not kept here" in page
    response = _change(client)
    assert response.status_code == 200
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_the_strength_meter_is_given_the_servers_words_and_pass_marks(client, make_user):
    """ASVS 2.1.8: the page that sets a new password carries the live meter's settings, the same
    words of the user's own and pass marks the server's check uses (the browser's agreement
    with the server's scores is tests/browser/test_password_strength_meter.py's); hidden until
    its script shows it, so that without JavaScript the page is as it was."""
    user = make_user("IRO", username="helen", first_name="Helen", last_name="Ashworth", email="h@example.org")
    client.force_login(user)
    page = html.fromstring(client.get(URL).content)
    settings = json.loads(page.get_element_by_id("password-strength-settings").text)
    assert settings == {
        "user_inputs": ["helen", "Helen", "Ashworth", "h@example.org"],
        "min_score": 3,
        "min_length": 12,
        "scored_length": 100,
    }
    meter = page.get_element_by_id("id_new_password-strength")
    assert meter.get("data-for") == "id_new_password"
    assert meter.get("aria-live") == "polite"
    assert meter.get("hidden") is not None
    assert meter.get("data-zxcvbn").endswith("/vendor/zxcvbn/zxcvbn.js")
    scripts = [script.get("src") for script in page.xpath("//script[@src]")]
    assert any(src.endswith("/signin/password-strength.js") for src in scripts)


def test_no_other_page_loads_the_strength_meter(client, iro_user):
    client.force_login(iro_user)
    for name in ("home", "signin:your-sign-in", "people:child-list"):
        content = client.get(reverse(name)).content.decode()
        assert "password-strength" not in content and "zxcvbn" not in content, name
    client.logout()
    assert "password-strength" not in client.get(reverse("login")).content.decode()


def test_without_a_strength_check_configured_there_is_no_meter(client, iro_user, settings):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    ]
    client.force_login(iro_user)
    response = client.get(URL)
    assert response.status_code == 200
    assert b"password-strength" not in response.content
