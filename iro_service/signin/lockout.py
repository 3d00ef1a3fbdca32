"""django-axes counting failed sign-ins by username and by address, each with its own limit."""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


class UsernameAndAddressHandler(AxesDatabaseHandler):
    """axes's database handler, with the address counted against a higher limit.

    With ``AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]`` axes takes the larger of the
    failures for the username and for the address and compares it with one limit. Here the
    address's failures count only once they reach ``AXES_ADDRESS_FAILURE_LIMIT``: a username is
    locked after 5 failures, an address (one password sprayed across many usernames) after 30,
    and an office of people making the odd typo is never locked out together."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        by_username, by_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if by_address >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return max(by_username, settings.AXES_FAILURE_LIMIT)
        return by_username
