"""The password strength check (zxcvbn, which scores a password by how it would be guessed),
and the one-time passwords a manager's reset makes."""

from __future__ import annotations

import secrets

from django.contrib.auth.password_validation import (
    MinimumLengthValidator,
    get_default_password_validators,
    validate_password,
)
from django.core.exceptions import ValidationError
from zxcvbn import zxcvbn

# Lower-case letters and digits without the ones read or heard as another (0 and o, 1, i and l):
# a one-time password is read out by telephone and typed from a note.
ONE_TIME_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
# Four groups of four, joined by hyphens (which are part of it): 16 characters drawn from 31,
# about 79 bits, far past what an online attacker held back by the lockout could try.
ONE_TIME_GROUPS = 4
ONE_TIME_GROUP_LENGTH = 4


def one_time_password(*, user) -> str:
    """A random password for ``user`` from the ``secrets`` module, such as ``k7mq-3xtd-hp9w-r4ne``,
    that passes every validator a password one chooses must pass (it could, once in a great
    while, spell a common word that zxcvbn marks down: then another is drawn)."""
    for _ in range(20):
        password = "-".join(
            "".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(ONE_TIME_GROUP_LENGTH))
            for _ in range(ONE_TIME_GROUPS)
        )
        try:
            validate_password(password, user=user)
        except ValidationError:
            continue
        return password
    # Twenty refusals in a row would mean the validators changed, not bad luck.
    raise RuntimeError("No one-time password passed the password validators: check AUTH_PASSWORD_VALIDATORS.")


# zxcvbn's cost grows with length; past 100 characters a password is not guessable anyway. The
# strength meter in the browser scores the same first 100 characters.
SCORED_LENGTH = 100


def guessing_inputs(user) -> list[str]:
    """The words of ``user``'s own that zxcvbn tries as an attacker who knows them would (its
    ``user_inputs``): the server's check and the meter in the browser pass the same ones."""
    return [
        value
        for value in (
            getattr(user, "username", ""),
            getattr(user, "first_name", ""),
            getattr(user, "last_name", ""),
            getattr(user, "email", ""),
        )
        if value
    ]


def strength_meter(*, user) -> dict | None:
    """What the live strength meter on a new password needs to agree with the server's check:
    the user's words, the score the configured validator asks for and the configured minimum
    length. None when no strength check is configured (nothing to agree with)."""
    validators = get_default_password_validators()
    guessable = next((v for v in validators if isinstance(v, GuessablePasswordValidator)), None)
    if guessable is None:
        return None
    length = next((v for v in validators if isinstance(v, MinimumLengthValidator)), None)
    return {
        "user_inputs": guessing_inputs(user),
        "min_score": guessable.min_score,
        "min_length": length.min_length if length else 0,
        "scored_length": SCORED_LENGTH,
    }


class GuessablePasswordValidator:
    """Refuse a password zxcvbn scores below ``min_score`` (0 to 4; 3 is "safely unguessable:
    moderate protection from offline attacks"), with the user's username and names among the
    words it tries, so that ``aaaaaaaaaaaa`` and the username said three times are refused
    however long they are."""

    def __init__(self, min_score: int = 3):
        self.min_score = min_score

    def validate(self, password: str, user=None) -> None:
        result = zxcvbn(password[:SCORED_LENGTH], user_inputs=guessing_inputs(user))
        if result["score"] < self.min_score:
            advice = result["feedback"].get("warning") or "It would be easy to guess."
            raise ValidationError(
                f"Choose a password that is harder to guess. {advice.rstrip('.')}. "
                "A few unrelated words together make a strong password.",
                code="password_guessable",
            )

    def get_help_text(self) -> str:
        return "Your password must not be easy to guess: no repeats, names or common words alone."
