"""The holder of an account is told by email when its sign-in changes (ASVS V2.2.3, V2.5.5): a
password changed by its holder or reset by a manager, an authenticator app set up or removed.
The email says what changed and whom to tell, and never holds the password or a link. Through
the real pages; only the email delivery is Django's test outbox."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.signin.test_local_accounts import PASSWORD, _password_sign_in, _set_up_app
from tests.signin.test_password_reset import OWN, _change, _reset

pytestmark = pytest.mark.django_db

SUBJECT = "Your IRO service sign-in was changed"


@pytest.fixture
def holder(iro_user):
    iro_user.email = "iro-persona@example.invalid"
    iro_user.save(update_fields=["email"])
    return iro_user


def _told(to: str) -> list[str]:
    return [message.body for message in mail.outbox if message.to == [to] and message.subject == SUBJECT]


def test_a_reset_by_a_manager_is_told_without_the_password(
    client, holder, manager_user, django_capture_on_commit_callbacks
):
    manager_user.first_name, manager_user.last_name = "Karen", "Lloyd"
    manager_user.save(update_fields=["first_name", "last_name"])
    with django_capture_on_commit_callbacks(execute=True):
        one_time = _reset(client, manager_user, holder)
    [body] = _told(holder.email)
    assert body.startswith("Your password was reset by Karen Lloyd on ")
    assert "tell your IRO service manager at once" in body
    assert one_time not in body and "http" not in body


def test_the_holder_changing_their_own_password_is_told(client, holder, django_capture_on_commit_callbacks):
    client.force_login(holder)
    with django_capture_on_commit_callbacks(execute=True):
        response = _change(client, PASSWORD, OWN)
    assert response.status_code == 302
    [body] = _told(holder.email)
    assert body.startswith("The password of your account was changed on ")
    assert OWN not in body


def test_an_app_set_up_and_one_removed_by_a_manager_are_told(
    client, holder, manager_user, settings, django_capture_on_commit_callbacks
):
    settings.SECOND_FACTOR_REQUIRED = True
    with django_capture_on_commit_callbacks(execute=True):
        _password_sign_in(client, holder.username)
        _set_up_app(client)
    assert [body.split(" on ")[0] for body in _told(holder.email)] == [
        "An authenticator app was set up for your account"
    ]
    client.post(reverse("logout"))
    client.force_login(manager_user)
    _set_up_app(client)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("signin:security"), {"user": holder.pk}).status_code == 302
    assert _told(holder.email)[-1].startswith(
        f"Your authenticator app was removed by {manager_user.get_full_name()} on "
    )


def test_an_account_with_no_email_address_is_sent_nothing(
    client, iro_user, manager_user, django_capture_on_commit_callbacks
):
    assert not iro_user.email
    with django_capture_on_commit_callbacks(execute=True):
        _reset(client, manager_user, iro_user)
    assert mail.outbox == []
