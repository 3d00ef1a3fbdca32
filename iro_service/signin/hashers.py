"""Passwords hashed with a pepper (ASVS 2.4.5): a secret kept outside the database, so that a
copy of the database alone is not enough to try guesses against the hashes.

The password is first made an HMAC-SHA256 keyed with the pepper (``PASSWORD_PEPPER``), and that
is hashed with Django's PBKDF2-SHA256 and its salt, as a plain password would be. The stored
hash names the pepper by a short key id (derived from the pepper, never the pepper itself), so
that after a rotation a hash made with the previous pepper (``PASSWORD_PEPPER_PREVIOUS``) still
verifies and Django makes it again with the current one at its next sign-in (``must_update``).

The format is ``peppered_pbkdf2_sha256$<key id>$<iterations>$<salt>$<hash>``.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, mask_hash
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_noop as _

# What the key id is an HMAC of: a fixed label, so that the id is not the HMAC of any password.
_KEY_ID_LABEL = b"iro-service password pepper key id"
# 8 hex characters: enough to tell the current pepper from the previous one, too few to be
# worth anything to someone trying to guess a pepper (which must be long and random anyway).
KEY_ID_LENGTH = 8


def pepper_key_id(pepper: str) -> str:
    """The short name of ``pepper`` that a hash records: an HMAC of a fixed label keyed with
    it, so the pepper cannot be read back from the id."""
    return hmac.new(pepper.encode(), _KEY_ID_LABEL, hashlib.sha256).hexdigest()[:KEY_ID_LENGTH]


def _peppers() -> dict[str, str]:
    """The peppers a hash may have been made with, by key id: the current one, and the previous
    one during a rotation. Read at each use, so that a test's settings override applies."""
    peppers = {}
    for pepper in (
        getattr(settings, "PASSWORD_PEPPER", ""),
        getattr(settings, "PASSWORD_PEPPER_PREVIOUS", ""),
    ):
        if pepper:
            # setdefault: were the two ids ever to collide, the current pepper wins.
            peppers.setdefault(pepper_key_id(pepper), pepper)
    return peppers


def _current_key_id() -> str:
    pepper = getattr(settings, "PASSWORD_PEPPER", "")
    if not pepper:
        # The settings only list this hasher when a pepper is set (iro_service/settings/base.py).
        raise ValueError("PepperedPBKDF2PasswordHasher needs settings.PASSWORD_PEPPER.")
    return pepper_key_id(pepper)


def _peppered(password: str, pepper: str) -> str:
    return hmac.new(pepper.encode(), password.encode(), hashlib.sha256).hexdigest()


class PepperedPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2-SHA256 of the password's HMAC with the pepper; see the module's docstring."""

    algorithm = "peppered_pbkdf2_sha256"

    def encode(self, password, salt, iterations=None, key_id=None):
        self._check_encode_args(password, salt)
        key_id = key_id or _current_key_id()
        pepper = _peppers()[key_id]
        plain = super().encode(_peppered(password, pepper), salt, iterations)
        # super() wrote "<algorithm>$iterations$salt$hash": the key id goes after the name.
        _, rest = plain.split("$", 1)
        return f"{self.algorithm}${key_id}${rest}"

    def decode(self, encoded):
        algorithm, key_id, iterations, salt, hash = encoded.split("$", 4)
        if algorithm != self.algorithm:
            # Not an assert: it must hold under python -O too.
            raise ValueError(f"not a {self.algorithm} hash")
        return {
            "algorithm": algorithm,
            "key_id": key_id,
            "hash": hash,
            "iterations": int(iterations),
            "salt": salt,
        }

    def verify(self, password, encoded):
        decoded = self.decode(encoded)
        if decoded["key_id"] not in _peppers():
            # Made with a pepper that is no longer named (two rotations ago, or another
            # installation's): it cannot be checked, only replaced by a manager's reset. The
            # slow hash is still run, so that the answer takes as long as a wrong password's.
            PBKDF2PasswordHasher.encode(self, password, decoded["salt"], decoded["iterations"])
            return False
        encoded_2 = self.encode(password, decoded["salt"], decoded["iterations"], key_id=decoded["key_id"])
        return constant_time_compare(encoded, encoded_2)

    def safe_summary(self, encoded):
        decoded = self.decode(encoded)
        return {
            _("algorithm"): decoded["algorithm"],
            _("pepper"): decoded["key_id"],
            _("iterations"): decoded["iterations"],
            _("salt"): mask_hash(decoded["salt"]),
            _("hash"): mask_hash(decoded["hash"]),
        }

    def must_update(self, encoded):
        # Made with the previous pepper: made again with the current one at the next sign-in.
        return super().must_update(encoded) or self.decode(encoded)["key_id"] != _current_key_id()

    def harden_runtime(self, password, encoded):
        decoded = self.decode(encoded)
        extra_iterations = self.iterations - decoded["iterations"]
        if extra_iterations > 0:
            self.encode(password, decoded["salt"], extra_iterations, key_id=_current_key_id())
