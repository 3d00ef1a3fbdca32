"""API permissions: the token's scope and the user's model permissions must both allow it."""

from __future__ import annotations

from django.conf import settings
from rest_framework import permissions

from iro_service.audit.models import ApiScope, ApiToken


def _token_allows(request, scope: str) -> bool:
    token = request.auth
    if isinstance(token, ApiToken):
        return scope in token.scopes
    # Session-authenticated staff in the browser: their role's permissions decide.
    return True


def _signed_in(request) -> bool:
    return bool(request.user and request.user.is_authenticated)


def method_offered(request, view) -> bool:
    """Whether the endpoint answers this method at all. DRF checks permissions before it looks
    for the method's handler, so without this a DELETE on a read-only endpoint would be refused
    for want of a delete permission (403) when the truth is that no one may DELETE there (405)."""
    method = request.method.lower()
    # A viewset has a handler only for the methods its route maps to an action.
    return method in view.http_method_names and hasattr(view, method)


class FiguresScope(permissions.BasePermission):
    """The figures: the token's 'figures' scope, for a user whose role sees children (every
    role does; an account with no role gets nothing, as on the web pages)."""

    message = "This token does not have the 'figures' scope."

    def has_permission(self, request, view):
        if not _signed_in(request):
            return False
        if not method_offered(request, view):
            return True  # the view answers 405
        if not request.user.has_perm("people.view_child"):
            self.message = "Your account has no role that may see the figures."
            return False
        return _token_allows(request, ApiScope.FIGURES)


class RecordsScope(permissions.DjangoModelPermissions):
    """Reads need the 'read' scope and the model's view permission; writes need the 'write'
    scope and the add/change permission."""

    perms_map = {
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": [],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "POST": ["%(app_label)s.add_%(model_name)s"],
        "PUT": ["%(app_label)s.change_%(model_name)s"],
        "PATCH": ["%(app_label)s.change_%(model_name)s"],
        "DELETE": ["%(app_label)s.delete_%(model_name)s"],
    }

    def has_permission(self, request, view):
        if not _signed_in(request):
            return False
        if not method_offered(request, view):
            return True  # the view answers 405
        return self.scope_allows(request) and super().has_permission(request, view)

    def scope_allows(self, request) -> bool:
        """The token (if any) has the scope the method needs: 'read' to read, 'write' to write."""
        scope = ApiScope.READ if request.method in permissions.SAFE_METHODS else ApiScope.WRITE
        if _signed_in(request) and not _token_allows(request, scope):
            self.message = f"This token does not have the '{scope}' scope."
            return False
        return True


class DeclaredRecordsScope(RecordsScope):
    """Records that are not one model's rows, such as the records behind a figure: the token's
    scope as for any records endpoint, and every view permission the view declares for what
    its rows show (``view.required_permissions()``)."""

    def has_permission(self, request, view):
        if not _signed_in(request):
            return False
        if not method_offered(request, view):
            return True  # the view answers 405
        return self.scope_allows(request) and request.user.has_perms(view.required_permissions())


class SchemaAccess(permissions.BasePermission):
    """The OpenAPI schema and its docs page describe every endpoint and field of children's
    records: for signed-in staff and token holders only, unless ``API_DOCS_PUBLIC`` opens them."""

    def has_permission(self, request, view):
        return settings.API_DOCS_PUBLIC or _signed_in(request)
