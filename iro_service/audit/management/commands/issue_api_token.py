"""python manage.py issue_api_token --user api --name "BI dashboard" --scopes figures,read

Prints the token once; only its hash is kept."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from iro_service.audit.models import ApiScope
from iro_service.audit.services import api_token_issue


class Command(BaseCommand):
    help = "Issue a REST API token with scopes (figures, read, write) for a user."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="Username the token acts as")
        parser.add_argument("--name", required=True, help="Which system will use it")
        parser.add_argument("--scopes", required=True, help="Comma-separated: figures, read, write")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"There is no user called {options['user']!r}.")
        scopes = [scope.strip() for scope in options["scopes"].split(",") if scope.strip()]
        unknown = sorted(set(scopes) - set(ApiScope.values))
        if unknown or not scopes:
            raise CommandError(
                f"Scopes must be some of {', '.join(ApiScope.values)}; got {options['scopes']!r}."
            )
        try:
            token, plain = api_token_issue(user=user, name=options["name"], scopes=scopes)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"Token for {user.username} ({', '.join(token.scopes)}), shown only once:\n{plain}")
