"""The roles now live in the kernel's floor, ``iro_service.core.roles``; these names are
re-exported while the last callers move there."""

from iro_service.core.roles import ROLE_PERMISSIONS as ROLE_PERMISSIONS
from iro_service.core.roles import Role as Role
from iro_service.core.roles import roles_sync_permissions as roles_sync_permissions
from iro_service.core.roles import user_role_names as user_role_names
