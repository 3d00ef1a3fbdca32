"""Load the demo county (synthetic people, no real data). Safe to run again: it changes nothing
that is already there.

Each installed app may contribute a ``demo`` module with a ``load_demo(*, context, stdout)``
function; they run in INSTALLED_APPS order and share ``context`` (teams, IROs, children...).
"""

from datetime import date
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone


class Command(BaseCommand):
    help = "Load the synthetic demo county (idempotent) and print the demo sign-ins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load the demo even though DEBUG is off (demo passwords are public).",
        )
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="Carry the demo county on to this day (YYYY-MM-DD) instead of today's date.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"] and not settings.EMBEDDED_DATABASE:
            raise CommandError(
                "Refusing to load demo users with public passwords into a production database. "
                "Use --allow-production if this really is a demo server."
            )
        # The demo's three years end on 31 March 2017; the loaders carry them on to this day.
        context: dict = {"today": options["today"] or timezone.localdate()}
        for app_config in apps.get_app_configs():
            module_name = f"{app_config.name}.demo"
            if find_spec(module_name) is None:
                continue
            loader = getattr(import_module(module_name), "load_demo", None)
            if loader is None:
                continue
            with transaction.atomic():
                loader(context=context, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo county loaded."))
        logins = context.get("logins", [])
        if logins:
            self.stdout.write("\nDemo sign-ins (synthetic data only):")
            width = max(len(username) for username, _, _ in logins)
            for username, password, role in logins:
                self.stdout.write(f"  {username.ljust(width)}  {password}  ({role})")
