"""The service navigation, by permission. Each app adds its entries here by URL name; the page
shows only the entries the signed-in user may open."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None
    # URL prefix that marks the entry as the current section.
    section: str


NAVIGATION: list[NavItem] = [
    NavItem("Home", "home", None, "/home"),
    NavItem("Children", "people:child-list", "people.view_child", "/children"),
    NavItem("Children in care", "reviews:children-in-care", "reviews.view_periodofcare", "/reviews/child"),
    NavItem("Reviews to book", "reviews:to-book", "reviews.add_reviewmeeting", "/reviews/to-book"),
    NavItem(
        "Records to distribute",
        "reviews:records-to-distribute",
        "reviews.distribute_record",
        "/reviews/records",
    ),
    NavItem("Conferences", "conferences:index", "conferences.view_conference", "/conferences"),
    NavItem("QA alerts", "qa_alerts:index", "qa_alerts.view_qaalert", "/qa-alerts"),
    NavItem("Statutory returns", "reports:returns", "audit.view_dataexchange", "/reports/returns"),
    NavItem("Access log", "audit:access-log", "audit.view_accesslog", "/access-log"),
    NavItem("Timescales", "timescales:settings", "timescales.view_timescalesettings", "/timescales"),
]


def navigation_for(request) -> list[dict]:
    user = request.user
    if not user.is_authenticated:
        return []
    items = []
    for item in NAVIGATION:
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
            }
        )
    return items
