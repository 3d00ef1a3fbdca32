"""The expiry of a password someone else gave a local account, checked at sign-in."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from iro_service.signin.selectors import account_with_expired_given_password

logger = logging.getLogger(__name__)


class GivenPasswordExpired(ValidationError):
    """The right password, but one someone else gave and that has expired. A ValidationError, so
    that the sign-in form (Django's AuthenticationForm, which calls authenticate() in its
    clean()) shows it as the form's error, in place of "Enter a correct username and password"."""

    def __init__(self):
        hours = settings.SIGN_IN_RESET_PASSWORD_HOURS
        worked = f"{hours} hour{'s' if hours != 1 else ''}"
        super().__init__(
            f"The password you were given has expired: it worked for {worked}. "
            "Ask your IRO service manager for a new one.",
            code="given_password_expired",
        )


class GivenPasswordExpiryBackend:
    """Placed between django-axes and Django's ModelBackend. For an account whose password
    someone else gave and that has expired, it checks the password itself:

    - right: sign-in is refused with ``GivenPasswordExpired``, a plain message saying to ask a
      manager for a new one. Only the account's holder (or whoever was told the password) ever
      sees it, so it says nothing about which accounts exist;
    - wrong: refused as any wrong password is (``PermissionDenied`` ends the backends, Django
      sends ``user_login_failed``, axes counts it, the form says "Enter a correct username and
      password"), after one password hash, as ModelBackend would take, so that the time taken
      does not tell such an account from another.

    For every other account it answers None, and ModelBackend signs in as usual. It signs nobody
    in itself, so it has no ``get_user`` (as axes's backend has none): the test client's
    force_login, which takes the first backend that has one, then passes over it, and it has
    no permissions to answer for.

    An account already signed in that gives its own password again (the current password on the
    change page, after signing in shortly before the expiry) is let through: it is choosing its
    own password, which is the point."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if not username or password is None:
            return None
        user = account_with_expired_given_password(username=username)
        if user is None:
            return None
        signed_in = getattr(request, "user", None)
        if signed_in is not None and signed_in.is_authenticated and signed_in.pk == user.pk:
            return None
        if not user.check_password(password):
            raise PermissionDenied
        logger.info("Sign-in of %s refused: the password given to it has expired", user.get_username())
        raise GivenPasswordExpired()
