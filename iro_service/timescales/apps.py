from django.apps import AppConfig


class TimescalesConfig(AppConfig):
    name = "iro_service.timescales"
    label = "timescales"
    verbose_name = "Timescales"
