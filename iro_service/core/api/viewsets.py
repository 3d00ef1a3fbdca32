"""The base viewset every records endpoint uses: authentication, scopes, pagination and the
access log in one place (NetBox-style), so no endpoint can forget one of them."""

from __future__ import annotations

from rest_framework import viewsets
from rest_framework.response import Response

from iro_service.audit.models import AccessChannel
from iro_service.audit.services import access_log_record_many
from iro_service.core.api.pagination import StandardPagination
from iro_service.core.api.permissions import RecordsScope


class RecordsViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only records of children. Every record returned is written to the access log,
    against the child it is about (``child_of``)."""

    permission_classes = [RecordsScope]
    pagination_class = StandardPagination
    access_what = "API record"

    def child_ids_of(self, instance) -> list[int]:
        """The children a row is about; most rows have a ``child`` foreign key."""
        child_id = getattr(instance, "child_id", None)
        return [child_id] if child_id else []

    def _log(self, rows, what: str) -> None:
        child_ids = [child_id for row in rows for child_id in self.child_ids_of(row)]
        if child_ids:
            access_log_record_many(
                request=self.request, child_ids=child_ids, what=what, channel=AccessChannel.API
            )

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        self._log(rows, f"{self.access_what} (list)")
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        self._log([instance], self.access_what)
        return Response(self.get_serializer(instance).data)
