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
from iro_service.signin.session import session_too_old, signed_in_with_council

# Pages a signed-in person may open before giving their second factor.
_OPEN_BEFORE_SECOND_FACTOR = (
    "signin:second-factor",
    "signin:second-factor-set-up",
    "logout",
    "login",
    "health",
)


class SignInPolicyMiddleware:
    """A session ends 12 hours after its sign-in however busy it has been; and a local account
    (signed in with a password) reaches no page until it has given a code from its
    authenticator app or a recovery code, setting the app up first if it has none."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths: set[str] | None = None

    def _open(self, path: str) -> bool:
        if self._open_paths is None:
            self._open_paths = {reverse(name) for name in _OPEN_BEFORE_SECOND_FACTOR}
        return path in self._open_paths or path.startswith(settings.STATIC_URL)

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
        return self.get_response(request)
