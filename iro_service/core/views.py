"""The shell's pages: home, sign-in, the accessibility statement and the error pages."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from iro_service.core.forms import SignInForm
from iro_service.core.home import home_panels
from iro_service.core.roles import user_role_names


class SignInView(auth_views.LoginView):
    """The sign-in page: the council's identity provider first, where there is one, and the
    username and password of a local account."""

    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "council_sign_in": bool(settings.OIDC_RP_CLIENT_ID),
            "provider": settings.OIDC_PROVIDER_NAME,
            "council_failed": self.request.GET.get("council") == "failed",
        }


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request, "core/home.html", {"roles": user_role_names(request.user), "panels": home_panels(request)}
    )


@require_GET
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For the load balancer: the process is up and PostgreSQL answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_GET
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The accessibility statement the Public Sector Bodies Accessibility Regulations 2018 ask
    for, open to anyone (signed in or not), linked from every page's footer."""
    return render(
        request,
        "core/accessibility.html",
        {"contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL, "statement_prepared": STATEMENT_PREPARED},
    )


# When the statement was last reviewed against the tests that back it (see docs/security.md).
STATEMENT_PREPARED = date(2026, 12, 2)


def forbidden(request: HttpRequest, exception=None) -> HttpResponse:
    # A refusal with a reason of its own (a record that is not theirs to change) says it.
    return render(request, "403.html", {"reason": getattr(exception, "reason", "")}, status=403)


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors here: whatever failed may be what they need.
    return render(request, "500.html", status=500, using=None)
