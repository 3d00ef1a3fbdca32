"""ASVS 2.4.5: password hashes with a pepper (iro_service/signin/hashers.py). The suite hashes
with MD5 for speed; these tests put the peppered hasher first, as the settings do when
PASSWORD_PEPPER is set, with Django's real PBKDF2 iteration count (a quarter of a second a
hash), and sign in through the real sign-in page."""

import base64
import hashlib
import hmac
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.urls import reverse

from iro_service.signin.hashers import pepper_key_id

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
PASSWORD = "a-long-test-password"
OLD_PEPPER = "old-pepper-kept-in-the-councils-secret-store-0001"
NEW_PEPPER = "new-pepper-kept-in-the-councils-secret-store-0002"
PEPPERED = "iro_service.signin.hashers.PepperedPBKDF2PasswordHasher"
PLAIN = "django.contrib.auth.hashers.PBKDF2PasswordHasher"


@pytest.fixture
def pepper(settings):
    """The hashers as iro_service/settings/base.py lists them with a pepper set; returns a
    function that changes the peppers (a rotation)."""
    settings.PASSWORD_HASHERS = [PEPPERED, PLAIN]

    def use(current: str, previous: str = "") -> None:
        settings.PASSWORD_PEPPER = current
        settings.PASSWORD_PEPPER_PREVIOUS = previous

    use(OLD_PEPPER)
    return use


def _sign_in(client, username: str, password: str = PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def _key_id_of(encoded: str) -> str:
    return identify_hasher(encoded).decode(encoded)["key_id"]


def test_the_hash_is_pbkdf2_of_the_passwords_hmac_with_the_pepper(pepper):
    """The database's copy alone is not enough: PBKDF2 of the password with the stored salt and
    iterations (what a cracking tool would try) does not give the stored hash; PBKDF2 of the
    HMAC-SHA256 of the password keyed with the pepper does."""
    encoded = make_password(PASSWORD)
    algorithm, _key_id, iterations, salt, stored = encoded.split("$")
    assert algorithm == "peppered_pbkdf2_sha256" and int(iterations) >= 1_000_000

    def pbkdf2(secret: str) -> str:
        raw = hashlib.pbkdf2_hmac("sha256", secret.encode(), salt.encode(), int(iterations))
        return base64.b64encode(raw).decode()

    assert pbkdf2(PASSWORD) != stored
    assert pbkdf2(hmac.new(OLD_PEPPER.encode(), PASSWORD.encode(), hashlib.sha256).hexdigest()) == stored


def test_a_peppered_hash_does_not_verify_without_its_pepper_or_with_another(pepper, settings):
    encoded = make_password(PASSWORD)
    assert check_password(PASSWORD, encoded)
    assert not check_password("a-long-test-passworD", encoded)

    pepper(NEW_PEPPER)  # another pepper, and the old one not named as the previous
    assert not check_password(PASSWORD, encoded)

    # No pepper at all: the plain hashers alone cannot check it.
    settings.PASSWORD_HASHERS = [PLAIN]
    pepper("")
    assert not check_password(PASSWORD, encoded)


def test_the_hash_names_its_pepper_by_a_key_id_and_never_holds_the_pepper(pepper):
    encoded = make_password(PASSWORD)
    for form in (
        OLD_PEPPER,
        OLD_PEPPER.encode().hex(),
        base64.b64encode(OLD_PEPPER.encode()).decode(),
        # Nor the password's HMAC, from which guesses could be checked without the slow hash.
        hmac.new(OLD_PEPPER.encode(), PASSWORD.encode(), hashlib.sha256).hexdigest(),
    ):
        assert form not in encoded
    assert _key_id_of(encoded) == pepper_key_id(OLD_PEPPER)
    assert len(pepper_key_id(OLD_PEPPER)) == 8
    assert pepper_key_id(OLD_PEPPER) != pepper_key_id(NEW_PEPPER)
    # The admin's summary of the hash shows the key id, masks the rest.
    summary = identify_hasher(encoded).safe_summary(encoded)
    assert summary["pepper"] == pepper_key_id(OLD_PEPPER)
    assert "*" in summary["hash"]


def test_a_hash_made_with_the_previous_pepper_is_made_again_with_the_new_one_at_sign_in(
    client, pepper, make_user
):
    """GIVEN an IRO whose password was hashed with the pepper of the time
    WHEN the council rotates the pepper (the old one named PASSWORD_PEPPER_PREVIOUS) and she
    first gives a wrong password, then her own
    THEN the wrong one is refused and leaves the hash as it was; her own signs her in, and her
    hash is made again with the new pepper, so that it verifies once the old one is dropped."""
    user = make_user("IRO", username="helen")
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    assert _key_id_of(user.password) == pepper_key_id(OLD_PEPPER)

    pepper(NEW_PEPPER, previous=OLD_PEPPER)
    before = user.password
    assert _sign_in(client, "helen", "not-her-password-at-all").status_code == 200
    user.refresh_from_db()
    assert user.password == before

    assert _sign_in(client, "helen").status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("peppered_pbkdf2_sha256$")
    assert _key_id_of(user.password) == pepper_key_id(NEW_PEPPER)

    pepper(NEW_PEPPER)
    assert user.check_password(PASSWORD)


def test_after_a_rotation_a_hash_of_a_pepper_no_longer_named_cannot_sign_in(client, pepper, make_user):
    user = make_user("IRO", username="helen")
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    pepper(NEW_PEPPER)
    assert _sign_in(client, "helen").status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_plain_pbkdf2_hash_from_before_the_pepper_is_peppered_at_sign_in(client, pepper, make_user):
    """GIVEN an IRO whose hash was made before the pepper was set (plain PBKDF2-SHA256)
    WHEN she signs in once a pepper is set
    THEN she is signed in and her hash is now the peppered one."""
    user = make_user("IRO", username="helen")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])

    assert _sign_in(client, "helen").status_code == 302
    user.refresh_from_db()
    assert identify_hasher(user.password).algorithm == "peppered_pbkdf2_sha256"
    assert _key_id_of(user.password) == pepper_key_id(OLD_PEPPER)
    assert user.check_password(PASSWORD)


