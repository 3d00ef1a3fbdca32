from django.apps import AppConfig

from conferences.roles import ROLE_PERMISSIONS


class ConferencesConfig(AppConfig):
    name = "conferences"
    verbose_name = "Conferences"
    # What each role may do with this app's models; gathered by iro_service.core.roles.
    role_permissions = ROLE_PERMISSIONS
    # Links on a child's summary page; gathered by iro_service.people.links.
    child_links = "conferences.links.child_links"
    # The labels of this app's code lists, for the pages; gathered by iro_service.core.codes.
    code_lists = "conferences.codes.code_list_labels"
