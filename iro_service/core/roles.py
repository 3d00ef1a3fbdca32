"""The sign-in roles, as Django groups, and what each may do.

Each app declares what each role may do with its own models, in its ``roles.py``, named by its
AppConfig's ``role_permissions``; ``ROLE_PERMISSIONS`` gathers them from every installed app, so
that an app added later needs no edit here. The groups are created by a data migration
(``audit/0002_role_groups``); after every ``migrate`` the permissions of each group are set from
``ROLE_PERMISSIONS``. Pages and API views check permissions, never group names.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping

from django.db import models

logger = logging.getLogger(__name__)


class Role(models.TextChoices):
    IRO = "IRO", "IRO"
    IRO_MANAGER = "IRO manager", "IRO manager"
    BUSINESS_SUPPORT = "Business support", "Business support"
    SENIOR_MANAGER = "Senior manager", "Senior manager (read-only)"
    API_CLIENT = "API client", "API client (read-only)"


class _RolePermissions(Mapping):
    """Role -> the permission names it holds, gathered from every installed app's
    ``role_permissions`` (read when first used, once the app registry is ready)."""

    def _table(self) -> dict[str, list[str]]:
        from django.apps import apps

        table: dict[str, list[str]] = {role: [] for role in Role}
        for config in apps.get_app_configs():
            for role, names in getattr(config, "role_permissions", {}).items():
                table[role].extend(names)
        return table

    def __getitem__(self, role: str) -> list[str]:
        return self._table()[role]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table())

    def __len__(self) -> int:
        return len(Role)


ROLE_PERMISSIONS: Mapping[str, list[str]] = _RolePermissions()


def roles_sync_permissions(sender=None, **kwargs) -> None:
    """Give each role group exactly the permissions ``ROLE_PERMISSIONS`` lists.

    Connected to post_migrate, which Django sends once per installed app that has models: only
    the last such app's signal does the work, when every app's permissions exist (a few queries,
    not hundreds). An app with no models gets no signal, so it cannot be the one waited for."""
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender is not None and sender.label != with_models[-1].label:
        return
    using = kwargs.get("using", "default")
    available = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.using(using).values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=role)
        missing = [name for name in names if name not in available]
        if missing:
            # An app not migrated yet (e.g. migrating one app at a time); the next migrate adds them.
            logger.debug("Permissions not yet created: %s", ", ".join(missing))
        group.permissions.set([available[name] for name in names if name in available])


def user_role_names(user) -> list[str]:
    if not user.is_authenticated:
        return []
    return [group.name for group in user.groups.all()]
