from django.apps import AppConfig

from iro_service.people.roles import ROLE_PERMISSIONS


class PeopleConfig(AppConfig):
    name = "iro_service.people"
    label = "people"
    verbose_name = "People"
    # What each role may do with this app's models; gathered by iro_service.core.roles.
    role_permissions = ROLE_PERMISSIONS
