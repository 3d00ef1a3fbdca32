"""The pages of signing in beyond the sign-in form: the second factor (the app's code or a
passkey), setting up the app, recovery codes, one's own sign-in security (the app and passkeys),
signing in again, changing one's password, and managers' sign-in security page; and the
passkey ceremonies of django-otp-webauthn, as this service allows them."""

from __future__ import annotations

import base64
import logging
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST
from django_otp_webauthn import exceptions as webauthn_errors
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from iro_service.core.redirects import safe_next
from iro_service.signin.forms import (
    LockoutLiftForm,
    PasskeyNameForm,
    PasswordChangeForm,
    PasswordResetForm,
    SecondFactorForm,
    SecondFactorResetForm,
    SetUpForm,
    SignInAgainForm,
)
from iro_service.signin.oidc import council_sign_in_enabled
from iro_service.signin.passwords import strength_meter
from iro_service.signin.selectors import (
    given_password_expiry,
    has_passkey,
    has_second_factor,
    lockouts_of_addresses,
    lockouts_of_usernames,
    passkey_of,
    passkeys_of,
    places_signed_in,
    recovery_codes_left,
    sign_in_security_events,
    staff_with_local_password,
    staff_with_second_factor,
)
from iro_service.signin.services import (
    lockout_lift,
    other_signed_in_sessions_end,
    passkey_remove,
    passkey_rename,
    password_change,
    password_reset,
    recovery_codes_issue,
    second_factor_check,
    second_factor_reset,
    second_factor_set_up_confirm,
    second_factor_set_up_start,
    signed_in_session_end,
)
from iro_service.signin.session import password_change_due, session_reauthenticated, signed_in_with_council

logger = logging.getLogger(__name__)

# Recovery codes just made, kept in the session until the page showing them has been opened once.
_NEW_CODES = "signin_new_recovery_codes"


@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    """The code from the authenticator app, after the password."""
    if request.user.is_verified():
        return redirect(safe_next(request, settings.LOGIN_REDIRECT_URL))
    if not has_second_factor(request.user):
        return redirect("signin:second-factor-set-up")
    form = SecondFactorForm(request.POST or None)
    if form.is_valid():
        if second_factor_check(request=request, code=form.cleaned_data["code"]):
            return redirect(safe_next(request, settings.LOGIN_REDIRECT_URL))
        form.add_error("code", "Enter the code your app shows now, or an unused recovery code")
    return render(
        request,
        "signin/second_factor.html",
        {"form": form, "next": safe_next(request, ""), "has_passkey": has_passkey(request.user)},
    )


