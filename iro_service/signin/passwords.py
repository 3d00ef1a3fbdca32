"""The password strength check: zxcvbn, which scores a password by how it would be guessed."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from zxcvbn import zxcvbn


class GuessablePasswordValidator:
    """Refuse a password zxcvbn scores below ``min_score`` (0 to 4; 3 is "safely unguessable:
    moderate protection from offline attacks"), with the user's username and names among the
    words it tries, so that ``aaaaaaaaaaaa`` and the username said three times are refused
    however long they are."""

    def __init__(self, min_score: int = 3):
        self.min_score = min_score

    def validate(self, password: str, user=None) -> None:
        inputs = [
            value
            for value in (
                getattr(user, "username", ""),
                getattr(user, "first_name", ""),
                getattr(user, "last_name", ""),
                getattr(user, "email", ""),
            )
            if value
        ]
        # zxcvbn's cost grows with length; past 100 characters a password is not guessable anyway.
        result = zxcvbn(password[:100], user_inputs=inputs)
        if result["score"] < self.min_score:
            advice = result["feedback"].get("warning") or "It would be easy to guess."
            raise ValidationError(
                f"Choose a password that is harder to guess. {advice.rstrip('.')}. "
                "A few unrelated words together make a strong password.",
                code="password_guessable",
            )

    def get_help_text(self) -> str:
        return "Your password must not be easy to guess: no repeats, names or common words alone."
