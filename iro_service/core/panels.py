"""Panels that an app adds to another app's page, the way apps add links to a child's summary
page (``iro_service.people.links``): a page cannot import the apps above it (import-linter
keeps it so), so the apps above say what they add.

An app names its panels on its AppConfig, by the page they go on:

    class ConsultationsConfig(AppConfig):
        name = "consultations"
        # Panels on other apps' pages; gathered by iro_service.core.panels.
        page_panels = {"conference": "consultations.panels.conference_panel"}

Each value is the dotted path of a function ``(request, record) -> Panel | None`` (``Panel``
is the home page's: a template and its context). The page calls every installed app's
function for it, in ``INSTALLED_APPS`` order, and includes the panels that are not None. The
function checks its own permission (None for people it is not for), reads through its own
app's selectors, and uses a fixed number of queries whatever the record holds.
"""

from __future__ import annotations

from django.apps import apps
from django.utils.module_loading import import_string

from iro_service.core.home import Panel


def page_panels(request, *, page: str, record) -> list[Panel]:
    """The panels the installed apps add to ``page`` about ``record``, for ``request.user``."""
    panels = []
    for config in apps.get_app_configs():
        path = getattr(config, "page_panels", {}).get(page)
        if path:
            panel = import_string(path)(request, record)
            if panel is not None:
                panels.append(panel)
    return panels
