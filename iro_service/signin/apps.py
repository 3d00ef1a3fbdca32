from django.apps import AppConfig

from iro_service.core.roles import Role


class SigninConfig(AppConfig):
    """Signing in: the council's identity provider, local accounts' second factor, lockouts,
    session lifetimes and signing in again before sensitive actions."""

    name = "iro_service.signin"
    label = "signin"
    verbose_name = "Signing in"
    role_permissions = {
        Role.IRO_MANAGER: ["signin.manage_sign_in"],
    }

    def ready(self):
        from iro_service.signin import signals  # noqa: F401
