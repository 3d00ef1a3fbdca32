"""Signing in and out through the real form, with django-axes counting failures."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

SIGN_IN = "/sign-in/"


def attempt(client, username, password):
    return client.post(SIGN_IN, {"username": username, "password": password})


def test_sign_in_page_is_public_and_has_the_form(client):
    page = client.get(SIGN_IN)
    assert page.status_code == 200
    assert b'autocomplete="current-password"' in page.content


def test_correct_password_signs_in_and_goes_home(client, iro_user):
    response = attempt(client, iro_user.username, "a-long-test-password")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_wrong_password_shows_the_error_summary_without_saying_which_was_wrong(client, iro_user):
    response = attempt(client, iro_user.username, "not-the-password")
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "There is a problem" in page
    assert "Enter a correct username and password" in page
    # A username that does not exist reads exactly the same.
    unknown = attempt(client, "nobody-by-this-name", "not-the-password").content.decode()
    assert "Enter a correct username and password" in unknown


def test_empty_fields_are_named_in_the_error_summary(client):
    page = client.post(SIGN_IN, {"username": "", "password": ""}).content.decode()
    assert '<a href="#id_username">Enter your username</a>' in page
    assert '<a href="#id_password">Enter your password</a>' in page


def test_after_too_many_failures_the_user_is_told_to_wait(client, iro_user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, iro_user.username, "wrong-password-again")
    # Even the right password is refused while locked out.
    locked = attempt(client, iro_user.username, "a-long-test-password")
    assert locked.status_code == 429
    assert b"Sign-in paused" in locked.content
    assert b"Wait" in locked.content


def test_lockout_does_not_reveal_whether_the_account_exists(client, iro_user):
    for username in (iro_user.username, "no-such-account"):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            attempt(client, username, "wrong-password-again")
    real = attempt(client, iro_user.username, "whatever-password")
    fake = attempt(client, "no-such-account", "whatever-password")
    assert real.status_code == fake.status_code == 429
    strip = lambda r: r.content.decode().replace(iro_user.username, "").replace("no-such-account", "")  # noqa: E731
    assert strip(real) == strip(fake)


def test_api_client_accounts_cannot_sign_in_to_the_web_pages(client, api_user):
    page = attempt(client, api_user.username, "a-long-test-password").content.decode()
    assert "This account is for the REST API" in page
    assert "_auth_user_id" not in client.session


def test_sign_out_ends_the_session(client, iro_user):
    client.force_login(iro_user)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_sessions_end_after_thirty_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_pages_about_children_are_not_cached(client, iro_user):
    client.force_login(iro_user)
    response = client.get(reverse("people:child-list"))
    assert "no-store" in response["Cache-Control"]


def test_passwords_need_twelve_characters():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Sh0rt-pass!")
    validate_password("a-much-longer-passphrase")
