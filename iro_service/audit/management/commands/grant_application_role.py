"""python manage.py grant_application_role --role iro_app --password-env POSTGRES_APP_PASSWORD

Run as the tables' owner after ``migrate``: creates (or updates) the role the web server and
workers connect as. The password is read from an environment variable, never the command line,
which other users of the machine can see."""

import os

from django.core.management.base import BaseCommand, CommandError

from iro_service.audit.database_roles import ApplicationRoleError, application_role_grant


class Command(BaseCommand):
    help = (
        "Create or update the database role the application connects as: it may read and write "
        "the tables but owns none, and may only read and add to the access log."
    )

    def add_arguments(self, parser):
        parser.add_argument("--role", required=True, help="Name of the application's database role")
        parser.add_argument(
            "--password-env",
            metavar="VARIABLE",
            help="Environment variable holding the role's password (left unchanged when not given)",
        )

    def handle(self, *args, **options):
        password = None
        if options["password_env"]:
            password = os.environ.get(options["password_env"], "")
            if not password:
                raise CommandError(f"The environment variable {options['password_env']} is unset or empty.")
        try:
            application_role_grant(role=options["role"], password=password)
        except ApplicationRoleError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"The database role {options['role']} has the application's privileges.")
