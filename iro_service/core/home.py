"""Panels on the home page, contributed by the apps.

Each entry of ``settings.HOME_PANELS`` is the dotted path of a function ``(request) -> Panel |
None``; the home page shows, in order, the panels that return something. A panel function checks
its own permission and returns None for people it is not for. Panels read through their app's
selectors and must use a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass
class Panel:
    template: str
    context: dict = field(default_factory=dict)


def home_panels(request) -> list[Panel]:
    panels = []
    for path in getattr(settings, "HOME_PANELS", []):
        panel = import_string(path)(request)
        if panel is not None:
            panels.append(panel)
    return panels
