"""How django-otp-webauthn makes and records a passkey here (its OTP_WEBAUTHN_HELPER_CLASS): a
new passkey is given a name its holder can tell apart until they choose their own, and its
holder is told of it through the same service as any other change to their sign-in."""

from __future__ import annotations

from django.utils import timezone
from django_otp_webauthn.helpers import WebAuthnHelper

from iro_service.signin.services import passkey_added

PASSKEY_NAME = "Passkey"


class PasskeyHelper(WebAuthnHelper):
    def create_credential(self, user, response, parsed_credential, original_data):
        passkey = super().create_credential(user, response, parsed_credential, original_data)
        # The library leaves the name empty; a list of several "Passkey" rows would be no help.
        passkey.name = f"{PASSKEY_NAME} added {timezone.localdate():%-d %B %Y}"
        return passkey

    def register_complete(self, user, state: dict, data: dict):
        passkey = super().register_complete(user, state, data)
        passkey_added(passkey=passkey)
        return passkey
