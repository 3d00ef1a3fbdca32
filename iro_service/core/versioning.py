"""Refusing a lost update: a change made from a page or an API read of a record that someone
else has saved since. Every app's services that change a record several people edit call
``refuse_if_changed_since`` with the version (``updated_at``) the editor started from."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class StaleRecordError(ValidationError):
    """Someone else saved the record after it was opened for editing."""


def refuse_if_changed_since(locked, seen_updated_at: datetime | None, *, what: str) -> None:
    """Refuse a change made from a stale page or API read: ``locked`` is the row as locked for
    the change, ``seen_updated_at`` the version the editor started from (None: no check, as for
    a script that has just read the row). Without it two people editing at once would silently
    overwrite each other. The message is for the whole record, so it heads the error summary."""
    if seen_updated_at is not None and locked.updated_at != seen_updated_at:
        raise StaleRecordError(
            {
                NON_FIELD_ERRORS: f"Someone else changed this {what} while you were editing. "
                "Reload the page to see their changes, then make yours again."
            }
        )
