"""Start the test identity provider: ``python -m tests.support.oidc_provider.server PORT RP_URL``.

Creates its database, the directory's people and groups (as JSON on standard input: a list of
``{"username", "password", "first_name", "last_name", "email", "groups"}``) and the service's
client registration (client id ``iro-service``, secret ``iro-service-secret``, redirect URI
``RP_URL/sign-in/council/callback/``), prints ``ready`` and serves until it is stopped."""

import json
import os
import sys
from wsgiref.simple_server import WSGIRequestHandler, make_server


class _Quiet(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


def main() -> None:
    port, relying_party = int(sys.argv[1]), sys.argv[2].rstrip("/")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.support.oidc_provider.settings"
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0, interactive=False)
    for person in json.loads(sys.stdin.read() or "[]"):
        user = User.objects.create_user(
            person["username"],
            email=person.get("email", ""),
            password=person["password"],
            first_name=person.get("first_name", ""),
            last_name=person.get("last_name", ""),
        )
        for name in person.get("groups", []):
            user.groups.add(Group.objects.get_or_create(name=name)[0])
    Application.objects.create(
        name="IRO case oversight",
        client_id="iro-service",
        client_secret="iro-service-secret",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=f"{relying_party}/sign-in/council/callback/",
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    server = make_server("127.0.0.1", port, get_wsgi_application(), handler_class=_Quiet)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
