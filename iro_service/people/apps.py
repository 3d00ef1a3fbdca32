from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "iro_service.people"
    label = "people"
    verbose_name = "People"
