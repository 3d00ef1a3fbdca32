"""URLs of signing in, under /sign-in/ (the sign-in form itself is the project's ``login``)."""

from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.i18n import JavaScriptCatalog

from iro_service.signin import views

app_name = "signin"

urlpatterns = [
    path("code/", views.second_factor, name="second-factor"),
    path("set-up-app/", views.second_factor_set_up, name="second-factor-set-up"),
    path("recovery-codes/", views.recovery_codes, name="recovery-codes"),
    path("yours/", views.your_sign_in, name="your-sign-in"),
    path("yours/passkey-name/", views.passkey_name_view, name="passkey-name"),
    path("yours/passkey-remove/", views.passkey_remove_view, name="passkey-remove"),
    path("yours/sessions/end/", views.session_end_view, name="session-end"),
    path("password/", views.password_change_view, name="password-change"),
    path("again/", views.sign_in_again, name="again"),
    path("security/", views.security, name="security"),
    path("security/lift/", views.lockout_lift_view, name="lockout-lift"),
    path("security/password/", views.password_reset_view, name="password-reset"),
]

# django-otp-webauthn's ceremonies (JSON, for its JavaScript), under /sign-in/passkeys/ in the
# namespace its template tags reverse ("otp_webauthn"), with this service's rules: each needs a
# signed-in session (the passkey comes after the password), and only the ones of signing in are
# open before the second factor (iro_service/signin/middleware.py).
passkey_urlpatterns = [
    path(
        "registration/begin/",
        login_required(views.BeginPasskeyAdding.as_view()),
        name="credential-registration-begin",
    ),
    path(
        "registration/complete/",
        login_required(views.CompletePasskeyAdding.as_view()),
        name="credential-registration-complete",
    ),
    path(
        "authentication/begin/",
        login_required(views.BeginPasskeySignIn.as_view()),
        name="credential-authentication-begin",
    ),
    path(
        "authentication/complete/",
        login_required(views.CompletePasskeySignIn.as_view()),
        name="credential-authentication-complete",
    ),
    # The words of its JavaScript (its gettext()), for the sign-in page before anyone is in.
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]), name="js-i18n-catalog"),
]
