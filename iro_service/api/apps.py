from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST framework's base for every app's endpoints: token authentication with scopes,
    the permission classes, the records viewsets (access log included) and pagination. Above
    the audit app (tokens, the access log) in the kernel, below the apps whose endpoints use it."""

    name = "iro_service.api"
    label = "api"
    verbose_name = "REST API"

    def ready(self) -> None:
        from iro_service.api import schema  # noqa: F401 - registers the OpenAPI extension
