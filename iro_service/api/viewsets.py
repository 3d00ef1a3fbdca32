"""The base viewset every records endpoint uses: authentication, scopes, pagination and the
access log in one place (NetBox-style), so no endpoint can forget one of them."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import Model
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.settings import api_settings

from iro_service.api.pagination import StandardPagination
from iro_service.api.permissions import RecordsScope, _token_allows
from iro_service.audit.models import AccessChannel, ApiScope
from iro_service.audit.services import access_log_record_many
from iro_service.core.restriction import NOT_YOUR_RECORD, may_change_record, may_reach, restrict
from iro_service.core.versioning import StaleRecordError


class RecordsViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only records of children. Every record returned is written to the access log,
    against the child it is about (``child_of``)."""

    permission_classes = [RecordsScope]
    pagination_class = StandardPagination
    access_what = "API record"

    def filter_queryset(self, queryset):
        """The view's filters, and the restriction of children's records to who may reach them:
        DRF's ``get_object`` and ``list`` both come through here, so a record of a child hidden
        from the user is a 404 on every detail route and action, and absent from every list."""
        return restrict(super().filter_queryset(queryset), self.request.user)

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


class StaleVersion(exceptions.APIException):
    """The record changed since the client read it: 409, naming ``version``."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "stale_version"
    default_detail = "Someone else changed this record since you read it."


def _field_errors(exc: DjangoValidationError, rename: dict[str, str]) -> dict[str, list[str]]:
    """A service's ``ValidationError({field: message})`` as DRF's ``{field: [messages]}``, with
    the service's field names turned into the API's (a review's ``review_date`` is the API's
    ``parts``)."""
    if not hasattr(exc, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
    errors: dict[str, list[str]] = {}
    for field, messages in exc.message_dict.items():
        if field == NON_FIELD_ERRORS:
            field = api_settings.NON_FIELD_ERRORS_KEY
        errors.setdefault(rename.get(field, field), []).extend(messages)
    return errors


class ServiceActionScope(RecordsScope):
    """RecordsScope, except that an action named in the view's ``action_permissions`` needs that
    permission (e.g. ``conferences.book_conference``) rather than the model's add/change one:
    the web pages check the same permission for the same workflow."""

    def has_permission(self, request, view):
        permission = getattr(view, "action_permissions", {}).get(getattr(view, "action", None))
        if permission is None:
            return super().has_permission(request, view)
        if not (request.user and request.user.is_authenticated):
            return False
        if not _token_allows(request, ApiScope.WRITE):
            self.message = f"This token does not have the '{ApiScope.WRITE}' scope."
            return False
        return request.user.has_perm(permission)


class RecordsWriteViewSet(RecordsViewSet):
    """Records that a REST client may also write. Writes never save a serializer: they call the
    app's service, so the API applies exactly the validation the web pages do. A service's
    ``ValidationError`` becomes a 400 naming the API's field, a stale ``version`` a 409, and the
    record returned is written to the access log like any other read."""

    permission_classes = [ServiceActionScope]
    # Service field name -> API field name, where they differ.
    error_fields: dict[str, str] = {}
    # Action -> the one permission it needs, when not the model's add/change permission.
    action_permissions: dict[str, str] = {}

    def call_service(self, service, /, **kwargs):
        try:
            return service(**kwargs)
        except StaleRecordError as exc:
            raise StaleVersion({"version": exc.messages}) from None
        except DjangoValidationError as exc:
            raise serializers.ValidationError(_field_errors(exc, self.error_fields)) from None
        except IntegrityError:
            # The services validate first; this is two clients racing for the same record.
            raise StaleVersion(
                {
                    api_settings.NON_FIELD_ERRORS_KEY: [
                        "Another change to this record got there first. Try again."
                    ]
                }
            ) from None

    def refuse_unless_theirs(self, *, chair_id: int | None, child_ids) -> None:
        """403 with the reason, unless the user may change this review or conference record
        (its chair, a child's current IRO, business support, a manager)."""
        if not may_change_record(self.request.user, chair_id=chair_id, child_ids=child_ids):
            raise exceptions.PermissionDenied(NOT_YOUR_RECORD)

    def input_data(self, serializer_class, *, instance=None) -> dict:
        """The request body parsed by ``serializer_class``: all of it for a create, only the
        fields sent for a change of ``instance`` (a PATCH)."""
        serializer = serializer_class(
            instance,
            data=self.request.data,
            partial=instance is not None,
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        self.refuse_hidden_records(serializer, data)
        return data

    def refuse_hidden_records(self, serializer, data: dict) -> None:
        """400, as for a number that matches no record, for a body naming a child (or a child's
        record) hidden from the user, at any depth (a conference's list of children): a write
        cannot add to a restricted child's record, nor tell by its answer that the child
        exists. One query for each record named."""
        for field, value in data.items():
            items = value if isinstance(value, list | tuple) else [value]
            for item in items:
                if isinstance(item, dict):
                    child_serializer = serializer.fields.get(field)
                    nested = getattr(child_serializer, "child", child_serializer)
                    self.refuse_hidden_records(nested, item)
                elif isinstance(item, Model) and not may_reach(self.request.user, item):
                    # The field's own answer to a number that matches no record, word for word.
                    field_object = getattr(serializer, "fields", {}).get(field)
                    messages = getattr(
                        getattr(field_object, "child_relation", field_object), "error_messages", {}
                    )
                    message = messages.get(
                        "does_not_exist", 'Invalid pk "{pk_value}" - object does not exist.'
                    )
                    raise serializers.ValidationError({field: [message.format(pk_value=item.pk)]})

    @staticmethod
    def pop_version(data: dict):
        """The ``version`` (``updated_at``) the client read: a change without one could silently
        overwrite someone else's."""
        version = data.pop("version", None)
        if version is None:
            raise serializers.ValidationError(
                {"version": ["Send the version of the record you read, so a stale change can be refused."]}
            )
        return version

    def written(self, instance, *, created: bool) -> Response:
        """The record as the read endpoints show it, re-read with their joins. A record whose
        service checked it against the DfE's return rules comes back with ``dfe_warnings``: the
        rules it breaks, each with its code and the DfE's message (saved all the same)."""
        warnings = getattr(instance, "dfe_warnings", None)
        instance = self.get_queryset().get(pk=instance.pk)
        self._log([instance], f"{self.access_what} ({'created' if created else 'changed'})")
        data = self.get_serializer(instance).data
        if warnings is not None:
            data = {**data, "dfe_warnings": [warning.as_dict() for warning in warnings]}
        return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class DfeWarningSerializer(serializers.Serializer):
    """One DfE return rule the saved record's child breaks (``DfeWarning.as_dict``): the record
    is saved all the same, and the warning says what to put right before the return."""

    rule = serializers.CharField(
        help_text="The DfE's code for the rule: an SSDA903 rule (`362`) or a CIN census one (`8615`)."
    )
    message = serializers.CharField(help_text="The DfE's own message for the rule.")
    record = serializers.CharField(
        help_text="The kind of record that breaks it (`episode`, `lac_review`, `section47_enquiry`, ...), "
        "not always the one saved."
    )
    record_id = serializers.IntegerField(help_text="The id of the record that breaks it.")
    child = serializers.IntegerField(help_text="The id of the child whose record breaks it.")
    date = serializers.DateField(help_text="The date of the record that breaks it.")
    detail = serializers.CharField(help_text="What in the record breaks the rule, in plain words.")


_WITH_DFE_WARNINGS: dict[type, type] = {}


def with_dfe_warnings(
    serializer_class: type[serializers.ModelSerializer],
) -> type[serializers.ModelSerializer]:
    """The schema of the answer of a write whose service checks the DfE's return rules: the
    record as ``serializer_class`` shows it, with the ``dfe_warnings`` ``written`` adds. Made
    once per serializer, so each answer is one component (``PeriodOfCareSaved``) that every
    endpoint saving that record refers to, and each warning the one ``DfeWarning``."""
    if serializer_class not in _WITH_DFE_WARNINGS:
        name = serializer_class.__name__.removesuffix("Serializer")
        meta = type(
            "Meta", (serializer_class.Meta,), {"fields": [*serializer_class.Meta.fields, "dfe_warnings"]}
        )
        warnings = DfeWarningSerializer(
            many=True,
            read_only=True,
            help_text="The DfE return rules the child's records break once this is saved (empty if none).",
        )
        _WITH_DFE_WARNINGS[serializer_class] = type(
            f"{name}SavedSerializer",
            (serializer_class,),
            {
                "__module__": serializer_class.__module__,
                "__doc__": "The record as saved, with the DfE return rules its child's records break.",
                "Meta": meta,
                "dfe_warnings": warnings,
            },
        )
    return _WITH_DFE_WARNINGS[serializer_class]


# The error answers every write endpoint can give, for its schema: ``responses={201: ..., **WRITE_ERRORS}``.
WRITE_ERRORS = {
    400: OpenApiResponse(
        description="Bad input: `{field: [messages]}` naming each field and what to do; nothing was changed."
    ),
    409: OpenApiResponse(
        description='`{"version": [message]}`: the record changed since the `version` sent; read it again.'
    ),
}
