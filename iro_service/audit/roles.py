"""The sign-in roles, as Django groups, and the one table of what each may do.

The groups are created by a data migration (``0002_role_groups``); after every ``migrate`` the
permissions of each group are set from ``ROLE_PERMISSIONS`` so that an app added later only has
to add its permission names here. Pages and API views check permissions, never group names.
"""

from __future__ import annotations

import logging

from django.db import models

logger = logging.getLogger(__name__)


class Role(models.TextChoices):
    IRO = "IRO", "IRO"
    IRO_MANAGER = "IRO manager", "IRO manager"
    BUSINESS_SUPPORT = "Business support", "Business support"
    SENIOR_MANAGER = "Senior manager", "Senior manager (read-only)"
    API_CLIENT = "API client", "API client (read-only)"


_READ_PEOPLE = [
    "people.view_child",
    "people.view_family",
    "people.view_familymembership",
    "people.view_team",
    "people.view_staffmember",
    "people.view_iroallocation",
]
_READ_TIMESCALES = ["timescales.view_timescalesettings", "timescales.view_nonworkingday"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.IRO: [*_READ_PEOPLE, *_READ_TIMESCALES, "people.change_child"],
    Role.IRO_MANAGER: [
        *_READ_PEOPLE,
        *_READ_TIMESCALES,
        "people.add_child",
        "people.change_child",
        "people.add_family",
        "people.change_family",
        "people.add_familymembership",
        "people.add_iroallocation",
        "people.add_staffmember",
        "people.change_staffmember",
        "timescales.change_timescalesettings",
        "timescales.add_nonworkingday",
        "timescales.delete_nonworkingday",
        "audit.view_accesslog",
    ],
    Role.BUSINESS_SUPPORT: [
        *_READ_PEOPLE,
        *_READ_TIMESCALES,
        "people.add_child",
        "people.change_child",
        "people.add_family",
        "people.change_family",
        "people.add_familymembership",
    ],
    Role.SENIOR_MANAGER: [*_READ_PEOPLE, *_READ_TIMESCALES, "audit.view_accesslog"],
    # A machine account: reads through the API only; it cannot sign in to the web pages.
    Role.API_CLIENT: [*_READ_PEOPLE],
}


def roles_sync_permissions(sender=None, **kwargs) -> None:
    """Give each role group exactly the permissions ``ROLE_PERMISSIONS`` lists."""
    from django.contrib.auth.models import Group, Permission

    using = kwargs.get("using", "default")
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=role)
        wanted = []
        for name in names:
            app_label, codename = name.split(".", 1)
            permission = (
                Permission.objects.using(using)
                .filter(content_type__app_label=app_label, codename=codename)
                .first()
            )
            if permission is None:
                # Its app has not been migrated yet; the next post_migrate will add it.
                logger.debug("Permission %s not yet created", name)
                continue
            wanted.append(permission)
        group.permissions.set(wanted)


def user_role_names(user) -> list[str]:
    if not user.is_authenticated:
        return []
    return [group.name for group in user.groups.all()]
