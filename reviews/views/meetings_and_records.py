"""Review meetings and records: book, cancel or move a meeting, and business support's
'Records to distribute' with its bulk 'mark distributed'."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from iro_service.audit.services import access_log_record, access_log_record_list
from iro_service.core.forms import form_add_service_errors
from iro_service.core.paging import (
    SortColumn,
    page_selection,
    pagination_links,
    sort_headers,
    sort_ordering,
    url_without_selection,
)
from iro_service.core.redirects import safe_next
from iro_service.core.restriction import restrict_ids
from iro_service.people import selectors as people_selectors
from reviews import selectors, services
from reviews.forms import DistributeForm, MeetingBookForm, MeetingCancelForm, RecordsFilterForm
from reviews.models import LacReview, PeriodOfCare, ReviewMeeting
from reviews.views._common import PAGE_SIZE

RECORD_COLUMNS = [
    SortColumn("name", "Child", ("child__last_name", "child__first_name")),
    SortColumn("review", "Review date", ("review_date",)),
    SortColumn("chair", "Chair", ("chair__last_name", "chair__first_name")),
    SortColumn("completed", "Record completed", ("record_completed",)),
    SortColumn("due", "Record due", ("record_due",)),
]


@login_required
@permission_required("reviews.add_reviewmeeting", raise_exception=True)
def meeting_book(request: HttpRequest, pk: int) -> HttpResponse:
    """Book the next review meeting; afterwards back to the list the booking was made from."""
    period = get_object_or_404(PeriodOfCare.objects.restrict(request.user).select_related("child"), pk=pk)
    back = safe_next(request, reverse("reviews:to-book"))
    form = MeetingBookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.review_meeting_book(
                period=period, on=form.cleaned_data["date"], by=request.user
            )
        except ValidationError as error:
            form_add_service_errors(error, form)
        else:
            messages.success(
                request, f"Review meeting for {period.child.full_name} booked for {meeting.date:%d %B %Y}."
            )
            return redirect(back)
    access_log_record(request=request, child=period.child, what="Child record: book a review")
    return render(
        request,
        "reviews/meeting_book.html",
        {"period": period, "child": period.child, "form": form, "back": back},
    )


@login_required
@permission_required("reviews.change_reviewmeeting", raise_exception=True)
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a booked review meeting or move it to another date, keeping the reason."""
    meeting = get_object_or_404(
        ReviewMeeting.objects.restrict(request.user).select_related("period__child"), pk=pk
    )
    child = meeting.period.child
    form = MeetingCancelForm(request.POST or None, initial={"updated_at": meeting.updated_at.isoformat()})
    if request.method == "POST" and form.is_valid():
        try:
            moved = services.review_meeting_cancel(
                meeting=meeting,
                reason=form.cleaned_data["reason"],
                new_date=form.cleaned_data["new_date"],
                by=request.user,
                seen_updated_at=form.cleaned_data["updated_at"],
            )
        except ValidationError as error:
            form_add_service_errors(error, form)
        else:
            if moved is None:
                messages.success(request, f"The review meeting on {meeting.date:%d %B %Y} is cancelled.")
            else:
                messages.success(request, f"The review meeting is moved to {moved.date:%d %B %Y}.")
            return redirect("reviews:care-record", child.pk)
    access_log_record(request=request, child=child, what="Child record: cancel or move a review")
    return render(request, "reviews/meeting_cancel.html", {"meeting": meeting, "child": child, "form": form})


@login_required
@permission_required("reviews.distribute_record", raise_exception=True)
def records_to_distribute(request: HttpRequest) -> HttpResponse:
    """Business support's 'Records to distribute', filtered, with bulk 'mark distributed'."""
    today = timezone.localdate()
    filter_form = RecordsFilterForm(
        request.GET or None, iros=people_selectors.iro_list(), teams=people_selectors.iro_teams()
    )
    filters = filter_form.filters()
    form = DistributeForm(request.POST or None, initial={"distributed_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            count = services.review_records_distribute(
                review_ids=restrict_ids(LacReview, form.cleaned_data["reviews"], request.user),
                distributed_on=form.cleaned_data["distributed_on"],
            )
        except ValidationError as error:
            form_add_service_errors(error, form)
        else:
            on = form.cleaned_data["distributed_on"]
            messages.success(
                request, f"{count} record{'s' if count != 1 else ''} marked distributed on {on:%d %B %Y}."
            )
            return redirect(url_without_selection(request))
    sort, ordering = sort_ordering(request, RECORD_COLUMNS, "due")
    reviews = selectors.records_to_distribute(
        user=request.user,
        today=today,
        iro_id=filters["iro"].pk if filters.get("iro") else None,
        team_id=filters["team"].pk if filters.get("team") else None,
        completed_from=filters.get("completed_from"),
        completed_to=filters.get("completed_to"),
        overdue_only=bool(filters.get("overdue")),
        ordering=ordering,
    )
    page = Paginator(reviews, PAGE_SIZE).get_page(request.GET.get("page"))
    if page.object_list:
        # "Select at least one record" is about the table's boxes, which the form does not draw.
        form.non_field_errors_target = f"review-{page.object_list[0].pk}"
    access_log_record_list(
        request=request, child_ids=[review.child_id for review in page], what="Review records to distribute"
    )
    return render(
        request,
        "reviews/records_to_distribute.html",
        {
            "filter_form": filter_form,
            "filtered": any(filters.values()),
            "form": form,
            "selection": page_selection(request, field="reviews", page_ids=[review.pk for review in page]),
            "page": page,
            "pagination": pagination_links(request, page),
            "headers": sort_headers(request, RECORD_COLUMNS, sort),
        },
    )
