from django.apps import AppConfig

from reports.roles import ROLE_PERMISSIONS


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports"
    # What each role may do with this app's pages and models; gathered by iro_service.core.roles.
    role_permissions = ROLE_PERMISSIONS

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from reports.figures.changes import figures_change_triggers_install

        # After every migrate: the trigger that tells the figures cache of a change, on every
        # table the figures read (reports.figures.changes).
        post_migrate.connect(
            figures_change_triggers_install, sender=self, dispatch_uid="reports-figures-changes"
        )
