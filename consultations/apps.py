from django.apps import AppConfig
from django.db.models.signals import post_migrate

from consultations.roles import ROLE_PERMISSIONS


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = "Consultations"
    # What each role may do with this app's models; gathered by iro_service.core.roles.
    role_permissions = ROLE_PERMISSIONS

    def ready(self) -> None:
        from consultations.defaults import question_sets_ensure

        post_migrate.connect(question_sets_ensure, sender=self, dispatch_uid="consultations-question-sets")
