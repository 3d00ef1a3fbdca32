from django.apps import AppConfig

from iro_service.audit.permissions import ROLE_PERMISSIONS


class AuditConfig(AppConfig):
    name = "iro_service.audit"
    label = "audit"
    verbose_name = "Audit"
    # What each role may do with the access log and the statutory returns (each app declares its own).
    role_permissions = ROLE_PERMISSIONS
