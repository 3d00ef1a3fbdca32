"""Controls of docs/security.md's ASVS mapping that no other test pins: the session key is new at
every sign-in, the cookies and headers production sends, how passwords are stored, and that a
long passphrase is allowed."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.hashers import get_hasher
from django.contrib.auth.password_validation import validate_password
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent


def test_signing_in_gives_a_new_session_key(client, iro_user):
    """ASVS 3.2.1: a session fixed before sign-in is not the one signed in."""
    client.get(reverse("login"))
    client.cookies["sessionid"] = "attacker-chosen-session-key-000000"
    client.post(reverse("login"), {"username": iro_user.username, "password": "a-long-test-password"})
    assert client.session.session_key != "attacker-chosen-session-key-000000"
    assert client.session["_auth_user_id"] == str(iro_user.pk)


def test_pages_send_the_security_headers(client, iro_user):
    """ASVS 14.4.3 to 14.4.7."""
    client.force_login(iro_user)
    response = client.get(reverse("home"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["Content-Type"] == "text/html; charset=utf-8"


def test_a_64_character_passphrase_is_allowed_and_kept_whole(iro_user):
    """ASVS 2.1.2 and 2.1.3: long passwords are accepted and not cut short."""
    passphrase = "violet kettle orbit lantern " * 3
    validate_password(passphrase[:70], user=iro_user)
    iro_user.set_password(passphrase[:70])
    assert iro_user.check_password(passphrase[:70])
    assert not iro_user.check_password(passphrase[:69])


def test_production_passwords_are_stored_with_pbkdf2():
    """ASVS 2.4.1 and 2.4.2: without a pepper the base settings keep Django's PBKDF2-SHA256 (the
    tests alone use a fast hasher), with a salt of more than 32 bits; the peppered hasher is the
    same PBKDF2 underneath."""
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "from django.contrib.auth.hashers import make_password; "
        "print(settings.PASSWORD_HASHERS[0]); print(make_password('a-long-test-password'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        # Without a pepper, as on a developer's machine: production's peppered hash is
        # tests/signin/test_password_pepper.py's.
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("PASSWORD_PEPPER")},
            "DJANGO_SETTINGS_MODULE": "iro_service.settings.local",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    hasher, encoded = result.stdout.split()[-2:]
    assert hasher == "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    algorithm, iterations, salt, _ = encoded.split("$")
    assert algorithm == "pbkdf2_sha256" and int(iterations) >= 600_000
    assert len(salt) >= 16
    assert get_hasher("default").algorithm == "md5"  # here, in the tests, only


def test_production_cookies_are_secure_httponly_and_host_prefixed():
    """ASVS 3.4.1 to 3.4.4, and check --deploy passes (14.1.3, 14.3.2)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "iro_service.settings.production",
        "SECRET_KEY": "x" * 60 + "not-a-real-secret-key",
        "PASSWORD_PEPPER": "y" * 40 + "not-a-real-pepper",
        "DATABASE_URL": os.environ.get("DATABASE_URL") or "postgres://nobody@127.0.0.1:1/none",
        "ALLOWED_HOSTS": "iro.example-council.gov.uk",
    }
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, "
        "s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_SECURE, s.SECOND_FACTOR_REQUIRED, s.DEBUG)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "Lax", "__Host-sessionid", "True", "True", "False"]
