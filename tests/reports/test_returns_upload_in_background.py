"""Without Redis (Celery eager, as in the tests), an upload on the statutory returns page must not
be imported inside the web request: a national return took 24 s there. The page answers at once
with the import queued or running, and the import runs after the response has been sent.

These tests go through a real HTTP server (``live_server``): the Django test client only hands
the response back after the request has finished, so it cannot tell "before" from "after"."""

from __future__ import annotations

import http.client
import time
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from iro_service.audit.models import DataExchange
from reviews.models import LacReview
from tests.reports.test_returns_pages import uploads

pytestmark = pytest.mark.django_db(transaction=True)

# Any 32 letters: the CSRF check compares the cookie with the header sent with it.
CSRF_SECRET = "a" * 32


def _request(live_server, client, method, path, body=b"", content_type=None, timeout=10):
    """One request to the live server as the user signed in on ``client``."""
    address = urlsplit(live_server.url)
    server = http.client.HTTPConnection(address.hostname, address.port, timeout=timeout)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    headers = {
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={CSRF_SECRET}",
        "X-CSRFToken": CSRF_SECRET,
    }
    if content_type:
        headers["Content-Type"] = content_type
    try:
        server.request(method, path, body=body, headers=headers)
        response = server.getresponse()
        return response.status, response.getheader("Location"), response.read().decode()
    finally:
        server.close()


def _wait_for(predicate, seconds=30):
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "the import did not finish"
        time.sleep(0.1)


def test_the_upload_page_answers_before_the_import_runs_and_the_import_then_runs(
    live_server, client, manager_user
):
    """GIVEN no Redis (jobs run in-process) and the children table held by another transaction,
    so that an import which started would wait
    WHEN a manager uploads the three-child SSDA903 return
    THEN the page answers at once with a redirect to the import's page, which says the import
    has not finished
    WHEN the other transaction ends
    THEN the import runs to the end and writes the five reviews.

    Before the fix the import ran inside the request: the POST waited on the lock and timed out."""
    client.force_login(manager_user)
    body = encode_multipart(BOUNDARY, uploads())
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Reads still work; the import's first write of a child waits for this to end.
            cursor.execute("LOCK TABLE people_child IN EXCLUSIVE MODE")
        started = time.monotonic()
        status, location, _ = _request(
            live_server, client, "POST", reverse("reports:returns-import-903"), body, MULTIPART_CONTENT
        )
        answered_in = time.monotonic() - started
        run = DataExchange.objects.get()
        assert (status, location) == (302, reverse("reports:returns-detail", args=[run.pk]))
        assert answered_in < 5
        assert run.outcome in ("queued", "running")
        status, _, page = _request(live_server, client, "GET", location)
        assert status == 200
        assert "The import has not finished yet" in page
        assert LacReview.objects.count() == 0

    _wait_for(lambda: DataExchange.objects.get().outcome != "running")
    run = DataExchange.objects.get()
    assert run.outcome == "imported"
    assert LacReview.objects.count() == 5
    _, _, page = _request(live_server, client, "GET", location)
    assert "The return was imported." in page
