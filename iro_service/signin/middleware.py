"""The sign-in rules every request obeys."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from iro_service.signin.selectors import has_second_factor
from iro_service.signin.session import password_change_due, session_too_old, signed_in_with_council

# Pages a signed-in person may open before giving their second factor (with a passkey's, which
# are the second factor; adding a passkey is not among them).
_PASSKEY_SIGN_IN = (
    "otp_webauthn:credential-authentication-begin",
    "otp_webauthn:credential-authentication-complete",
    "otp_webauthn:js-i18n-catalog",
)
_OPEN_BEFORE_SECOND_FACTOR = (
    "signin:second-factor",
    "signin:second-factor-set-up",
    *_PASSKEY_SIGN_IN,
    "logout",
    "login",
    "health",
)

# Pages a signed-in person may open while a password someone else set is still to be changed: the
# change itself, and the second factor that comes before it (with the recovery codes shown once
# after setting up an app, which would otherwise be lost).
_OPEN_BEFORE_PASSWORD_CHANGE = (
    "signin:password-change",
    "signin:second-factor",
    "signin:second-factor-set-up",
    "signin:recovery-codes",
    *_PASSKEY_SIGN_IN,
    "logout",
    "login",
    "health",
)


class SignInPolicyMiddleware:
    """A session ends 12 hours after its sign-in however busy it has been; and a local account
    (signed in with a password) reaches no page until it has given a code from its
    authenticator app, a recovery code or one of its passkeys, setting the app up first if it
    has none; then, if a
    manager (or the system administrator) set its password, it reaches no page but the password
    change until it has chosen its own.

    An API request with a token is not stopped by the password rule: DRF authenticates the token
    after this middleware (the user here is anonymous), and a token is not tied to the password,
    it is issued, revoked and expires on its own (see iro_service.audit.models.ApiToken). An API
    request carried by the session is stopped like any page, with a 403 in JSON."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths: set[str] | None = None
        self._open_before_change: set[str] | None = None

    def _open(self, path: str) -> bool:
        if self._open_paths is None:
            self._open_paths = {reverse(name) for name in _OPEN_BEFORE_SECOND_FACTOR}
        return path in self._open_paths or path.startswith(settings.STATIC_URL)

    def _open_before_password_change(self, path: str) -> bool:
        if self._open_before_change is None:
            self._open_before_change = {reverse(name) for name in _OPEN_BEFORE_PASSWORD_CHANGE}
        return path in self._open_before_change or path.startswith(settings.STATIC_URL)

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        if session_too_old(request):
            logout(request)
            messages.info(
                request,
                f"You were signed out {settings.SESSION_ABSOLUTE_HOURS} hours after you signed in. "
                "Sign in again to carry on.",
            )
            return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
        if (
            settings.SECOND_FACTOR_REQUIRED
            and not signed_in_with_council(request)
            and not user.is_verified()
            and not self._open(request.path)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "Give the code from your authenticator app first, at /sign-in/code/."},
                    status=403,
                )
            page = "signin:second-factor" if has_second_factor(user) else "signin:second-factor-set-up"
            return redirect(f"{reverse(page)}?{urlencode({'next': request.get_full_path()})}")
        # After the second factor: the password change page itself asks for no code, but the
        # rule above has already sent anyone without one to give it first.
        if password_change_due(request) and not self._open_before_password_change(request.path):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "detail": "Your password must be changed before you carry on: "
                        "change it at /sign-in/password/."
                    },
                    status=403,
                )
            # The page itself says why (not a message, which would pile up one per page tried).
            return redirect("signin:password-change")
        return self.get_response(request)
