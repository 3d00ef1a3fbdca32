"""python manage.py issue_api_token --user api --name "BI dashboard" --scopes figures,read [--expires 90]

Prints the token once; only its hash is kept. Bad arguments (an unknown user, a scope the
user's role cannot use, an expiry that is not a future date or a number of days) exit 2 with
one line saying what is wrong."""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from iro_service.audit.models import ApiScope
from iro_service.audit.services import api_token_issue
from iro_service.core.commands import user_from

# A token is a standing credential to children's records: it lapses after a year unless
# --expires says otherwise, so a forgotten one does not stay valid for ever.
DEFAULT_EXPIRY_DAYS = 365


def expiry_from(value: str | None, *, today: date) -> datetime:
    """``--expires``: a number of days from now, or the last day (YYYY-MM-DD) the token works."""
    value = (value or str(DEFAULT_EXPIRY_DAYS)).strip()
    if value.isascii() and value.isdigit():
        days = int(value)
        if not 1 <= days <= 3650:
            raise CommandError(f"--expires {value}: give between 1 and 3650 days.", returncode=2)
        return timezone.now() + timedelta(days=days)
    try:
        last_day = date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--expires {value!r}: give a number of days (e.g. 90) or a date (e.g. 2027-03-31).",
            returncode=2,
        ) from None
    if last_day < today:
        raise CommandError(f"--expires {value}: that date has passed.", returncode=2)
    # Works to the end of that day, in the council's time zone.
    return timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time.min))


class Command(BaseCommand):
    help = "Issue a REST API token with scopes (figures, read, write) for a user."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="Username the token acts as")
        parser.add_argument("--name", required=True, help="Which system will use it")
        parser.add_argument("--scopes", required=True, help="Comma-separated: figures, read, write")
        parser.add_argument(
            "--expires",
            help="Number of days the token works, or the last date it works (YYYY-MM-DD); "
            f"default {DEFAULT_EXPIRY_DAYS} days",
        )

    def handle(self, *args, **options):
        user = user_from(options)
        if user is None:
            raise CommandError("--user: give the username the token acts as.", returncode=2)
        scopes = [scope.strip() for scope in options["scopes"].split(",") if scope.strip()]
        unknown = sorted(set(scopes) - set(ApiScope.values))
        if unknown or not scopes:
            raise CommandError(
                f"Scopes must be some of {', '.join(ApiScope.values)}; got {options['scopes']!r}.",
                returncode=2,
            )
        expires_at = expiry_from(options["expires"], today=timezone.localdate())
        try:
            token, plain = api_token_issue(
                user=user, name=options["name"], scopes=scopes, expires_at=expires_at
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages), returncode=2) from None
        self.stdout.write(
            f"Token for {user.username} ({', '.join(token.scopes)}), works until "
            f"{timezone.localtime(token.expires_at):%-d %B %Y %H:%M}, shown only once:\n{plain}"
        )
