"""python manage.py figures --start 2016-04-01 --end 2017-03-31 [--keys a,b] [--team ID] [--iro ID]

Prints the same JSON document as GET /api/v1/figures/."""

import json

from django.core.management.base import BaseCommand, CommandError

from reports.figures import FigureQueryError
from reports.selectors import figure_query_parse, figures_compute


class Command(BaseCommand):
    help = "Print performance figures for a period as JSON (the same document as the API)."

    def add_arguments(self, parser):
        parser.add_argument("--start", required=True, help="First day, e.g. 2016-04-01")
        parser.add_argument("--end", required=True, help="Last day, e.g. 2017-03-31")
        parser.add_argument("--keys", help="Comma-separated figure keys (default: all)")
        parser.add_argument("--team", help="Team id")
        parser.add_argument("--iro", help="IRO (staff member) id")

    def handle(self, *args, **options):
        try:
            query, keys = figure_query_parse(options)
        except FigureQueryError as error:
            raise CommandError(" ".join(error.errors.values())) from None
        self.stdout.write(json.dumps(figures_compute(query=query, keys=keys), indent=2))
