from django.apps import AppConfig

from iro_service.timescales.roles import ROLE_PERMISSIONS


class TimescalesConfig(AppConfig):
    name = "iro_service.timescales"
    label = "timescales"
    verbose_name = "Timescales"
    # What each role may do with this app's models; gathered by iro_service.core.roles.
    role_permissions = ROLE_PERMISSIONS
