"""The service navigation, by permission, grouped into areas. Each app adds its pages here by URL
name; the page shows only the areas and pages the signed-in user may open.

The header shows one link per area, so that it stays on one row at desktop widths for every
role (a flat list of every page wrapped onto two rows for managers and business support). An
area whose user may open several of its pages shows them as a sub-navigation on each page of
the area; an area with a single page for this user is shown by that page's name.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    """A page in the navigation."""

    label: str
    url_name: str
    permission: str | None
    # URL prefix that marks the entry as the current page (its sub-pages included).
    section: str


@dataclass(frozen=True)
class NavArea:
    """An area of the service: one link in the header, its pages in the sub-navigation."""

    label: str
    items: tuple[NavItem, ...]
    # Extra URL prefixes that belong to the area without being one of its pages.
    prefixes: tuple[str, ...] = ()


NAVIGATION: list[NavArea] = [
    NavArea("Home", (NavItem("Home", "home", None, "/home"),)),
    NavArea("Children", (NavItem("Children", "people:child-list", "people.view_child", "/children"),)),
    NavArea(
        "Children in care",
        (
            NavItem(
                "Children in care", "reviews:children-in-care", "reviews.view_periodofcare", "/reviews/child"
            ),
            NavItem("Reviews to book", "reviews:to-book", "reviews.add_reviewmeeting", "/reviews/to-book"),
            NavItem(
                "Records to distribute",
                "reviews:records-to-distribute",
                "reviews.distribute_record",
                "/reviews/records",
            ),
        ),
        prefixes=("/reviews/",),
    ),
    # The conferences hub lists the area's queues (they differ by role), so it has one entry.
    NavArea(
        "Conferences",
        (NavItem("Conferences", "conferences:index", "conferences.view_conference", "/conferences"),),
    ),
    # Only for those who may see every HSB record; everyone else is not told the area exists.
    NavArea("HSB", (NavItem("HSB", "hsb:index", "hsb.view_hsb_records", "/hsb"),)),
    NavArea("QA alerts", (NavItem("QA alerts", "qa_alerts:index", "qa_alerts.view_qaalert", "/qa-alerts"),)),
    # The dashboards and the annual report are one area: with an area each, the header of a
    # manager was two rows at 1280 pixels.
    NavArea(
        "Reports",
        (
            NavItem(
                "Performance",
                "reports:dashboard",
                "reports.view_performance_dashboard",
                "/reports/dashboards/performance",
            ),
            NavItem(
                "Caseloads",
                "reports:caseloads",
                "reports.view_performance_dashboard",
                "/reports/dashboards/caseloads",
            ),
            NavItem(
                "Business support",
                "reports:business-support",
                "reports.view_business_support_dashboard",
                "/reports/dashboards/business-support",
            ),
            NavItem("My page", "reports:my-page", "reports.view_own_iro_page", "/reports/dashboards/my-page"),
            NavItem("Targets", "reports:targets", "reports.view_target", "/reports/targets"),
            NavItem("Comparators", "reports:comparators", "reports.view_comparator", "/reports/comparators"),
            NavItem(
                "Annual report", "reports:annual-list", "reports.view_annualreport", "/reports/annual-report"
            ),
        ),
        prefixes=("/reports/dashboards/",),
    ),
    NavArea(
        "Administration",
        (
            NavItem("Statutory returns", "reports:returns", "audit.view_dataexchange", "/reports/returns"),
            # A child's or a person's access history is part of the log, and so is the unusual
            # access report, linked from the log's page: with an entry of its own, the area's
            # seven pages were two rows at 1280 pixels.
            NavItem("Access log", "audit:access-log", "audit.view_accesslog", "/access-log"),
            NavItem(
                "Restricted records",
                "people:restricted-children",
                "people.restrict_child",
                "/children/restricted",
            ),
            NavItem("Disposal", "retention:due", "retention.view_records_due", "/retention"),
            NavItem("Timescales", "timescales:settings", "timescales.view_timescalesettings", "/timescales"),
            NavItem("Sign-in security", "signin:security", "signin.manage_sign_in", "/sign-in/security"),
        ),
        prefixes=("/access-log/", "/retention/"),
    ),
]


def navigation_for(request) -> list[dict]:
    """The areas the user may open, in order: each with its label, the URL of its first page the
    user may open, whether the current page is in it, and its pages (``items``)."""
    user = request.user
    if not user.is_authenticated:
        return []
    areas = []
    for area in NAVIGATION:
        items = []
        for item in area.items:
            if item.permission and not user.has_perm(item.permission):
                continue
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            items.append(
                {
                    "label": item.label,
                    "url": url,
                    "active": request.path.startswith(item.section),
                    "current": request.path == url,
                }
            )
        if not items:
            continue
        active = any(item["active"] for item in items) or any(
            request.path.startswith(prefix) for prefix in area.prefixes
        )
        areas.append(
            {
                "label": area.label if len(items) > 1 else items[0]["label"],
                "url": items[0]["url"],
                "active": active,
                "items": items,
            }
        )
    return areas


def sub_navigation(areas: list[dict]) -> dict | None:
    """The current area, when the user may open more than one of its pages."""
    return next((area for area in areas if area["active"] and len(area["items"]) > 1), None)
