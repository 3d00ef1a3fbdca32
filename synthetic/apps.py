from django.apps import AppConfig


class SyntheticConfig(AppConfig):
    """Synthetic data at county and national size for benchmarks and load tests. No models: it
    writes only the other apps' tables, through their own due-date rules."""

    name = "synthetic"
    verbose_name = "Synthetic data"
