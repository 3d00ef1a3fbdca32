"""A manager resets a member of staff's password (ASVS V2.3.1, V2.5.6): the service makes a
random one-time password, shows it to the manager once, and it works for
SIGN_IN_RESET_PASSWORD_HOURS; the account must change it at its next sign-in. Until the account
holder chooses their own, every page but the password change, sign-out and static files sends
them to change it; an API request carried by the session is refused in JSON. An account the
system administrator makes, or gives a password, in Django's admin is treated the same. Through
the real sign-in form, pages, admin and middleware; only the clock is mocked."""

import logging
import re
from datetime import timedelta
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from iro_service.signin.models import LocalPassword, SignInAction, SignInSecurityEvent
from iro_service.signin.passwords import ONE_TIME_ALPHABET, one_time_password
from iro_service.signin.services import password_reset
from tests.signin.test_local_accounts import PASSWORD, _password_sign_in, _set_up_app

pytestmark = pytest.mark.django_db

RESET = reverse("signin:password-reset")
CHANGE = reverse("signin:password-change")
SECURITY = reverse("signin:security")
# What the IRO chooses once she has signed in with the one-time password.
OWN = "meadow quartz bicycle"
# The system administrator's choice for a new account in the admin.
ADMIN_GIVEN = "copper harbour lantern"
# Four groups of four from the unambiguous alphabet, joined by hyphens.
ONE_TIME = re.compile(rf"[{ONE_TIME_ALPHABET}]{{4}}(-[{ONE_TIME_ALPHABET}]{{4}}){{3}}")
EXPIRED_MESSAGE = "Ask your IRO service manager for a new one"
WRONG_MESSAGE = "Enter a correct username and password"


def _shown(response) -> str:
    """The one-time password on the page that answers the reset."""
    match = re.search(r'id="one-time-password">([^<]+)<', response.content.decode())
    assert match, response.content.decode()[:2000]
    return match.group(1)


def _reset(client, manager, user) -> str:
    client.force_login(manager)
    response = client.post(RESET, {"user": user.pk})
    assert response.status_code == 200
    return _shown(response)


def _sign_in(client, username, password):
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302, response.content[:500]
    return response


def _change(client, old, new=OWN):
    return client.post(CHANGE, {"old_password": old, "new_password": new, "new_password_again": new})


def _due(user) -> bool:
    return LocalPassword.objects.filter(user=user, must_change_password=True).exists()


def _at(when):
    """The clock fixed at ``when`` (nothing else is mocked)."""
    return mock.patch("django.utils.timezone.now", return_value=when)


def test_one_time_passwords_are_random_readable_and_pass_the_validators(iro_user):
    """Each is 16 characters from the 31 that cannot be mistaken for one another, in four groups
    (31^16, about 2^79, possibilities), passes every validator a chosen password must pass, and
    no two of 200 are the same."""
    passwords = [one_time_password(user=iro_user) for _ in range(200)]
    assert len(set(passwords)) == 200
    for password in passwords:
        assert ONE_TIME.fullmatch(password), password
        validate_password(password, user=iro_user)
    assert not set("0o1il") & set(ONE_TIME_ALPHABET)
    assert len(ONE_TIME_ALPHABET) == 31


def test_a_manager_reset_shows_a_one_time_password_once_and_records_it(
    client, iro_user, manager_user, caplog
):
    """GIVEN an IRO who has forgotten her password
    WHEN a manager resets it on the sign-in security page
    THEN the answer to the POST (not a redirect, marked no-store) shows a one-time password the
    service made, which is now her password; she must change it, the time it was given is
    kept, and the reset is recorded with the manager's name; the password is in no address, log
    line, message, session, or record; opening the page again does not show it, and sending the
    form again makes another, the first no longer working."""
    now = timezone.now()
    client.force_login(manager_user)
    with caplog.at_level(logging.DEBUG), _at(now):
        response = client.post(RESET, {"user": iro_user.pk})
    assert response.status_code == 200
    given = _shown(response)
    assert ONE_TIME.fullmatch(given)
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "shown only now" in page and iro_user.username in page
    iro_user.refresh_from_db()
    assert iro_user.check_password(given)
    assert _due(iro_user) and not _due(manager_user)
    assert LocalPassword.objects.get(user=iro_user).password_issued_at == now
    event = SignInSecurityEvent.objects.get(action=SignInAction.PASSWORD_RESET)
    assert (event.subject, event.done_by) == (iro_user.username, manager_user)

    # Nowhere else: the log, the messages, the session (kept in the database), the event.
    assert "Password of iro-persona reset by manager-persona" in caplog.text
    assert given not in caplog.text
    assert [str(m) for m in get_messages(response.wsgi_request)] == []
    assert given not in str(dict(client.session.items()))
    assert given not in str(response.cookies)
    assert given not in event.subject

    # Not again: the security page, and the reset address opened (not sent).
    again = client.get(SECURITY)
    assert given not in again.content.decode()
    assert "Password reset" in again.content.decode()  # the event, in the table of what managers did
    reload = client.get(RESET)
    assert reload.status_code == 405 and given not in reload.content.decode()
    second = _shown(client.post(RESET, {"user": iro_user.pk}))
    assert second != given
    iro_user.refresh_from_db()
    assert iro_user.check_password(second) and not iro_user.check_password(given)


