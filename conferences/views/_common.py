"""Private helpers shared by the conferences pages: paging, the access log of the children
shown, and a conference or a 404."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404

from conferences import selectors
from conferences.models import Conference
from iro_service.audit.services import access_log_record_list
from iro_service.core.paging import pagination_links

PAGE_SIZE = 25


def _page(request, rows):
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return page, pagination_links(request, page)


def _log_children(request, children, what: str) -> None:
    access_log_record_list(request=request, child_ids=[child.pk for child in children], what=what)


def _log_conferences(request, conferences, what: str) -> None:
    """A list of conferences is a view of the records of the children considered at each."""
    access_log_record_list(
        request=request,
        child_ids=[link.child_id for conference in conferences for link in conference.children.all()],
        what=what,
    )


def _conference_or_404(request, pk: int) -> Conference:
    try:
        return selectors.conference_for_page(pk=pk, user=request.user)
    except Conference.DoesNotExist:
        raise Http404("No conference with that number") from None
