from django.apps import AppConfig

from retention.roles import ROLE_PERMISSIONS


class RetentionConfig(AppConfig):
    name = "retention"
    verbose_name = "Retention"
    # What each role may do with this app's pages and models; gathered by iro_service.core.roles.
    role_permissions = ROLE_PERMISSIONS
