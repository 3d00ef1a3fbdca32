"""Token authentication with scopes, for REST clients."""

from __future__ import annotations

import hmac

from django.utils import timezone
from rest_framework import authentication, exceptions

from iro_service.audit.models import ApiToken
from iro_service.audit.services import api_token_hash


class ScopedTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token <prefix>.<secret>`` (or ``Bearer``). ``request.auth`` is the
    ApiToken, whose scopes the permission classes check."""

    keywords = ("token", "bearer")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace").lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send the token as 'Authorization: Token <token>'.")
        try:
            prefix, secret = header[1].decode().split(".", 1)
        except (UnicodeDecodeError, ValueError):
            raise exceptions.AuthenticationFailed("That token is not valid.") from None
        token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
        if token is None or not hmac.compare_digest(token.secret_hash, api_token_hash(secret)):
            raise exceptions.AuthenticationFailed("That token is not valid.")
        now = timezone.now()
        if token.revoked_at is not None or (token.expires_at and token.expires_at <= now):
            raise exceptions.AuthenticationFailed("That token has been revoked or has expired.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("The account behind that token is disabled.")
        # Record use at most once a minute: an UPDATE per request would be wasted writes.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        # Makes DRF answer 401 (not 403) to a request with no or bad credentials.
        return 'Token realm="api"'
