from django.apps import AppConfig


class HsbConfig(AppConfig):
    name = "hsb"
    verbose_name = "HSB"
