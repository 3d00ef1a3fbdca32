import logging
import os
import sys

from django.apps import AppConfig
from django.conf import settings

logger = logging.getLogger("iro_service")


class CoreConfig(AppConfig):
    name = "iro_service.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started
        from django.db.models.signals import post_migrate

        from iro_service.core import checks  # noqa: F401 - registers the system checks
        from iro_service.core.jobs import request_finished as jobs_request_finished
        from iro_service.core.jobs import request_started as jobs_request_started
        from iro_service.core.roles import roles_sync_permissions

        # Apps add models and permissions; after every migrate the role groups are brought back
        # in line with what each app says each role may do.
        post_migrate.connect(roles_sync_permissions, dispatch_uid="core-roles-sync")
        # Without a broker, slow jobs sent during a request run once its response has gone.
        request_started.connect(jobs_request_started, dispatch_uid="core-jobs-request-started")
        request_finished.connect(jobs_request_finished, dispatch_uid="core-jobs-request-finished")

        if not settings.REDIS_URL and _is_server_start():
            # One line, so whoever starts the service knows jobs will not be queued.
            logger.warning("REDIS_URL is not set: background jobs run in-process (Celery eager mode).")


def _is_server_start() -> bool:
    """Announce eager mode when a server or worker starts, not on every management command,
    and once: runserver's file watcher is a second process that serves nothing."""
    argv = " ".join(sys.argv)
    if "runserver" in argv:
        return os.environ.get("RUN_MAIN") == "true"
    return any(word in argv for word in ("gunicorn", "celery", "uvicorn"))