def _production_check(**variables):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PASSWORD_PEPPER", "PASSWORD_PEPPER_PREVIOUS", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="iro_service.settings.production",
        SECRET_KEY="x" * 60 + "not-a-real-secret-key",
        DATABASE_URL=os.environ.get("DATABASE_URL") or "postgres://nobody@127.0.0.1:1/none",
        **variables,
    )
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "from django.contrib.auth.hashers import make_password; "
        "print(settings.PASSWORD_HASHERS[0]); print(make_password('a-long-test-password'))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({}, "PASSWORD_PEPPER must be set in production"),
        ({"PASSWORD_PEPPER": "too-short-a-pepper"}, "PASSWORD_PEPPER must be at least 32 characters"),
        ({"PASSWORD_PEPPER_PREVIOUS": OLD_PEPPER}, "PASSWORD_PEPPER_PREVIOUS is set without PASSWORD_PEPPER"),
        (
            {"PASSWORD_PEPPER": OLD_PEPPER, "PASSWORD_PEPPER_PREVIOUS": OLD_PEPPER},
            "PASSWORD_PEPPER_PREVIOUS must be the old pepper",
        ),
    ],
)
def test_production_refuses_to_start_without_a_good_pepper(variables, message):
    result = _production_check(**variables)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_hashes_new_passwords_with_the_pepper():
    result = _production_check(PASSWORD_PEPPER=NEW_PEPPER)
    assert result.returncode == 0, result.stderr
    hasher, encoded = result.stdout.split()[-2:]
    assert hasher == PEPPERED
    assert encoded.startswith(f"peppered_pbkdf2_sha256${pepper_key_id(NEW_PEPPER)}$1000000$")
