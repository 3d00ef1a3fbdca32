"""The response link in an alert's email, for an addressee without an account: valid, expired,
reused, tampered with, forged, for a resolved alert. Refused links get a plain page saying so,
and nothing changes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from qa_alerts import services
from qa_alerts.models import AlertNotice, AlertResponse, ResponseLink
from qa_alerts.services.responses import LINK_SALT
from tests.factories.qa_alerts import child_in_care, raise_alert

pytestmark = pytest.mark.django_db


@pytest.fixture
def link():
    child = child_in_care(first_name="Amelia", last_name="Hartley")
    alert = raise_alert(child=child, description="The pathway plan is six months out of date.")
    row, token = services.response_link_issue(alert=alert, stage=0, recipient="pat@example.invalid")
    return {"alert": alert, "row": row, "token": token, "url": reverse("qa_alerts:respond", args=[token])}


def test_a_valid_link_shows_only_the_alerts_text_and_a_form(client, link):
    response = client.get(link["url"])
    page = response.content.decode()
    assert response.status_code == 200
    assert "The pathway plan is six months out of date." in page
    assert link["alert"].children.get().child.local_child_id in page
    assert "Amelia" not in page and "Hartley" not in page
    assert "Sign out" not in page  # no account, no navigation
    assert response["Cache-Control"].startswith("max-age=0")


def test_sending_a_response_records_it_for_the_iro_to_judge_and_uses_the_link(client, link):
    response = client.post(
        link["url"], {"responder_name": "Pat Practitioner", "summary": "Plan updated today."}
    )
    assert response.status_code == 200
    assert "Response sent" in response.content.decode()
    answer = AlertResponse.objects.get()
    assert (answer.through_link, answer.satisfactory, answer.received_on) == (
        True,
        None,
        timezone.localdate(),
    )
    assert answer.recorded_by is None
    assert ResponseLink.objects.get().used_at is not None
    notice = AlertNotice.objects.get()
    assert (notice.iro_id, notice.kind) == (link["alert"].raised_by_id, "response_received")


def test_a_reused_link_gets_a_plain_page_and_changes_nothing(client, link):
    client.post(link["url"], {"responder_name": "Pat", "summary": "First"})
    for response in (
        client.get(link["url"]),
        client.post(link["url"], {"responder_name": "Pat", "summary": "Again"}),
    ):
        assert response.status_code == 410
        assert "This link has already been used" in response.content.decode()
    assert AlertResponse.objects.count() == 1


def test_an_expired_link_gets_a_plain_page_and_changes_nothing(client, link):
    ResponseLink.objects.filter(pk=link["row"].pk).update(
        created_at=timezone.now() - timedelta(days=40), expires_at=timezone.now() - timedelta(days=12)
    )
    response = client.post(link["url"], {"responder_name": "Pat", "summary": "Late"})
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    assert not AlertResponse.objects.exists()
    assert ResponseLink.objects.get().used_at is None


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # the signature
        lambda token: "x" + token,
        lambda token: "not-a-token",
    ],
)
def test_a_tampered_link_is_not_valid(client, link, tamper):
    response = client.get(reverse("qa_alerts:respond", args=[tamper(link["token"])]))
    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()


def test_a_link_signed_for_the_right_row_with_the_wrong_secret_is_not_valid(client, link):
    # As if someone could sign but did not have the secret sent in the email.
    forged = signing.dumps({"l": link["row"].pk, "s": "guessed"}, salt=LINK_SALT)
    response = client.post(
        reverse("qa_alerts:respond", args=[forged]), {"responder_name": "X", "summary": "Y"}
    )
    assert response.status_code == 404
    assert not AlertResponse.objects.exists()


def test_a_link_for_a_resolved_alert_says_so(client, link):
    services.alert_resolve(alert=link["alert"], outcome="withdrawn", resolved_on=date(2016, 10, 20))
    response = client.get(link["url"])
    assert response.status_code == 410
    assert "This alert has been resolved" in response.content.decode()


def test_a_response_with_nothing_in_it_names_the_fields_and_leaves_the_link_unused(client, link):
    response = client.post(link["url"], {"responder_name": "", "summary": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter your name" in page and "Enter your response" in page
    assert ResponseLink.objects.get().used_at is None
    assert not AlertResponse.objects.exists()