def _qr_code(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    out = BytesIO()
    image.save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


@login_required
def second_factor_set_up(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), then give a code."""
    # Someone who has an app but has not given its code this session (who may have only the
    # password) must not be able to put their own app in its place.
    if has_second_factor(request.user) and not request.user.is_verified():
        return redirect("signin:second-factor")
    device = second_factor_set_up_start(user=request.user)
    form = SetUpForm(request.POST or None)
    if form.is_valid():
        codes = second_factor_set_up_confirm(request=request, device=device, code=form.cleaned_data["code"])
        if codes is not None:
            request.session[_NEW_CODES] = codes
            return redirect(
                f"{reverse('signin:recovery-codes')}?{urlencode({'next': safe_next(request, '')})}"
            )
        form.add_error("code", "Enter the code the app shows now: that one was not right")
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "signin/set_up.html",
        {
            "form": form,
            "qr_code": _qr_code(device.config_url),
            "key": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
            "next": safe_next(request, ""),
        },
    )


@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Recovery codes: shown once, just after they are made; a new set on request."""
    can_make = has_second_factor(request.user) and request.user.is_verified()
    if request.method == "POST":
        if not can_make:
            return redirect("signin:second-factor-set-up")
        request.session[_NEW_CODES] = recovery_codes_issue(user=request.user)
        return redirect("signin:recovery-codes")
    codes = request.session.pop(_NEW_CODES, None)
    return render(
        request,
        "signin/recovery_codes.html",
        {
            "codes": codes,
            "left": recovery_codes_left(request.user),
            "has_app": has_second_factor(request.user),
            "can_make": can_make,
            "next": safe_next(request, reverse("home")),
        },
    )


@login_required
def sign_in_again(request: HttpRequest) -> HttpResponse:
    """Sign in again before an export of children's records or finalising the annual report."""
    back = safe_next(request, settings.LOGIN_REDIRECT_URL)
    if signed_in_with_council(request):
        return render(
            request,
            "signin/again_council.html",
            {"next": back, "provider": settings.OIDC_PROVIDER_NAME, "enabled": council_sign_in_enabled()},
        )
    ask_for_code = settings.SECOND_FACTOR_REQUIRED and has_second_factor(request.user)
    form = SignInAgainForm(request.POST or None, request=request, ask_for_code=ask_for_code)
    if form.is_valid():
        if ask_for_code and not second_factor_check(request=request, code=form.cleaned_data["code"]):
            form.add_error("code", "Enter the code your app shows now, or an unused recovery code")
        else:
            session_reauthenticated(request)
            return redirect(back)
    return render(
        request,
        "signin/again.html",
        {"form": form, "next": back, "minutes": settings.RECENT_SIGN_IN_MINUTES},
    )


@login_required
def password_change_view(request: HttpRequest) -> HttpResponse:
    """A local account changes its own password. An account made by the council's sign-in has
    no password here: it is changed with the council."""
    if not request.user.has_usable_password():
        return render(request, "signin/password_council.html", {"provider": settings.OIDC_PROVIDER_NAME})
    form = PasswordChangeForm(request.POST if request.method == "POST" else None, request=request)
    if form.is_valid():
        password_change(request=request, password=form.cleaned_data["new_password"])
        messages.success(request, "Your password was changed. Your other sessions were signed out.")
        return redirect("home")
    return render(
        request,
        "signin/password_change.html",
        {
            "form": form,
            "set_by_manager": password_change_due(request),
            "strength_meter": strength_meter(user=request.user),
        },
    )


def _security_page(request, reset_form=None, password_form=None, status=200):
    return render(
        request,
        "signin/security.html",
        {
            "usernames": lockouts_of_usernames(),
            "addresses": lockouts_of_addresses(),
            "reset_form": reset_form or SecondFactorResetForm(users=staff_with_second_factor()),
            "password_form": password_form or PasswordResetForm(users=staff_with_local_password()),
            "events": sign_in_security_events(),
            "cooloff": f"{int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)} minutes",
            "address_limit": settings.AXES_ADDRESS_FAILURE_LIMIT,
            "given_password_hours": settings.SIGN_IN_RESET_PASSWORD_HOURS,
        },
        status=status,
    )


@login_required
@permission_required("signin.manage_sign_in", raise_exception=True)
def security(request: HttpRequest) -> HttpResponse:
    """Managers: current lockouts (to lift), authenticator apps with passkeys and passwords (to
    reset), and what was done."""
    if request.method == "POST":
        form = SecondFactorResetForm(request.POST, users=staff_with_second_factor())
        if not form.is_valid():
            return _security_page(request, reset_form=form)
        target = form.cleaned_data["user"]
        second_factor_reset(user=target, done_by=request.user)
        messages.success(
            request,
            f"The authenticator app and passkeys of {target.get_full_name() or target.username} were reset.",
        )
        return redirect("signin:security")
    return _security_page(request)


@login_required
@permission_required("signin.manage_sign_in", raise_exception=True)
@require_POST
def lockout_lift_view(request: HttpRequest) -> HttpResponse:
    form = LockoutLiftForm(request.POST)
    if form.is_valid():
        lockout_lift(
            done_by=request.user,
            username=form.cleaned_data["username"],
            address=form.cleaned_data["address"] or "",
        )
        messages.success(
            request,
            f"The lockout of {form.cleaned_data['username'] or form.cleaned_data['address']} was lifted.",
        )
    else:
        messages.error(request, "Choose one lockout to lift.")
    return redirect("signin:security")


@login_required
@permission_required("signin.manage_sign_in", raise_exception=True)
@require_POST
def password_reset_view(request: HttpRequest) -> HttpResponse:
    """A manager gives a member of staff a one-time password the service makes; they change it
    at their next sign-in. It is shown once, in the answer to this POST: not kept in the session
    or a message to be shown after a redirect, never in an address, and the answer is marked
    no-store so that neither the browser's cache nor its back button brings it back. Opening the
    page again (a GET) is refused; sending the form again makes another password."""
    form = PasswordResetForm(request.POST, users=staff_with_local_password())
    if not form.is_valid():
        return _security_page(request, password_form=form)
    target = form.cleaned_data["user"]
    password = password_reset(user=target, done_by=request.user)
    response = render(
        request,
        "signin/password_issued.html",
        {
            "person": target,
            "password": password,
            "hours": settings.SIGN_IN_RESET_PASSWORD_HOURS,
            "expires": given_password_expiry(target.local_password.password_issued_at),
        },
    )
    add_never_cache_headers(response)
    return response


def may_add_passkey(request: HttpRequest) -> bool:
    """A passkey is added beside the authenticator app, never in its place: by a local account
    with an app whose session has given its second factor. The app stays the way in without
    JavaScript or a browser that has passkeys, and the recovery codes and a manager's reset are
    built on it; and someone with only the password cannot add a second factor of their own."""
    user = request.user
    return (
        user.has_usable_password()
        and not signed_in_with_council(request)
        and has_second_factor(user)
        and user.is_verified()
    )


def _your_sign_in_page(request, name_form=None, status=200):
    user = request.user
    naming = None
    if name_form is not None:
        naming = passkey_of(user, name_form.data.get("passkey"))
    else:
        naming = passkey_of(user, request.GET.get("passkey"))
        if naming is not None:
            name_form = PasskeyNameForm(initial={"passkey": naming.pk, "name": naming.name})
    return render(
        request,
        "signin/your_sign_in.html",
        {
            "council": signed_in_with_council(request) or not user.has_usable_password(),
            "provider": settings.OIDC_PROVIDER_NAME,
            "has_app": has_second_factor(user),
            "verified": user.is_verified(),
            "codes_left": recovery_codes_left(user),
            "passkeys": passkeys_of(user),
            "may_add_passkey": may_add_passkey(request),
            "naming": naming,
            "name_form": name_form,
            "places": places_signed_in(request),
        },
        status=status,
    )


@login_required
@require_GET
def your_sign_in(request: HttpRequest) -> HttpResponse:
    """One's own sign-in security: the authenticator app and recovery codes, and passkeys to
    add, name and remove. ``?passkey=`` opens the naming form for one of them (the page comes
    back to it just after a passkey is added)."""
    return _your_sign_in_page(request)


@login_required
@require_POST
def passkey_name_view(request: HttpRequest) -> HttpResponse:
    form = PasskeyNameForm(request.POST)
    passkey = passkey_of(request.user, request.POST.get("passkey"))
    if form.is_valid() and passkey is None:
        form.add_error("name", "Choose one of your own passkeys to name")
    if not form.is_valid():
        return _your_sign_in_page(request, name_form=form)
    passkey_rename(passkey=passkey, name=form.cleaned_data["name"])
    messages.success(request, f"The passkey is now called \u201c{passkey.name}\u201d.")
    return redirect("signin:your-sign-in")


@login_required
@require_POST
def passkey_remove_view(request: HttpRequest) -> HttpResponse:
    passkey = passkey_of(request.user, request.POST.get("passkey"))
    if passkey is None:
        messages.error(request, "Choose one of your own passkeys to remove.")
        return redirect("signin:your-sign-in")
    name = passkey.name
    passkey_remove(passkey=passkey)
    messages.success(request, f"The passkey \u201c{name}\u201d was removed.")
    return redirect("signin:your-sign-in")


class _PostOnly:
    """The ceremonies are POSTs from the library's JavaScript; anything else is 405 before the
    library's own checks (which would otherwise answer a GET with their refusal)."""

    def dispatch(self, request, *args, **kwargs):
        if request.method != "POST":
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)


