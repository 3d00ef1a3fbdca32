"""What the statutory-return commands share: putting a run down to a named staff account."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


def add_user_argument(parser) -> None:
    parser.add_argument(
        "--user",
        help="Username of the staff member the run is put down to: in the import and export history, "
        "on the history of every record an import writes, and (for an export) in the access log for "
        "each child. Default: the operating-system account, with no access-log entries.",
    )


def user_from(options) -> object | None:
    """The active user named by --user, or None; a clear error for any other name."""
    username = options.get("user")
    if not username:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"--user {username}: there is no active user with that username.", returncode=2)
    return user
