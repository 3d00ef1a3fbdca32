"""Top-level URLs."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView
from django_otp.admin import OTPAdminSite
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from iro_service.core import views as core_views
from iro_service.signin import oidc
from iro_service.signin import urls as signin_urls

if settings.ADMIN_REQUIRES_OTP:
    # Django's admin reaches every table: in production it needs a TOTP device as well as a
    # password.
    admin.site.__class__ = OTPAdminSite

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="home", permanent=False)),
    path("home/", core_views.home, name="home"),
    path("sign-in/", core_views.SignInView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    # The council's identity provider (mozilla-django-oidc finds these two by name).
    path("sign-in/council/", oidc.CouncilSignInStart.as_view(), name="oidc_authentication_init"),
    path(
        "sign-in/council/callback/", oidc.CouncilSignInCallback.as_view(), name="oidc_authentication_callback"
    ),
    path("sign-in/passkeys/", include((signin_urls.passkey_urlpatterns, "otp_webauthn"))),
    path("sign-in/", include("iro_service.signin.urls")),
    path("health/", core_views.health, name="health"),
    path("accessibility/", core_views.accessibility_statement, name="accessibility"),
    path("children/", include("iro_service.people.urls")),
    path("access-log/", include("iro_service.audit.urls")),
    path("timescales/", include("iro_service.timescales.urls")),
    path("reviews/", include("reviews.urls")),
    path("conferences/", include("conferences.urls")),
    path("hsb/", include("hsb.urls")),
    path("qa-alerts/", include("qa_alerts.urls")),
    path("consultations/", include("consultations.urls")),
    # The only pages for people without an account: a child, carer or parent answering.
    path("your-views/", include("consultations.public_urls")),
    path("reports/", include("reports.urls")),
    path("retention/", include("retention.urls")),
    path("api/v1/", include("iro_service.people.api.urls")),
    path("api/v1/", include("reviews.api.urls")),
    path("api/v1/", include("conferences.api.urls")),
    path("api/v1/", include("hsb.api.urls")),
    path("api/v1/", include("qa_alerts.api.urls")),
    path("api/v1/", include("reports.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("django-admin/", admin.site.urls),
]

handler403 = "iro_service.core.views.forbidden"
handler404 = "iro_service.core.views.not_found"
handler500 = "iro_service.core.views.server_error"
