"""URLs of signing in, under /sign-in/ (the sign-in form itself is the project's ``login``)."""

from django.urls import path

from iro_service.signin import views

app_name = "signin"

urlpatterns = [
    path("code/", views.second_factor, name="second-factor"),
    path("set-up-app/", views.second_factor_set_up, name="second-factor-set-up"),
    path("recovery-codes/", views.recovery_codes, name="recovery-codes"),
    path("password/", views.password_change_view, name="password-change"),
    path("again/", views.sign_in_again, name="again"),
    path("security/", views.security, name="security"),
    path("security/lift/", views.lockout_lift_view, name="lockout-lift"),
    path("security/password/", views.password_reset_view, name="password-reset"),
]
