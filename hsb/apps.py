from django.apps import AppConfig

from hsb.roles import ROLE_PERMISSIONS


class HsbConfig(AppConfig):
    name = "hsb"
    verbose_name = "HSB"
    # What each role may do with this app's models; gathered by iro_service.core.roles.
    role_permissions = ROLE_PERMISSIONS
    # Links on a child's summary page; gathered by iro_service.people.links.
    child_links = "hsb.links.child_links"
