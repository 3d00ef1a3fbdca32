"""A real OpenID Connect provider for the council sign-in tests, in its own process on 127.0.0.1
(tests/support/oidc_provider/), and the settings that point the service at it."""

import json
import re
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent.parent
PASSWORD = "directory-password-1"
# The council's directory: two people in groups the service maps to roles, one in none.
DIRECTORY = [
    {
        "username": "helen.ashworth",
        "password": PASSWORD,
        "first_name": "Helen",
        "last_name": "Ashworth",
        "email": "helen.ashworth@example-council.gov.uk",
        "groups": ["iro-staff", "all-staff"],
    },
    {
        "username": "karen.lloyd",
        "password": PASSWORD,
        "first_name": "Karen",
        "last_name": "Lloyd",
        "email": "karen.lloyd@example-council.gov.uk",
        "groups": ["iro-managers", "iro-staff"],
    },
    {
        "username": "fin.ance",
        "password": PASSWORD,
        "first_name": "Fin",
        "last_name": "Ance",
        "email": "fin.ance@example-council.gov.uk",
        "groups": ["finance", "all-staff"],
    },
]


@dataclass
class Provider:
    url: str

    def endpoint(self, path: str) -> str:
        return f"{self.url}/o/{path}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def council_provider(tmp_path_factory):
    port = _free_port()
    database = tmp_path_factory.mktemp("oidc-provider") / "provider.sqlite3"
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.support.oidc_provider.server", str(port), "http://testserver"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "OIDC_PROVIDER_DB": str(database), "PYTHONPATH": str(ROOT)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    process.stdin.write(json.dumps(DIRECTORY))
    process.stdin.close()
    line = process.stdout.readline()
    if line.strip() != "ready":
        process.kill()
        pytest.fail(f"The test identity provider did not start: {process.stderr.read()}")
    try:
        yield Provider(url=f"http://127.0.0.1:{port}")
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def council_sign_in(settings, council_provider):
    """The service set up to sign staff in with the provider, as a council would set it."""
    settings.OIDC_RP_CLIENT_ID = "iro-service"
    settings.OIDC_RP_CLIENT_SECRET = "iro-service-secret"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = council_provider.endpoint("authorize/")
    settings.OIDC_OP_TOKEN_ENDPOINT = council_provider.endpoint("token/")
    settings.OIDC_OP_USER_ENDPOINT = council_provider.endpoint("userinfo/")
    settings.OIDC_OP_JWKS_ENDPOINT = council_provider.endpoint(".well-known/jwks.json")
    settings.OIDC_GROUP_ROLES = {"iro-staff": ["IRO"], "iro-managers": ["IRO manager"]}
    settings.OIDC_PROVIDER_NAME = "Example Council"
    return council_provider


def provider_sign_in(authorize_url: str, username: str, password: str = PASSWORD) -> str:
    """What a browser does at the provider: open the authorisation address, sign in on the
    provider's own page, and follow it back; returns the address it sends the browser back to
    (the service's callback, with the code and state)."""
    browser = requests.Session()
    response = browser.get(authorize_url, allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text[:500]
    login_url = urljoin(authorize_url, response.headers["Location"])
    page = browser.get(login_url, timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = browser.post(
        login_url,
        data={
            "csrfmiddlewaretoken": token,
            "username": username,
            "password": password,
            "next": re.search(r'name="next" value="([^"]*)"', page.text).group(1).replace("&amp;", "&"),
        },
        headers={"Referer": login_url},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.text[:500]
    response = browser.get(
        urljoin(login_url, response.headers["Location"]), allow_redirects=False, timeout=10
    )
    assert response.status_code == 302, response.text[:500]
    back = response.headers["Location"]
    assert back.startswith("http://testserver/sign-in/council/callback/"), back
    parts = urlsplit(back)
    return f"{parts.path}?{parts.query}"
