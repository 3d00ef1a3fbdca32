"""Server-side sorting and GOV.UK pagination for list pages.

Sorting happens in the database, not in the browser: a client-side sortable table would only
sort the page in view and mislead the reader about the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from iro_service.core.forms import whole_number

# ``?select=all``: the list page shows every row of the page ticked (see ``page_selection``).
SELECT_ALL = "select"


@dataclass(frozen=True)
class SortColumn:
    key: str
    label: str
    ordering: tuple[str, ...]


def sort_ordering(request, columns: list[SortColumn], default: str) -> tuple[str, tuple[str, ...]]:
    """The requested sort (``?sort=key`` or ``?sort=-key``) as (sort value, order_by fields)."""
    requested = request.GET.get("sort", default)
    descending = requested.startswith("-")
    key = requested.lstrip("-")
    by_key = {column.key: column for column in columns}
    if key not in by_key:
        requested, descending, key = default, default.startswith("-"), default.lstrip("-")
    fields = by_key[key].ordering
    if descending:
        fields = tuple(field[1:] if field.startswith("-") else f"-{field}" for field in fields)
    return requested, fields


def sort_headers(request, columns: list[SortColumn], current: str) -> list[dict]:
    """Header cells with the link to sort by each column and its aria-sort state."""
    params = request.GET.copy()
    params.pop("page", None)
    params.pop(SELECT_ALL, None)
    headers = []
    for column in columns:
        if current.lstrip("-") == column.key:
            state = "descending" if current.startswith("-") else "ascending"
            next_sort = column.key if state == "descending" else f"-{column.key}"
        else:
            state, next_sort = "none", column.key
        params["sort"] = next_sort
        headers.append(
            {
                "label": column.label,
                "state": state,
                "url": f"?{params.urlencode()}",
                "key": column.key,
            }
        )
    return headers


def pagination_links(request, page_obj, *, param: str = "page") -> dict:
    """The items for the GOV.UK pagination component: previous, numbered pages with ellipses,
    next; each link keeps the filters and sort (but not a selection: that was of this page).
    ``param``: the query parameter holding the page number, for a page with a second paged list
    (its own, so that paging one list leaves the other where it was)."""
    params = request.GET.copy()
    params.pop(SELECT_ALL, None)

    def url(number: int) -> str:
        params[param] = str(number)
        return f"?{urlencode(sorted(params.items()))}"

    paginator = page_obj.paginator
    current = page_obj.number
    wanted = {1, paginator.num_pages, current - 1, current, current + 1}
    items, previous = [], 0
    for number in sorted(n for n in wanted if 1 <= n <= paginator.num_pages):
        if number - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "url": url(number), "current": number == current})
        previous = number
    return {
        "items": items,
        "previous": url(current - 1) if page_obj.has_previous() else None,
        "next": url(current + 1) if page_obj.has_next() else None,
        "count": paginator.count,
        "start": page_obj.start_index(),
        "end": page_obj.end_index(),
    }


def url_without_selection(request) -> str:
    """This page's address with its filters, sort and page but no ``?select=all``: where a bulk
    action goes back to, so that the rows left are not ticked again."""
    params = request.GET.copy()
    params.pop(SELECT_ALL, None)
    return f"{request.path}?{urlencode(sorted(params.items()))}" if params else request.path


def page_selection(request, *, field: str, page_ids: list[int]) -> dict:
    """The rows ticked on a list page people act on in bulk: those a POST sent back (under
    ``field``), or, after the 'Select all' link (``?select=all``, for browsers without
    JavaScript; with it, MoJ Frontend's multi-select ticks them in the page), every row of the
    page. With the links to select all and to clear the selection, each keeping the filters,
    sort and page."""
    if request.method == "POST":
        chosen = {
            number for value in request.POST.getlist(field) if (number := whole_number(value)) is not None
        }
    elif request.GET.get(SELECT_ALL) == "all":
        chosen = set(page_ids)
    else:
        chosen = set()
    params = request.GET.copy()
    params[SELECT_ALL] = "all"
    return {
        "chosen": chosen,
        "all_chosen": bool(page_ids) and chosen >= set(page_ids),
        "select_all_url": f"{request.path}?{urlencode(sorted(params.items()))}",
        "clear_url": url_without_selection(request),
    }
