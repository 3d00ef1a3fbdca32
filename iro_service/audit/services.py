"""Writes to the access log."""

from __future__ import annotations

from collections.abc import Iterable

from iro_service.audit.models import AccessChannel, AccessLog
from iro_service.people.models import Child


def _client_ip(request) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites
    # it, and a forged address in an audit log is worse than none.
    return request.META.get("REMOTE_ADDR") or None


def access_log_record(*, request, child: Child, what: str, channel: str = AccessChannel.WEB) -> AccessLog:
    """Log that ``request.user`` viewed ``child``'s record."""
    return AccessLog.objects.create(
        user=request.user,
        child=child,
        channel=channel,
        what=what[:120],
        path=request.get_full_path()[:500],
        ip_address=_client_ip(request),
    )


def access_log_record_many(
    *, request, child_ids: Iterable[int], what: str, channel: str = AccessChannel.API
) -> int:
    """Log one view per child in a single INSERT (API lists, exports)."""
    rows = [
        AccessLog(
            user=request.user,
            child_id=child_id,
            channel=channel,
            what=what[:120],
            path=request.get_full_path()[:500],
            ip_address=_client_ip(request),
        )
        for child_id in set(child_ids)
    ]
    AccessLog.objects.bulk_create(rows)
    return len(rows)
