"""Where an account is signed in, and ending those sessions (ASVS 3.3.4): "Your sign-in security"
lists every session of the account that is still live (when it began, its browser and address,
this one marked), and its holder signs out one or all of the others; a session so ended is
signed out at its next request. Signing out takes a session off the list, and a password
change or a manager's reset ends the others (Django checks each session against the password's
hash) and leaves only the live ones listed."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from lxml import html

from iro_service.signin.models import SignedInSession
from iro_service.signin.services import browser_of
from tests.signin.test_local_accounts import PASSWORD

pytestmark = pytest.mark.django_db

PAGE = reverse("signin:your-sign-in")
END = reverse("signin:session-end")
FIREFOX_ON_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_ON_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)
EDGE_ON_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 "
    "Safari/537.36 Edg/126.0.0.0"
)


def _signed_in(username: str, user_agent: str, address: str) -> Client:
    client = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, "signed in"
    return client


def _rows(response) -> list[list[str]]:
    page = html.fromstring(response.content)
    table = page.xpath("//table[caption[normalize-space()='Your sessions']]")[0]
    return [
        [" ".join(cell.text_content().split()) for cell in row.xpath("./td")]
        for row in table.xpath(".//tbody/tr")
    ]


def test_the_browser_is_named_by_its_kind_only():
    assert browser_of(FIREFOX_ON_WINDOWS) == "Firefox on Windows"
    assert browser_of(SAFARI_ON_IPHONE) == "Safari on iPhone"
    # Edge also says Chrome and Safari: the first match wins.
    assert browser_of(EDGE_ON_WINDOWS) == "Edge on Windows"
    assert browser_of("") == "A browser"


def test_every_live_session_is_listed_with_this_one_marked(make_user):
    make_user("IRO", username="helen")
    make_user("IRO", username="sam")
    office = _signed_in("helen", FIREFOX_ON_WINDOWS, "10.0.0.5")
    phone = _signed_in("helen", SAFARI_ON_IPHONE, "10.0.0.9")
    _signed_in("sam", EDGE_ON_WINDOWS, "10.0.0.7")  # someone else's: never listed

    rows = _rows(office.get(PAGE))
    assert [row[1:3] for row in rows] == [
        ["Safari on iPhone", "10.0.0.9"],
        ["Firefox on Windows", "10.0.0.5"],
    ]
    assert rows[1][3] == "This session" and "Sign out" in rows[0][3]
    # Only the kind of browser is kept, not the string it sent.
    assert set(SignedInSession.objects.values_list("browser", flat=True)) == {
        "Firefox on Windows",
        "Safari on iPhone",
        "Edge on Windows",
    }
    assert phone.get(PAGE).status_code == 200


def test_a_session_signed_out_elsewhere_is_signed_out_at_its_next_request(make_user):
    make_user("IRO", username="helen")
    office = _signed_in("helen", FIREFOX_ON_WINDOWS, "10.0.0.5")
    phone = _signed_in("helen", SAFARI_ON_IPHONE, "10.0.0.9")
    theirs = SignedInSession.objects.get(browser="Safari on iPhone")

    response = office.post(END, {"session": theirs.pk}, follow=True)
    assert "That session was signed out." in response.content.decode()
    assert [row[1] for row in _rows(response)] == ["Firefox on Windows"]
    assert not Session.objects.filter(session_key=theirs.session_key).exists()
    # The phone's next request finds no session: it is sent to sign in.
    answer = phone.get(PAGE)
    assert answer.status_code == 302 and answer["Location"].startswith(reverse("login"))
    assert office.get(PAGE).status_code == 200


def test_sign_out_everywhere_else_ends_every_other_session_and_keeps_this_one(make_user):
    make_user("IRO", username="helen")
    office = _signed_in("helen", FIREFOX_ON_WINDOWS, "10.0.0.5")
    others = [_signed_in("helen", agent, "10.0.0.9") for agent in (SAFARI_ON_IPHONE, EDGE_ON_WINDOWS)]

    response = office.post(END, {"session": "others"}, follow=True)
    assert "You were signed out everywhere else (2 sessions)." in response.content.decode()
    assert len(_rows(response)) == 1
    for client in others:
        assert client.get(PAGE).status_code == 302
    assert office.get(PAGE).status_code == 200


def test_nobody_ends_a_session_that_is_not_their_own_other_one(make_user):
    make_user("IRO", username="helen")
    make_user("IRO", username="sam")
    office = _signed_in("helen", FIREFOX_ON_WINDOWS, "10.0.0.5")
    sams = _signed_in("sam", EDGE_ON_WINDOWS, "10.0.0.7")
    for chosen in (
        SignedInSession.objects.get(user__username="sam").pk,  # someone else's
        SignedInSession.objects.get(user__username="helen").pk,  # this one: signing out ends it
        "9" * 30,
        "",
    ):
        response = office.post(END, {"session": chosen}, follow=True)
        assert response.status_code == 200
        assert "That session has ended already, or is not one of yours." in response.content.decode()
    assert sams.get(PAGE).status_code == 200
    assert office.get(PAGE).status_code == 200
    assert office.get(END).status_code == 405


def test_signing_out_takes_the_session_off_the_list(make_user):
    make_user("IRO", username="helen")
    office = _signed_in("helen", FIREFOX_ON_WINDOWS, "10.0.0.5")
    phone = _signed_in("helen", SAFARI_ON_IPHONE, "10.0.0.9")
    phone.post(reverse("logout"))
    assert [row[1] for row in _rows(office.get(PAGE))] == ["Firefox on Windows"]


def test_a_password_change_keeps_this_session_listed_under_its_new_key_and_ends_the_others(make_user):
    make_user("IRO", username="helen")
    office = _signed_in("helen", FIREFOX_ON_WINDOWS, "10.0.0.5")
    phone = _signed_in("helen", SAFARI_ON_IPHONE, "10.0.0.9")
    new = "lantern orchard velvet"
    response = office.post(
        reverse("signin:password-change"),
        {"old_password": PASSWORD, "new_password": new, "new_password_again": new},
    )
    assert response.status_code == 302
    rows = _rows(office.get(PAGE))
    assert [row[1] for row in rows] == ["Firefox on Windows"] and rows[0][3] == "This session"
    assert phone.get(PAGE).status_code == 302
    assert SignedInSession.objects.count() == 1


def test_anonymous_is_sent_to_sign_in(client):
    response = client.post(END, {"session": "others"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_session_that_expired_is_not_listed_and_goes_at_the_next_sign_in(make_user):
    make_user("IRO", username="helen")
    _signed_in("helen", SAFARI_ON_IPHONE, "10.0.0.9")
    expired = SignedInSession.objects.get()
    Session.objects.filter(session_key=expired.session_key).update(expire_date="2000-01-01T00:00:00Z")
    office = _signed_in("helen", FIREFOX_ON_WINDOWS, "10.0.0.5")
    assert [row[1] for row in _rows(office.get(PAGE))] == ["Firefox on Windows"]
    assert not SignedInSession.objects.filter(pk=expired.pk).exists()


def test_a_sign_in_made_outside_the_middleware_is_listed_too(iro_user):
    """force_login (and any sign-in made without a request's user) sends the signal with a
    request that has no user: the session is noted against the signal's user."""
    client = Client()
    client.force_login(iro_user)
    listed = SignedInSession.objects.get(user=iro_user)
    assert listed.session_key == client.session.session_key