@pytest.mark.parametrize(
    "role", ["anonymous", "iro_user", "support_user", "senior_user", "no_role_user", "manager_user"]
)
def test_who_may_open_and_send_the_reset(request, client, iro_user, role):
    """GET and POST by every role: only an IRO manager may reset a password, and only by POST;
    anyone else is refused before the method is looked at (anonymous visitors are sent to sign
    in), and the IRO's password is unchanged."""
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    get = client.get(RESET)
    post = client.post(RESET, {"user": iro_user.pk})
    iro_user.refresh_from_db()
    if role == "anonymous":
        assert get.status_code == post.status_code == 302
        assert get.url.startswith(reverse("login")) and post.url.startswith(reverse("login"))
    elif role == "manager_user":
        assert (get.status_code, post.status_code) == (405, 200)
        assert iro_user.check_password(_shown(post))
        return
    else:
        assert get.status_code == post.status_code == 403
    assert iro_user.check_password(PASSWORD)
    assert not LocalPassword.objects.exists()


def test_the_account_is_sent_to_change_it_from_every_page_until_it_does(client, iro_user, manager_user):
    """GIVEN an IRO whose password a manager reset
    WHEN she signs in with the one-time password
    THEN the home page, the children list and the sign-in security page all send her to change
    it, the change page says why, an API request with her session is refused with a 403 naming
    the password, and static files still load; once she has changed it pages open normally,
    the flag and the time it was given are gone, and so at her next sign-in too."""
    given = _reset(Client(), manager_user, iro_user)
    _sign_in(client, iro_user.username, given)

    for page in (reverse("home"), reverse("people:child-list"), reverse("signin:again")):
        response = client.get(page)
        assert (response.status_code, response.url) == (302, CHANGE), page
    assert client.post(reverse("people:child-list"), {}).url == CHANGE
    change_page = client.get(CHANGE)
    assert change_page.status_code == 200
    assert "Your password was set by a manager" in change_page.content.decode()
    api = client.get("/api/v1/children/")
    assert api.status_code == 403
    assert "password must be changed" in api.json()["detail"]
    assert client.get(f"{settings.STATIC_URL}no-such-file.css").status_code == 404  # not a redirect

    response = _change(client, old=given)
    assert (response.status_code, response.url) == (302, reverse("home"))
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("people:child-list")).status_code == 200
    assert "Your password was set by a manager" not in client.get(CHANGE).content.decode()
    assert not _due(iro_user)
    assert LocalPassword.objects.get(user=iro_user).password_issued_at is None

    client.post(reverse("logout"))
    _sign_in(client, iro_user.username, OWN)
    assert client.get(reverse("home")).status_code == 200


def test_the_one_time_password_expires_after_the_set_hours(iro_user, manager_user):
    """GIVEN a one-time password given at 09:00 on a Monday, and the default 72 hours
    WHEN the IRO signs in with it a minute before 09:00 on Thursday (72 hours less a minute)
    THEN it works (and sends her to change it); at 09:00 on Thursday (72 hours) the right
    password is refused with a message saying to ask a manager for a new one, while a wrong
    password, or a username that is no account, reads as any wrong sign-in does, and only the
    wrong one is counted towards the lockout; a new reset works again."""
    assert settings.SIGN_IN_RESET_PASSWORD_HOURS == 72
    monday = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
    with _at(monday):
        given = _reset(Client(), manager_user, iro_user)

    with _at(monday + timedelta(hours=72) - timedelta(minutes=1)):
        early = Client()
        _sign_in(early, iro_user.username, given)
        assert early.get(reverse("home")).url == CHANGE

    with _at(monday + timedelta(hours=72)):
        right = Client().post(reverse("login"), {"username": iro_user.username, "password": given})
        wrong = Client().post(reverse("login"), {"username": iro_user.username, "password": "not-" + given})
        nobody = Client().post(reverse("login"), {"username": "no-such-person", "password": given})
    assert right.status_code == 200
    page = right.content.decode()
    assert EXPIRED_MESSAGE in page and "it worked for 72 hours" in page
    assert "_auth_user_id" not in right.wsgi_request.session  # not signed in
    for refused in (wrong, nobody):
        assert refused.status_code == 200
        assert WRONG_MESSAGE in refused.content.decode() and EXPIRED_MESSAGE not in refused.content.decode()
    failures = {a.username: a.failures_since_start for a in AccessAttempt.objects.all()}
    assert failures == {iro_user.username: 1, "no-such-person": 1}
    assert _due(iro_user)  # still to change, once a manager gives a new one

    with _at(monday + timedelta(hours=73)):
        fresh = _reset(Client(), manager_user, iro_user)
        client = Client()
        _sign_in(client, iro_user.username, fresh)
        assert client.get(reverse("home")).url == CHANGE


