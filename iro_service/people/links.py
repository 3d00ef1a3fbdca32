"""What a child's summary page links to: the pages each app holds about the child.

The people app knows nothing of the apps above it (import-linter keeps it so), so each app adds
its own links, the way apps name their role permissions and code lists on their AppConfig:

    class HsbConfig(AppConfig):
        name = "hsb"
        # Links on a child's summary page; gathered by iro_service.people.links.
        child_links = "hsb.links.child_links"

``child_links`` is the dotted path of a function ``(request, child) -> list[ChildLink]``. The
summary page calls every installed app's function, in ``INSTALLED_APPS`` order, and lists the
links under "Records", followed by the child's history (the people app's own page). The
function:

- returns only pages the signed-in user may open, checking the same permission as the page's
  view (and an empty list when there are none);
- reads through its own app's selectors, in a fixed number of queries whatever the child's
  record holds: ``child`` comes from ``people.selectors.child_for_record``, with the IRO
  allocations and household memberships (with their families) already loaded;
- gives each link a hint saying what the page holds, in a social worker's words.

An app added later names its function on its AppConfig: nothing here changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class ChildLink:
    """One page about the child: what the link says, where it goes, what the page holds."""

    label: str
    url: str
    hint: str = ""


def child_links(request, child) -> list[ChildLink]:
    """Every installed app's links to its pages about ``child`` that ``request.user`` may open."""
    links: list[ChildLink] = []
    for config in apps.get_app_configs():
        path = getattr(config, "child_links", None)
        if path:
            links.extend(import_string(path)(request, child))
    return links
