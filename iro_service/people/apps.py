from django.apps import AppConfig

from iro_service.people.roles import ROLE_PERMISSIONS


class PeopleConfig(AppConfig):
    name = "iro_service.people"
    label = "people"
    verbose_name = "People"
    # What each role may do with this app's models; gathered by iro_service.core.roles.
    role_permissions = ROLE_PERMISSIONS
    # The labels of this app's code lists, for the pages; gathered by iro_service.core.codes.
    code_lists = "iro_service.people.codes.code_list_labels"
