"""Reads of the access log and of record history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from iro_service.audit.models import AccessLog, DataExchange
from iro_service.core.restriction import restrict

if TYPE_CHECKING:  # the access log sits below the people app: no import at run time
    from iro_service.people.models import Child


def access_log_for_child(*, child: Child) -> QuerySet[AccessLog]:
    return AccessLog.objects.filter(child=child).select_related("user").order_by("-viewed_at")


def access_log_list(*, user) -> QuerySet[AccessLog]:
    """The access log, newest first, without the views of children hidden from ``user``: the
    log of a restricted child is for the staff named on the restriction."""
    return restrict(AccessLog.objects.select_related("user", "child"), user).order_by("-viewed_at")


def data_exchange_list() -> QuerySet[DataExchange]:
    return DataExchange.objects.select_related("user").order_by("-started_at")
