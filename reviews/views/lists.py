"""The lists: an IRO's children in care and business support's reviews to book."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from iro_service.audit.services import access_log_record_list
from iro_service.core.paging import SortColumn, pagination_links, sort_headers, sort_ordering
from iro_service.people import selectors as people_selectors
from reviews import selectors
from reviews.forms import ChildrenInCareFilterForm, ReviewsToBookFilterForm
from reviews.views._common import PAGE_SIZE, _own_iro

CARE_COLUMNS = [
    SortColumn("name", "Name", ("child__last_name", "child__first_name")),
    SortColumn("id", "Child ID", ("child__local_child_id",)),
    SortColumn("since", "In care since", ("start_date",)),
    SortColumn("last", "Last review", ("last_review_date",)),
    SortColumn("due", "Next review due", ("next_review_due",)),
    SortColumn("status", "Status", ("status_rank", "next_review_due")),
]
TO_BOOK_COLUMNS = [
    SortColumn("name", "Name", ("child__last_name", "child__first_name")),
    SortColumn("id", "Child ID", ("child__local_child_id",)),
    SortColumn("iro", "IRO", ("iro_last_name", "iro_first_name")),
    SortColumn("due", "Review due by", ("next_review_due",)),
]


@login_required
@permission_required("reviews.view_periodofcare", raise_exception=True)
def children_in_care(request: HttpRequest) -> HttpResponse:
    """'My children in care' for an IRO (any IRO's, or everyone's, by the filter)."""
    today = timezone.localdate()
    own = _own_iro(request)
    iros = people_selectors.iro_list(on=today)
    data = request.GET.copy()
    if own is not None and "iro" not in data:
        data["iro"] = str(own.pk)
    form = ChildrenInCareFilterForm(data, iros=iros)
    filters = form.cleaned_data if form.is_valid() else {}
    iro = filters.get("iro")
    sort, ordering = sort_ordering(request, CARE_COLUMNS, "due")
    periods = selectors.children_in_care(
        user=request.user,
        today=today,
        iro_id=iro.pk if iro else None,
        status=filters.get("status", ""),
        search=filters.get("q", ""),
        ordering=ordering,
    )
    page = Paginator(periods, PAGE_SIZE).get_page(request.GET.get("page"))
    access_log_record_list(
        request=request, child_ids=[period.child_id for period in page], what="Children in care"
    )
    title = (
        "My children in care"
        if own is not None and iro is not None and iro.pk == own.pk
        else "Children in care"
    )
    return render(
        request,
        "reviews/children_in_care.html",
        {
            "title": title,
            "form": form,
            "page": page,
            "pagination": pagination_links(request, page),
            "headers": sort_headers(request, CARE_COLUMNS, sort),
            "filtered": any(filters.get(name) for name in ("q", "status")),
        },
    )


@login_required
@permission_required("reviews.add_reviewmeeting", raise_exception=True)
def reviews_to_book(request: HttpRequest) -> HttpResponse:
    """Business support's 'Reviews to book': due within N weeks, no meeting booked."""
    today = timezone.localdate()
    iros = people_selectors.iro_list(on=today)
    form = ReviewsToBookFilterForm(request.GET or None, iros=iros)
    filters = form.cleaned_data if form.is_valid() else {}
    weeks = filters.get("weeks") or 6
    sort, ordering = sort_ordering(request, TO_BOOK_COLUMNS, "due")
    periods = selectors.reviews_to_book(
        user=request.user,
        today=today,
        weeks=weeks,
        iro_id=filters["iro"].pk if filters.get("iro") else None,
        ordering=ordering,
    )
    page = Paginator(periods, PAGE_SIZE).get_page(request.GET.get("page"))
    access_log_record_list(
        request=request, child_ids=[period.child_id for period in page], what="Reviews to book"
    )
    return render(
        request,
        "reviews/reviews_to_book.html",
        {
            "form": form,
            "weeks": weeks,
            "page": page,
            "pagination": pagination_links(request, page),
            "headers": sort_headers(request, TO_BOOK_COLUMNS, sort),
        },
    )