def test_an_expiry_while_signed_in_does_not_stop_the_change(iro_user, manager_user):
    """GIVEN an IRO who signed in with her one-time password a minute before it expired
    WHEN she changes it two minutes later, in the same session
    THEN the current password she gives (the one-time one) is accepted: she is choosing her
    own, which is what the expiry is for."""
    monday = timezone.now()
    with _at(monday):
        given = _reset(Client(), manager_user, iro_user)
    client = Client()
    with _at(monday + timedelta(hours=72) - timedelta(minutes=1)):
        _sign_in(client, iro_user.username, given)
    with _at(monday + timedelta(hours=72) + timedelta(minutes=1)):
        response = _change(client, old=given)
    assert (response.status_code, response.url) == (302, reverse("home"))
    assert not _due(iro_user)


def test_the_hours_are_a_setting(iro_user, manager_user, settings):
    settings.SIGN_IN_RESET_PASSWORD_HOURS = 1
    now = timezone.now()
    with _at(now):
        given = _reset(Client(), manager_user, iro_user)
    with _at(now + timedelta(hours=1)):
        refused = Client().post(reverse("login"), {"username": iro_user.username, "password": given})
    assert "it worked for 1 hour." in refused.content.decode()


def test_sign_out_still_works_before_the_change(client, iro_user, manager_user):
    given = _reset(Client(), manager_user, iro_user)
    _sign_in(client, iro_user.username, given)
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response.url != CHANGE
    assert client.get(reverse("home")).url.startswith(reverse("login"))  # signed out
    assert _due(iro_user)  # still due at her next sign-in


def test_another_member_of_staff_is_unaffected(client, iro_user, manager_user, make_user):
    other = make_user("IRO", username="other-iro")  # the factory's password is PASSWORD
    _reset(Client(), manager_user, iro_user)
    _sign_in(client, other.username, PASSWORD)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("people:child-list")).status_code == 200
    assert "Your password was set by a manager" not in client.get(CHANGE).content.decode()


def test_with_the_second_factor_the_code_comes_first_then_the_password(
    client, iro_user, manager_user, settings
):
    """GIVEN a production setting (a code from the app after the password)
    WHEN the IRO signs in with the one-time password the manager gave her
    THEN she gives her code first (a recovery code here: the app's code of this half-minute
    was used to set it up), and only then is sent to change the password."""
    settings.SECOND_FACTOR_REQUIRED = True
    iro_user.set_password(PASSWORD)
    iro_user.save()
    _password_sign_in(client, iro_user.username)
    _, recovery = _set_up_app(client)
    client.post(reverse("logout"))
    manager = Client()
    manager.force_login(manager_user)
    _set_up_app(manager)
    given = _shown(manager.post(RESET, {"user": iro_user.pk}))

    _sign_in(client, iro_user.username, given)
    # Not yet the code: even the password change page waits for it.
    assert client.get(CHANGE).url.startswith(reverse("signin:second-factor"))
    assert client.get(reverse("home")).url.startswith(reverse("signin:second-factor"))
    code = client.post(reverse("signin:second-factor"), {"code": recovery[0]})
    assert code.status_code == 302 and code.url == reverse("home"), code.url
    assert client.get(reverse("home")).url == CHANGE
    assert client.get(CHANGE).status_code == 200
    assert _change(client, old=given).url == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_no_choice_or_a_council_account_is_refused(client, iro_user, manager_user, make_user):
    council = make_user("IRO", username="council-person")
    council.set_unusable_password()
    council.save()
    client.force_login(manager_user)
    for data in ({}, {"user": council.pk}, {"user": "not-a-number"}):
        response = client.post(RESET, data)
        assert response.status_code == 200
        assert "Select the member of staff" in response.content.decode()
        assert 'id="one-time-password"' not in response.content.decode()
    iro_user.refresh_from_db()
    council.refresh_from_db()
    assert iro_user.check_password(PASSWORD) and not council.has_usable_password()
    assert not LocalPassword.objects.exists()


