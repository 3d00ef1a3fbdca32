"""python manage.py figures_catalogue [--output docs/figures.md] [--check]

Writes the catalogue of every performance figure, generated from the registry, as Markdown:
to standard output, or to a file. ``--check`` only compares the file with the registry and
exits 1 when it is stale (the test suite does the same)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.selectors import figure_catalogue_markdown


class Command(BaseCommand):
    help = "Write docs/figures.md (every figure's key, kind and definition) from the figures registry."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="File to write, e.g. docs/figures.md (default: print it)")
        parser.add_argument(
            "--check", action="store_true", help="Compare --output with the registry instead of writing it"
        )

    def handle(self, *args, output=None, check=False, **options):
        text = figure_catalogue_markdown()
        if output is None:
            if check:
                raise CommandError("--check needs --output, the file to compare.", returncode=2)
            self.stdout.write(text, ending="")
            return
        path = Path(output)
        if check:
            current = path.read_text(encoding="utf-8") if path.exists() else ""
            if current != text:
                raise CommandError(
                    f"{output} is out of date: run python manage.py figures_catalogue --output {output}"
                )
            self.stdout.write(f"{output} is up to date.")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {output} ({text.count(chr(10) + '| `')} figures).")
