from django.apps import AppConfig

from reports.roles import ROLE_PERMISSIONS


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports"
    # What each role may do with this app's pages and models; gathered by iro_service.core.roles.
    role_permissions = ROLE_PERMISSIONS
