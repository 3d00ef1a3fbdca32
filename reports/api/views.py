"""The figures endpoints (docs/figures.md, generated from the registry): thin views over
reports.selectors."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from iro_service.api.pagination import StandardPagination
from iro_service.api.permissions import DeclaredRecordsScope, FiguresScope
from iro_service.audit.models import AccessChannel
from iro_service.audit.services import access_log_record_many
from iro_service.signin.recent import RecentSignInForSessions
from reports.api.serializers import (
    CatalogueEntrySerializer,
    ErrorSerializer,
    FiguresDocumentSerializer,
    SeriesDocumentSerializer,
)
from reports.figures import FigureQueryError
from reports.figures.base import records_child_ids
from reports.selectors import (
    figure_catalogue,
    figure_catalogue_markdown,
    figure_query_parse,
    figure_records_for,
    figure_records_hidden,
    figure_records_need,
    figure_series,
    figures_document,
)

PERIOD_PARAMETERS = [
    OpenApiParameter("start", OpenApiTypes.DATE, required=True, description="First day, e.g. 2016-04-01"),
    OpenApiParameter("end", OpenApiTypes.DATE, required=True, description="Last day, e.g. 2017-03-31"),
    OpenApiParameter("team", OpenApiTypes.INT, description="Only this team's IROs' work"),
    OpenApiParameter("iro", OpenApiTypes.INT, description="Only this IRO's work"),
]


def _bad_request(error: FigureQueryError) -> Response:
    return Response({name: [message] for name, message in error.errors.items()}, status=400)


class FiguresView(APIView):
    """Performance figures for a period. Every key's definition is at /api/v1/figures/definitions/
    (the repository's docs/figures.md) and, as JSON, at /api/v1/figures/keys/."""

    permission_classes = [FiguresScope]

    @extend_schema(
        parameters=[
            *PERIOD_PARAMETERS,
            OpenApiParameter("keys", OpenApiTypes.STR, description="Comma-separated keys (default: all)"),
        ],
        responses={200: FiguresDocumentSerializer, 400: ErrorSerializer},
    )
    def get(self, request):
        try:
            query, keys = figure_query_parse(request.query_params)
        except FigureQueryError as error:
            return _bad_request(error)
        return Response(figures_document(query=query, keys=keys))


class FigureSeriesView(APIView):
    """One figure for each month or quarter of the period, for trend charts."""

    permission_classes = [FiguresScope]

    @extend_schema(
        parameters=[
            *PERIOD_PARAMETERS,
            OpenApiParameter("interval", OpenApiTypes.STR, enum=["month", "quarter"], default="month"),
        ],
        responses={200: SeriesDocumentSerializer, 400: ErrorSerializer},
    )
    def get(self, request, key: str):
        try:
            query, _ = figure_query_parse({**request.query_params.dict(), "keys": key})
            document = figure_series(
                query=query, key=key, interval=request.query_params.get("interval", "month")
            )
        except FigureQueryError as error:
            return _bad_request(error)
        return Response(document)


class FigureRecordsView(APIView):
    """The records behind a figure (drill-down), paginated. They are children's records, so
    they need the token's 'read' scope and the view permissions of what the figure's rows
    show, and every child on the page returned is written to the access log, as on every
    other records endpoint."""

    permission_classes = [DeclaredRecordsScope, RecentSignInForSessions]

    def required_permissions(self) -> tuple[str, ...]:
        return figure_records_need(self.kwargs["key"])

    def permission_denied(self, request, message=None, code=None):
        # Someone who may not see HSB records gets the 404 every HSB page and endpoint gives them
        # (a token short of the 'read' scope is still told so, with 403).
        hidden = figure_records_hidden(self.kwargs["key"])
        if (
            hidden
            and request.user.is_authenticated
            and not request.user.has_perms(self.required_permissions())
        ):
            raise NotFound()
        super().permission_denied(request, message=message, code=code)

    @extend_schema(parameters=PERIOD_PARAMETERS, responses={200: OpenApiTypes.OBJECT, 400: ErrorSerializer})
    def get(self, request, key: str):
        try:
            query, _ = figure_query_parse({**request.query_params.dict(), "keys": key})
            rows = figure_records_for(user=request.user, query=query, key=key)
        except FigureQueryError as error:
            return _bad_request(error)
        paginator = StandardPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        child_ids = records_child_ids(page)
        if child_ids:
            access_log_record_many(
                request=request, child_ids=child_ids, what=f"Figure records: {key}", channel=AccessChannel.API
            )
        return paginator.get_paginated_response(page)


class FigureCatalogueView(APIView):
    """Every figure key with its kind and definition."""

    permission_classes = [FiguresScope]

    @extend_schema(responses={200: CatalogueEntrySerializer(many=True)})
    def get(self, request):
        return Response(figure_catalogue())


class FigureDefinitionsView(APIView):
    """The definition of every figure as Markdown: the repository's docs/figures.md, generated
    from the same registry the figures are computed by, so it cannot drift from them."""

    permission_classes = [FiguresScope]

    @extend_schema(responses={(200, "text/markdown"): OpenApiTypes.STR})
    def get(self, request):
        return HttpResponse(figure_catalogue_markdown(), content_type="text/markdown; charset=utf-8")