class _PasskeyAddingRules(_PostOnly):
    """django-otp-webauthn's registration, with this service's rule of who may add one."""

    def check_can_register(self):
        if not may_add_passkey(self.request):
            raise webauthn_errors.NotVerified(
                detail="Set up your authenticator app and give a code from it before you add a passkey."
            )


class BeginPasskeyAdding(_PasskeyAddingRules, BeginCredentialRegistrationView):
    pass


class CompletePasskeyAdding(_PasskeyAddingRules, CompleteCredentialRegistrationView):
    pass


class BeginPasskeySignIn(_PostOnly, BeginCredentialAuthenticationView):
    pass


class CompletePasskeySignIn(_PostOnly, CompleteCredentialAuthenticationView):
    """The passkey as the second factor, after the password (never without it: the URL needs a
    signed-in session, and OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN is off). Then on to ``next``
    if it is one of ours, as after the app's code."""

    def get_success_url(self):
        return safe_next(self.request, resolve_url(settings.LOGIN_REDIRECT_URL))

    def complete_auth(self, device):
        super().complete_auth(device)
        logger.info("%s gave passkey %s as the second factor", self.request.user.get_username(), device.pk)


@login_required
@require_POST
def session_end_view(request: HttpRequest) -> HttpResponse:
    """End one of one's other sessions (``session`` is its number) or, with ``session=others``,
    all of them; this one is ended by signing out."""
    chosen = request.POST.get("session", "")
    if chosen == "others":
        ended = other_signed_in_sessions_end(request=request)
        messages.success(request, f"You were signed out everywhere else ({ended} session{pluralize(ended)}).")
    elif (
        chosen.isdecimal()
        and len(chosen) < 19
        and signed_in_session_end(request=request, session_id=int(chosen))
    ):
        messages.success(request, "That session was signed out.")
    else:
        messages.error(request, "That session has ended already, or is not one of yours.")
    return redirect("signin:your-sign-in")
