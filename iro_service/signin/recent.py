"""``recent_sign_in_required``: ask for the password (or the council's sign-in) again before an
action that takes children's records away or cannot be undone.

Use it on a view, inside the sign-in and permission checks (so that someone who may not do the
action is refused, not asked to sign in again)::

    @login_required
    @permission_required("audit.export_returns", raise_exception=True)
    @require_POST
    @recent_sign_in_required(come_back_to="reports:returns")
    def returns_export(request): ...

or, on a class-based view, ``RecentSignInRequiredMixin`` (set ``come_back_to`` likewise). If the
password was given in the last ``RECENT_SIGN_IN_MINUTES`` minutes the view runs; otherwise the
person is sent to "Sign in again" and then back. A GET comes back to the same address; a POST
cannot be replayed, so it comes back to ``come_back_to`` (a URL name), where the person submits
again. The annual report's "Finalise" takes the same decorator.
"""

from __future__ import annotations

from functools import wraps

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from iro_service.signin.session import signed_in_recently


def sign_in_again_redirect(request, come_back_to: str | None = None):
    if request.method in ("GET", "HEAD") or not come_back_to:
        target = request.get_full_path()
    else:
        target = reverse(come_back_to)
    return redirect(f"{reverse('signin:again')}?{urlencode({'next': target})}")


def recent_sign_in_required(view=None, *, come_back_to: str | None = None):
    def decorate(view_function):
        @wraps(view_function)
        def wrapped(request, *args, **kwargs):
            if not signed_in_recently(request):
                return sign_in_again_redirect(request, come_back_to)
            return view_function(request, *args, **kwargs)

        return wrapped

    return decorate(view) if view is not None else decorate


class RecentSignInRequiredMixin:
    """The class-based form of ``recent_sign_in_required``; put it after the permission mixins."""

    come_back_to: str | None = None

    def dispatch(self, request, *args, **kwargs):
        if not signed_in_recently(request):
            return sign_in_again_redirect(request, self.come_back_to)
        return super().dispatch(request, *args, **kwargs)


class RecentSignInForSessions:
    """The same rule for a REST endpoint that returns children's records: a browser session
    (signed in with a password or the council's provider) must have signed in recently; an API
    token, which has no password to give again, is governed by its scopes and expiry instead.
    A DRF permission class: list it in the view's ``permission_classes``."""

    message = "Sign in again at /sign-in/again/ before downloading children's records."

    def has_permission(self, request, view) -> bool:
        if request.auth is not None or not request.user.is_authenticated:
            return True
        return signed_in_recently(request._request)

    def has_object_permission(self, request, view, obj) -> bool:
        return True
