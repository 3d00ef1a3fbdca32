"""Lockout by username and by address, a manager lifting one, the 12-hour session limit, and
signing in again before an export of children's records. Through the real sign-in form (django-
axes counts failures there) and the real export pages; only the clock is moved, by rewriting
the times the session holds."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from iro_service.signin.models import SignInAction, SignInSecurityEvent
from iro_service.signin.session import AUTHENTICATED_AT, SIGNED_IN_AT

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


def attempt(client, username, password, address="10.1.1.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_one_password_sprayed_across_many_usernames_pauses_the_address(client, iro_user, settings):
    """GIVEN an address limit of 30 (5 per username)
    WHEN one address tries one password on 30 different usernames, 1 failure each
    THEN no username has reached 5, but the address is paused: even the IRO's right password
    from that address is refused, while from another address she signs in."""
    assert settings.AXES_ADDRESS_FAILURE_LIMIT == 30
    for number in range(30):
        attempt(client, f"guess-{number}", "Summer2017!!", address="203.0.113.9")
    refused = attempt(client, iro_user.username, PASSWORD, address="203.0.113.9")
    assert refused.status_code == 429
    assert b"Sign-in paused" in refused.content
    assert attempt(client, iro_user.username, PASSWORD, address="198.51.100.4").status_code == 302


def test_an_office_of_typos_does_not_lock_the_address(client, iro_user):
    """29 failures from one office address over several usernames: nobody is paused."""
    for number in range(29):
        attempt(client, f"colleague-{number % 7}", "typo-password", address="192.0.2.10")
    assert attempt(client, iro_user.username, PASSWORD, address="192.0.2.10").status_code == 302


def test_a_username_is_paused_from_every_address(client, iro_user):
    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, iro_user.username, "wrong-password-again", address=f"10.0.0.{number}")
    assert attempt(client, iro_user.username, PASSWORD, address="10.9.9.9").status_code == 429


def test_an_address_lockout_reads_the_same_for_a_real_and_an_unknown_username(client, iro_user):
    for number in range(30):
        attempt(client, f"guess-{number}", "Summer2017!!", address="203.0.113.7")
    real = attempt(client, iro_user.username, PASSWORD, address="203.0.113.7")
    fake = attempt(client, "no-such-account", PASSWORD, address="203.0.113.7")
    assert real.status_code == fake.status_code == 429
    assert real.content.replace(iro_user.username.encode(), b"") == fake.content.replace(
        b"no-such-account", b""
    )


def test_a_manager_lifts_a_username_lockout_and_it_is_recorded(client, iro_user, manager_user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, iro_user.username, "wrong-password-again")
    assert attempt(client, iro_user.username, PASSWORD).status_code == 429

    manager = client.__class__()
    manager.force_login(manager_user)
    page = manager.get(reverse("signin:security")).content.decode()
    assert "Usernames locked now" in page and iro_user.username in page
    assert manager.post(reverse("signin:lockout-lift"), {"username": iro_user.username}).status_code == 302
    assert not AccessAttempt.objects.filter(username=iro_user.username).exists()
    event = SignInSecurityEvent.objects.get(action=SignInAction.LOCKOUT_LIFTED)
    assert (event.subject, event.done_by) == (iro_user.username, manager_user)
    assert "No username is locked" in manager.get(reverse("signin:security")).content.decode()

    assert attempt(client, iro_user.username, PASSWORD).status_code == 302


def test_a_manager_lifts_an_address_lockout(client, iro_user, manager_user):
    for number in range(30):
        attempt(client, f"guess-{number}", "Summer2017!!", address="203.0.113.5")
    manager = client.__class__()
    manager.force_login(manager_user)
    assert "203.0.113.5" in manager.get(reverse("signin:security")).content.decode()
    manager.post(reverse("signin:lockout-lift"), {"address": "203.0.113.5"})
    assert attempt(client, iro_user.username, PASSWORD, address="203.0.113.5").status_code == 302


def test_lifting_needs_one_username_or_one_address(client, manager_user):
    client.force_login(manager_user)
    response = client.post(reverse("signin:lockout-lift"), {}, follow=True)
    assert "Choose one lockout to lift" in response.content.decode()
    assert not SignInSecurityEvent.objects.exists()


def _age_session(client, **ages):
    session = client.session
    for key, age in ages.items():
        session[key] = (timezone.now() - age).isoformat()
    session.save()


def test_a_busy_session_still_ends_twelve_hours_after_sign_in(client, iro_user):
    client.force_login(iro_user)
    _age_session(client, **{SIGNED_IN_AT: timedelta(hours=11, minutes=59)})
    assert client.get(reverse("home")).status_code == 200
    _age_session(client, **{SIGNED_IN_AT: timedelta(hours=12, minutes=1)})
    response = client.get(reverse("people:child-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    assert "signed out 12 hours after you signed in" in client.get(response["Location"]).content.decode()


def test_sessions_end_after_thirty_idle_minutes_and_twelve_hours_in_all():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_ABSOLUTE_HOURS == 12


@pytest.fixture
def returns_manager(client, manager_user):
    client.force_login(manager_user)
    return client


def test_an_export_of_childrens_records_asks_for_the_password_again_after_fifteen_minutes(returns_manager):
    """GIVEN a manager who signed in 16 minutes ago
    WHEN she asks for the SSDA903 export
    THEN she is asked to sign in again and comes back to the returns page; with the password
    given, the export downloads."""
    _age_session(returns_manager, **{AUTHENTICATED_AT: timedelta(minutes=16)})
    export = {"data_format": "ssda903", "year": "2017"}
    response = returns_manager.post(reverse("reports:returns-export"), export)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('signin:again')}?next=%2Freports%2Freturns%2F"
    page = returns_manager.get(response["Location"]).content.decode()
    assert "Sign in again to continue" in page

    wrong = returns_manager.post(response["Location"], {"password": "not-my-password"})
    assert "Enter your password correctly" in wrong.content.decode()
    right = returns_manager.post(response["Location"], {"password": PASSWORD})
    assert right["Location"] == reverse("reports:returns")
    download = returns_manager.post(reverse("reports:returns-export"), export)
    assert download.status_code in (200, 302)
    assert download.get("Location", "") != f"{reverse('signin:again')}?next=%2Freports%2Freturns%2F"


def test_a_recent_sign_in_exports_at_once(returns_manager):
    _age_session(returns_manager, **{AUTHENTICATED_AT: timedelta(minutes=14)})
    response = returns_manager.get(reverse("qa_alerts:board-csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")


def test_a_csv_download_comes_back_to_itself_after_signing_in_again(returns_manager):
    _age_session(returns_manager, **{AUTHENTICATED_AT: timedelta(minutes=16)})
    response = returns_manager.get(reverse("qa_alerts:board-csv") + "?status=open")
    assert response[
        "Location"
    ] == f"{reverse('signin:again')}?next=%2Fqa-alerts%2Fboard%2Fdownload.csv%3Fstatus%3Dopen" or response[
        "Location"
    ].startswith(reverse("signin:again"))
    back = returns_manager.post(response["Location"], {"password": PASSWORD})["Location"]
    assert back == reverse("qa_alerts:board-csv") + "?status=open"
    assert returns_manager.get(back)["Content-Type"].startswith("text/csv")


def test_the_second_factor_is_asked_for_again_too_where_it_is_required(
    returns_manager, manager_user, settings
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.SECOND_FACTOR_REQUIRED = True
    TOTPDevice.objects.create(user=manager_user, name="Authenticator app", confirmed=True)
    session = returns_manager.session
    # This session has given its second factor already (as django_otp.login records it).
    device = TOTPDevice.objects.get(user=manager_user)
    session["otp_device_id"] = device.persistent_id
    session.save()
    _age_session(returns_manager, **{AUTHENTICATED_AT: timedelta(minutes=16)})
    page = returns_manager.get(reverse("signin:again")).content.decode()
    assert 'name="code"' in page
    response = returns_manager.post(reverse("signin:again"), {"password": PASSWORD, "code": "000000"})
    assert response.status_code == 200
    assert (
        "Enter the code your app shows now" in response.content.decode()
        or "Enter the code" in response.content.decode()
    )


def test_the_figure_records_endpoint_asks_a_browser_session_to_sign_in_again(returns_manager):
    """The drill-down behind a figure returns children's records: a session that signed in 16
    minutes ago is refused with 403 saying where to sign in again, and is answered after it has."""

    url = "/api/v1/figures/cic_at_end/records/?start=2016-04-01&end=2017-03-31"
    _age_session(returns_manager, **{AUTHENTICATED_AT: timedelta(minutes=16)})
    refused = returns_manager.get(url)
    assert refused.status_code == 403
    assert "Sign in again at /sign-in/again/" in refused.json()["detail"]
    returns_manager.post(reverse("signin:again"), {"password": PASSWORD})
    assert returns_manager.get(url).status_code == 200


def test_an_api_token_is_not_asked_to_sign_in_again(token_client):
    url = "/api/v1/figures/cic_at_end/records/?start=2016-04-01&end=2017-03-31"
    assert token_client("figures", "read").get(url).status_code == 200


def _lockouts_and_events(count, manager_user):
    for number in range(count):
        AccessAttempt.objects.create(
            username=f"locked-{count}-{number}",
            ip_address=f"192.0.2.{number + 1}",
            user_agent="test",
            failures_since_start=settings.AXES_FAILURE_LIMIT,
            attempt_time=timezone.now(),
            get_data="",
            post_data="",
            http_accept="",
            path_info="/sign-in/",
        )
        SignInSecurityEvent.objects.create(
            action=SignInAction.LOCKOUT_LIFTED, subject=f"earlier-{number}", done_by=manager_user
        )


def test_the_security_page_makes_the_same_queries_for_two_lockouts_as_for_twenty(client, manager_user):
    """Queries: the session, the user, their permissions, the locked usernames, the locked
    addresses, the staff with an app (for the reset's list), the recorded actions with who did
    them (one join), and the navigation's checks: the same count whatever the rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(manager_user)
    counts = []
    for size in (2, 20):
        AccessAttempt.objects.all().delete()
        SignInSecurityEvent.objects.all().delete()
        _lockouts_and_events(size, manager_user)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("signin:security")).content.decode()
        assert page.count("Lift<span") == size
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
