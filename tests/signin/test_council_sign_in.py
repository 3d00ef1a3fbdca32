"""Signing in with the council's identity provider, end to end against a real OpenID Connect
provider (django-oauth-toolkit in its own process on 127.0.0.1): the redirect to it, its own
sign-in page, the code sent back, the token exchange, the ID token's signature checked against
its published keys, the userinfo, and the groups turned into roles. Nothing of it is mocked."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from iro_service.core.roles import Role, user_role_names
from tests.signin.conftest import provider_sign_in

pytestmark = pytest.mark.django_db


def _start(client, next_url=""):
    response = client.get(reverse("oidc_authentication_init") + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302
    return response["Location"]


def test_the_sign_in_page_offers_the_council_account_first(client, council_sign_in):
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with your Example Council account" in page
    assert "Or sign in with a username and password" in page


def test_without_a_provider_set_up_there_is_no_council_button_and_its_pages_are_404(client):
    assert "Sign in with your" not in client.get(reverse("login")).content.decode()
    assert client.get(reverse("oidc_authentication_init")).status_code == 404


def test_an_iro_in_the_directory_signs_in_and_gets_the_role_of_her_group(client, council_sign_in):
    """GIVEN Helen in the directory's groups iro-staff and all-staff, and iro-staff mapped to IRO
    WHEN she signs in with her council account
    THEN she has an account here named as in the directory, with the IRO role only (all-staff
    maps to nothing), no usable password, and the home page opens."""
    authorize = _start(client)
    assert authorize.startswith(council_sign_in.endpoint("authorize/"))
    # PKCE and a nonce are sent, as well as the state.
    assert "code_challenge=" in authorize and "nonce=" in authorize and "state=" in authorize
    response = client.get(provider_sign_in(authorize, "helen.ashworth"))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    helen = get_user_model().objects.get(username="helen.ashworth")
    assert (helen.first_name, helen.last_name, helen.email) == (
        "Helen",
        "Ashworth",
        "helen.ashworth@example-council.gov.uk",
    )
    assert user_role_names(helen) == [Role.IRO.label]
    assert not helen.has_usable_password()
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("people:child-list")).status_code == 200


def test_roles_follow_the_directory_at_every_sign_in(client, council_sign_in, make_user):
    """Karen already has an account here as business support; the directory puts her in
    iro-managers and iro-staff, so after she signs in she is an IRO manager and an IRO, and
    business support no longer."""
    make_user(Role.BUSINESS_SUPPORT, username="karen.lloyd")
    client.get(provider_sign_in(_start(client), "karen.lloyd"))
    karen = get_user_model().objects.get(username="karen.lloyd")
    assert sorted(karen.groups.values_list("name", flat=True)) == [Role.IRO, Role.IRO_MANAGER]


def test_someone_in_no_mapped_group_is_refused(client, council_sign_in):
    response = client.get(provider_sign_in(_start(client), "fin.ance"))
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?council=failed"
    assert "_auth_user_id" not in client.session
    assert not get_user_model().objects.filter(username="fin.ance").exists()
    page = client.get(response["Location"]).content.decode()
    assert "Your Example Council account could not sign you in to this service" in page


def test_a_callback_with_a_state_this_browser_did_not_start_is_refused(client, council_sign_in):
    """A code sent back for another browser's sign-in (a login CSRF) signs nobody in."""
    callback = provider_sign_in(_start(client), "helen.ashworth")
    other = client.__class__()
    response = other.get(callback)
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?council=failed"
    assert "_auth_user_id" not in other.session


def test_a_code_is_used_once(client, council_sign_in):
    callback = provider_sign_in(_start(client), "helen.ashworth")
    assert client.get(callback)["Location"] == reverse("home")
    client.post(reverse("logout"))
    # The same state and code again: the state was used up, so it is refused.
    assert client.get(callback)["Location"] == "/sign-in/?council=failed"


def test_staff_signed_in_by_the_council_are_not_asked_for_the_authenticator_app(
    client, council_sign_in, settings
):
    """The council's provider owns their second factor (Entra ID's MFA)."""
    settings.SECOND_FACTOR_REQUIRED = True
    client.get(provider_sign_in(_start(client), "helen.ashworth"))
    assert client.get(reverse("people:child-list")).status_code == 200


def test_signing_in_again_goes_back_to_the_provider_asking_for_the_credentials(client, council_sign_in):
    client.get(provider_sign_in(_start(client), "helen.ashworth"))
    page = client.get(reverse("signin:again") + "?next=/reports/returns/").content.decode()
    assert "Sign in again with your Example Council account" in page
    again = client.get(reverse("oidc_authentication_init") + "?again=1&next=/children/")["Location"]
    assert "prompt=login" in again and "max_age=0" in again
    response = client.get(provider_sign_in(again, "helen.ashworth"))
    assert response["Location"] == "/children/"
