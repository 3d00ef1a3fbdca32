"""Where a page goes after a change: to the page the user came from, if that is one of ours.

A ``next`` address comes from the browser, so anyone can craft a link whose ``next`` is another
site (a look-alike sign-in page, say) or a ``javascript:`` URL. Every page that honours a
``next`` asks this module, so the check is written once."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, default: str) -> str:
    """The ``next`` sent with the request (POST first, then the query string) if it points at
    this site, otherwise ``default``. Scheme-relative (``//host``) and non-HTTP(S) addresses
    are refused by Django's check."""
    for value in (request.POST.get("next"), request.GET.get("next")):
        if value and url_has_allowed_host_and_scheme(
            value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return value
    return default
