from django.apps import AppConfig


class QaAlertsConfig(AppConfig):
    name = "qa_alerts"
    verbose_name = "QA alerts"
