from django.apps import AppConfig
from django.db.models.signals import post_migrate

from qa_alerts.roles import ROLE_PERMISSIONS


class QaAlertsConfig(AppConfig):
    name = "qa_alerts"
    verbose_name = "QA alerts"
    # What each role may do with this app's models; gathered by iro_service.core.roles.
    role_permissions = ROLE_PERMISSIONS

    def ready(self) -> None:
        from qa_alerts.defaults import default_lists_ensure

        post_migrate.connect(default_lists_ensure, sender=self, dispatch_uid="qa-alerts-default-lists")