def test_an_api_token_is_not_stopped_by_a_reset(api_user, manager_user, token_client):
    """A token is issued, revoked and expires on its own, not with the password: a reset of the
    account's password (to be changed at its next sign-in) leaves its BI tool working."""
    client = token_client("read")
    password_reset(user=api_user, done_by=manager_user)
    assert _due(api_user)
    assert client.get("/api/v1/children/").status_code == 200


# --- accounts made, or given a password, in Django's admin ------------------------------------


@pytest.fixture
def admin_client(make_user):
    """The system administrator in Django's admin, which also needs the code from an app."""
    administrator = make_user(None, username="system-admin", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(administrator)
    _set_up_app(client)
    client.administrator = administrator
    return client


def test_an_account_made_in_the_admin_must_change_its_password_at_first_sign_in(admin_client):
    """GIVEN the system administrator
    WHEN she makes an account with a password in the admin
    THEN it must be changed at its first sign-in (every page sends it to the change), it
    expires as a manager's one-time password does, and it is recorded."""
    now = timezone.now()
    with _at(now):
        response = admin_client.post(
            reverse("admin:auth_user_add"),
            {
                "username": "new-iro",
                "usable_password": "true",
                "password1": ADMIN_GIVEN,
                "password2": ADMIN_GIVEN,
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    local = LocalPassword.objects.get(user__username="new-iro")
    assert local.must_change_password and local.password_issued_at == now
    event = SignInSecurityEvent.objects.get(action=SignInAction.PASSWORD_SET_IN_ADMIN)
    assert (event.subject, event.done_by) == ("new-iro", admin_client.administrator)

    client = Client()
    _sign_in(client, "new-iro", ADMIN_GIVEN)
    assert client.get(reverse("home")).url == CHANGE
    assert _change(client, old=ADMIN_GIVEN).url == reverse("home")
    assert not LocalPassword.objects.get(user__username="new-iro").must_change_password

    with _at(now + timedelta(hours=72)):
        assert Client().post(reverse("login"), {"username": "new-iro", "password": OWN}).status_code == 302


def test_an_account_made_in_the_admin_without_a_password_is_not_marked(admin_client):
    response = admin_client.post(
        reverse("admin:auth_user_add"), {"username": "council-iro", "usable_password": "false"}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not LocalPassword.objects.exists()
    assert not SignInSecurityEvent.objects.exists()


def test_a_password_given_in_the_admin_must_be_changed_and_ones_own_need_not(admin_client, iro_user):
    """GIVEN an IRO with her own password, and the system administrator
    WHEN the administrator gives the IRO a new password in the admin
    THEN the IRO must change it at her next sign-in; WHEN the administrator sets her own
    password there, nothing is due for her (an earlier mark is cleared); WHEN she turns off the
    IRO's password, nothing is due for the IRO either (there is no password to change)."""
    page = reverse("admin:auth_user_password_change", args=[iro_user.pk])
    data = {"usable_password": "true", "password1": ADMIN_GIVEN, "password2": ADMIN_GIVEN}
    assert admin_client.post(page, data).status_code == 302
    assert _due(iro_user)
    client = Client()
    _sign_in(client, iro_user.username, ADMIN_GIVEN)
    assert client.get(reverse("home")).url == CHANGE

    # A mistyped second password is a form error, and marks nothing.
    refused = admin_client.post(
        reverse("admin:auth_user_password_change", args=[admin_client.administrator.pk]),
        {"usable_password": "true", "password1": OWN, "password2": OWN + "x"},
    )
    assert refused.status_code == 200
    # Her own password, chosen here, clears any earlier mark (as if a manager had reset it).
    LocalPassword.objects.create(
        user=admin_client.administrator, must_change_password=True, password_issued_at=timezone.now()
    )
    own = reverse("admin:auth_user_password_change", args=[admin_client.administrator.pk])
    assert (
        admin_client.post(own, {"usable_password": "true", "password1": OWN, "password2": OWN}).status_code
        == 302
    )
    assert not _due(admin_client.administrator)

    # Turning her password off needs the form's "unset-password" button; without it Django
    # answers "Conflicting form data" (also a redirect) and changes nothing.
    assert admin_client.post(page, {"usable_password": "false"}).status_code == 302
    assert _due(iro_user)
    assert admin_client.post(page, {"usable_password": "false", "unset-password": ""}).status_code == 302
    iro_user.refresh_from_db()
    assert not iro_user.has_usable_password()
    assert not _due(iro_user)
    assert LocalPassword.objects.get(user=iro_user).password_issued_at is None
