"""What every dashboard page shares: the filters read from the URL and the table downloads."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.utils import timezone

from iro_service.audit.models import AccessChannel
from iro_service.audit.services import access_log_record_many
from iro_service.core.paging import pagination_links
from iro_service.people.selectors import iro_list, iro_teams
from reports.dashboards.exports import FORMATS, Table, table_download
from reports.dashboards.forms import (
    DashboardFilterForm,
    filter_querystring,
)
from reports.dashboards.periods import Period
from reports.figures import FigureQuery

PAGE_SIZE = 50
TREND_MONTHS = (12, 24)


class Filters:
    """The filters of a request (period, team, IRO), read once for the page and its links."""

    def __init__(self, request: HttpRequest):
        self.today = timezone.localdate()
        self.form = DashboardFilterForm(
            request.GET or None, today=self.today, teams=iro_teams(), iros=iro_list().order_by("last_name")
        )
        self.period: Period = self.form.chosen_period()
        self.team_id = self.form.team_id()
        self.iro_id = self.form.iro_id()
        self.querystring = filter_querystring(request.GET)

    @property
    def query(self) -> FigureQuery:
        return FigureQuery(
            start=self.period.start, end=self.period.end, team_id=self.team_id, iro_id=self.iro_id
        )

    def words(self) -> list[str]:
        """The period and filters in words, for headings and the top of every download."""
        filters = self.form.filters()
        words = [f"Period: {self.period.label} ({self.period.dates})"]
        words.append(f"Team: {filters['team'].name}" if filters.get("team") else "Team: all teams")
        words.append(f"IRO: {filters['iro'].full_name}" if filters.get("iro") else "IRO: all IROs")
        return words

    def context(self) -> dict:
        return {
            "filter_form": self.form,
            "period": self.period,
            "filter_words": self.words(),
            "querystring": self.querystring,
            "filtered": bool(self.querystring),
        }


def page_download(
    request: HttpRequest, tables: list[Table], *, title: str, filters: Filters | None, what: str
):
    """The download the request asks for (``download`` and ``table``), or None for the page. A
    table of children is logged, every child in it, as an export."""
    fmt = request.GET.get("download")
    if fmt is None:
        return None
    if fmt not in FORMATS:
        raise Http404("Downloads are CSV or Excel (download=csv or download=xlsx).")
    table = next((t for t in tables if t.name == request.GET.get("table")), None)
    if table is None:
        raise Http404("There is no table of that name on this page.")
    if table.child_ids:
        access_log_record_many(
            request=request, child_ids=table.child_ids, what=f"Download: {what}", channel=AccessChannel.EXPORT
        )
    heading = [f"{title}: {table.caption}", *(filters.words() if filters else [])]
    heading.append(
        f"Downloaded {timezone.localtime():%d %B %Y %H:%M} by {request.user.get_full_name() or request.user}"
    )
    return table_download(table, fmt=fmt, heading=heading, filename=f"{title} {table.name}")


def _v(value) -> object:
    return None if value is None else value


def paged_table(request, name: str, items: Sequence, make: Callable[[list], Table]) -> Table:
    """The page of ``items`` the request asks for (``<name>-page``) made into a table with its
    own page links, so that paging one table of a page leaves the others where they were; only
    that page's rows are read (a sequence sliced by the database) and drawn."""
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get(f"{name}-page"))
    table = make(list(page.object_list))
    table.pagination = pagination_links(request, page, param=f"{name}-page")
    return table


def paged_tables_download(request, lists: dict, *, title: str, filters: Filters | None, what: str):
    """For a page of several paged tables (``lists``: each table's name to its items and the
    function that makes the table), the download the request asks for: only that table, made
    whole from its items; or None for the page."""
    if request.GET.get("download") is None:
        return None
    wanted = [make(items) for name, (items, make) in lists.items() if name == request.GET.get("table")]
    return page_download(request, wanted, title=title, filters=filters, what=what)
