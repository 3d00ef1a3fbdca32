"""python manage.py generate_synthetic --preset county|national [--seed S]

Writes a deterministic synthetic dataset across every app into the configured database (which
should hold no other children: the child IDs start SY). county: 2,000 children over ten years;
national: 500,000. Prints the rows written per table and the time taken."""

import argparse
import time

from django.core.management.base import BaseCommand, CommandError

from synthetic.presets import PRESETS
from synthetic.services import synthetic_data_generate, synthetic_data_present


class Command(BaseCommand):
    help = "Write synthetic children, care, conferences, HSB and QA records (county or national size)."

    def add_arguments(self, parser):
        parser.add_argument("--preset", choices=sorted(PRESETS), required=True)
        parser.add_argument("--seed", type=int, default=1, help="The same seed writes the same data")
        # For tests and measured partial loads: a smaller number of children than the preset's.
        parser.add_argument("--children", type=int, help=argparse.SUPPRESS)

    def handle(self, *args, preset, seed, children=None, **options):
        if synthetic_data_present():
            raise CommandError("This database already holds synthetic data: generate into an empty one.")
        size = children or PRESETS[preset].children
        started = time.monotonic()

        def progress(done: int) -> None:
            if options["verbosity"] > 1:
                self.stdout.write(f"{done:,} children written ({time.monotonic() - started:.0f} s)")

        counts = synthetic_data_generate(children=size, seed=seed, progress=progress, background=True)
        for label, count in counts.items():
            if count:
                self.stdout.write(f"{label:40} {count:>12,}")
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.1f} s."))
