"""Signing staff in with the council's identity provider over OpenID Connect (mozilla-django-oidc).

The provider says who the person is (the ``OIDC_USERNAME_CLAIM`` claim) and which groups they
are in (``OIDC_GROUPS_CLAIM``); ``OIDC_GROUP_ROLES`` turns the groups into our roles at every
sign-in, so a change made in the council's directory takes effect the next time they sign in.
Someone in none of the mapped groups is refused: an account in the directory is not a reason
to see children's records. The ID token's signature (RS256, against the provider's published
keys), its nonce, the state and PKCE are all checked by mozilla-django-oidc.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from iro_service.core.roles import Role
from iro_service.signin.session import session_reauthenticated

logger = logging.getLogger(__name__)


def council_sign_in_enabled() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID)


def roles_for_groups(groups) -> list[str]:
    """Our roles for the provider's groups, by ``OIDC_GROUP_ROLES``; the API client role never."""
    if isinstance(groups, str):
        groups = [groups]
    roles = {role for group in groups or [] for role in settings.OIDC_GROUP_ROLES.get(str(group), [])}
    return sorted(roles - {Role.API_CLIENT})


class CouncilOidcBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, matching staff by the username claim (not by email, which
    two accounts may share), and setting their roles from their groups."""

    def __init__(self, *args, **kwargs):
        # Listed in AUTHENTICATION_BACKENDS always; it does nothing until the provider is set up.
        if council_sign_in_enabled():
            super().__init__(*args, **kwargs)

    def authenticate(self, request, **kwargs):
        if not council_sign_in_enabled() or request is None:
            return None
        return super().authenticate(request, **kwargs)

    def get_user(self, user_id):
        if not council_sign_in_enabled():
            return None
        return super().get_user(user_id)

    def _username(self, claims) -> str:
        return str(claims.get(settings.OIDC_USERNAME_CLAIM) or "").strip().lower()[:150]

    def verify_claims(self, claims) -> bool:
        return bool(self._username(claims))

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(username__iexact=self._username(claims))

    def get_or_create_user(self, access_token, id_token, payload):
        user_info = self.get_userinfo(access_token, id_token, payload)
        # Groups may come in the ID token (Entra ID's default) or from the userinfo endpoint.
        groups = user_info.get(settings.OIDC_GROUPS_CLAIM, payload.get(settings.OIDC_GROUPS_CLAIM, []))
        roles = roles_for_groups(groups)
        if not roles:
            logger.warning(
                "Council sign-in refused: %s is in no group mapped to a role", self._username(user_info)
            )
            return None
        with transaction.atomic():
            user = super().get_or_create_user(access_token, id_token, payload)
            if user is None:
                return None
            if not user.is_active:
                return None
            self._update_from_claims(user, user_info, roles)
        return user

    def create_user(self, claims):
        user = self.UserModel(username=self._username(claims))
        # The provider owns this person's credentials: no password will sign them in here.
        user.set_unusable_password()
        user.save()
        return user

    def _update_from_claims(self, user, claims, roles: list[str]) -> None:
        user.first_name = str(claims.get("given_name") or user.first_name)[:150]
        user.last_name = str(claims.get("family_name") or user.last_name)[:150]
        user.email = str(claims.get("email") or user.email)[:254]
        user.save(update_fields=["first_name", "last_name", "email"])
        role_groups = Group.objects.filter(name__in=list(Role))
        user.groups.remove(*role_groups.exclude(name__in=roles))
        user.groups.add(*role_groups.filter(name__in=roles))


class CouncilSignInStart(OIDCAuthenticationRequestView):
    """Off to the council's identity provider. ``?again=1`` asks it to take the credentials
    again even if the person is signed in there (``prompt=login``, ``max_age=0``)."""

    def __init__(self, *args, **kwargs):
        if council_sign_in_enabled():
            super().__init__(*args, **kwargs)

    def get(self, request):
        if not council_sign_in_enabled():
            raise Http404("Signing in with the council's identity provider is not set up.")
        return super().get(request)

    def get_extra_params(self, request):
        params = dict(super().get_extra_params(request))
        if request.GET.get("again"):
            params.update({"prompt": "login", "max_age": "0"})
        return params


class CouncilSignInCallback(OIDCAuthenticationCallbackView):
    """Back from the provider. A person signing in again as themselves is not logged in anew
    (mozilla-django-oidc keeps the session), so the time their credentials were given is set
    here as well."""

    def get(self, request):
        if not council_sign_in_enabled():
            raise Http404("Signing in with the council's identity provider is not set up.")
        try:
            return super().get(request)
        except SuspiciousOperation:
            # A state that this browser did not start (replayed or forged): refused, plainly.
            logger.warning("Council sign-in refused: a callback with a state this session did not start")
            return self.login_failure()

    def login_success(self):
        response = super().login_success()
        session_reauthenticated(self.request)
        return response
