"""System checks: configuration that would break the service is reported at start-up."""

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def database_is_postgresql(app_configs, **kwargs):
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        return [
            Error(
                "The IRO service runs on PostgreSQL only.",
                id="iro.E001",
                hint="Set DATABASE_URL to a postgres:// URL or leave it unset for the embedded server.",
            )
        ]
    return []


@register(deploy=True)
def embedded_database_not_in_production(app_configs, **kwargs):
    if getattr(settings, "EMBEDDED_DATABASE", False):
        return [
            Warning(
                "The embedded PostgreSQL is for demos and development.",
                id="iro.W001",
                hint="Set DATABASE_URL to the council's PostgreSQL server.",
            )
        ]
    return []
