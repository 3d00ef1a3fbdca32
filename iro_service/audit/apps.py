from django.apps import AppConfig

from iro_service.audit.permissions import ROLE_PERMISSIONS


class AuditConfig(AppConfig):
    name = "iro_service.audit"
    label = "audit"
    verbose_name = "Audit"
    # What each role may do with the access log and the statutory returns (each app declares its own).
    role_permissions = ROLE_PERMISSIONS

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from iro_service.audit.roles import roles_sync_permissions

        # Later apps add models and permissions; after every migrate the role groups are
        # brought back in line with the one table of what each role may do.
        post_migrate.connect(roles_sync_permissions, dispatch_uid="audit-roles-sync")
