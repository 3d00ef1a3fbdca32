"""Business support's backlog: records to produce and distribute, meetings to book."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from conferences.selectors import ToBook
from iro_service.audit.services import access_log_record_list
from reports.dashboards import selectors
from reports.dashboards.exports import Table, cell
from reports.dashboards.views.shared import Filters, paged_table, paged_tables_download


def conference_child_ids(conferences) -> list[int]:
    """A row about a conference is a view of the records of the children considered at it (as
    the conference lists log them), read from the prefetched ``children``."""
    return [link.child_id for conference in conferences for link in conference.children.all()]


def by_iro_table(by_iro: list[dict]) -> Table:
    return Table(
        name="by-iro",
        caption="Records by IRO",
        headers=[
            "IRO",
            "Review records out of timescale",
            "Review records to distribute",
            "Conference records out of timescale",
            "Conference records to distribute",
            "Longest overdue (days)",
        ],
        rows=[
            [
                cell(r["iro"]),
                cell(r["review_records_out_of_timescale"]),
                cell(r["review_records_to_distribute"]),
                cell(r["conference_records_out_of_timescale"]),
                cell(r["conference_records_to_distribute"]),
                cell(r["longest_overdue_days"]),
            ]
            for r in by_iro
        ],
        numeric=[False, True, True, True, True, True],
    )


def review_records_table(review_records) -> Table:
    return Table(
        name="review-records",
        caption="Review records to distribute",
        headers=["Child", "Child ID", "Review", "Chair", "Record completed", "Record due", "Days overdue"],
        rows=[
            [
                cell(r.child.sort_name, reverse("reviews:care-record", args=[r.child_id])),
                cell(r.child.local_child_id),
                cell(r.review_date),
                cell(r.chair.full_name if r.chair else ""),
                cell(r.record_completed),
                cell(r.record_due),
                cell(max(0, r.days_overdue)),
            ]
            for r in review_records
        ],
        numeric=[False, False, False, False, False, False, True],
        child_ids=[r.child_id for r in review_records],
    )


def conference_records_table(conference_records, *, today) -> Table:
    return Table(
        name="conference-records",
        caption="Conference records to distribute",
        headers=["Family", "Conference", "Chair", "Record completed", "Record due", "Days overdue"],
        rows=[
            [
                cell(
                    c.family.name if c.family else "", reverse("conferences:conference-detail", args=[c.pk])
                ),
                cell(c.date),
                cell(c.chair.full_name if c.chair else ""),
                cell(c.record_completed_on),
                cell(c.record_due),
                cell(max(0, (today - c.record_due).days) if c.record_due else None),
            ]
            for c in conference_records
        ],
        numeric=[False, False, False, False, False, True],
        child_ids=conference_child_ids(conference_records),
    )


def reports_outstanding_table(outstanding) -> Table:
    return Table(
        name="reports-outstanding",
        caption="Conference reports outstanding (this week and next)",
        headers=["Family", "Conference", "Report to parents", "Report to chair"],
        rows=[
            [
                cell(
                    c.family.name if c.family else "", reverse("conferences:conference-detail", args=[c.pk])
                ),
                cell(c.date),
                cell(c.report_to_parents_on or "Not received"),
                cell(c.report_to_chair_on or "Not received"),
            ]
            for c in outstanding
        ],
        numeric=[False, False, False, False],
        child_ids=conference_child_ids(outstanding),
    )


def to_book_table(meetings) -> Table:
    rows, child_ids = [], []
    for item in meetings:
        if isinstance(item, ToBook):
            children = item.children
            rows.append(
                [
                    cell(item.family.name if item.family else ", ".join(c.full_name for c in children)),
                    cell(f"{item.kind} conference"),
                    cell(item.due),
                ]
            )
            child_ids.extend(c.pk for c in children)
        else:
            rows.append(
                [
                    cell(item.child.sort_name, reverse("reviews:care-record", args=[item.child_id])),
                    cell("LAC review"),
                    cell(item.next_review_due),
                ]
            )
            child_ids.append(item.child_id)
    return Table(
        name="to-book",
        caption="Meetings to book this week and next",
        headers=["Child or family", "Meeting", "Due"],
        rows=rows,
        numeric=[False, False, False],
        child_ids=child_ids,
    )


@login_required
@permission_required("reports.view_business_support_dashboard", raise_exception=True)
def business_support(request: HttpRequest) -> HttpResponse:
    """The backlog: records to distribute with how long overdue, per IRO; conference reports
    outstanding; meetings to book this week and next. Each list of children is paged on its own
    (``<table>-page``) and only the rows shown are read and logged; a download is the whole
    list, logged whole as an export."""
    filters = Filters(request)
    today = filters.today
    backlog = selectors.business_support_backlog(
        user=request.user, today=today, team_id=filters.team_id, iro_id=filters.iro_id
    )
    lists = {
        # An IRO a row: nationally some 6,000, so paged too.
        "by-iro": (backlog.by_iro, by_iro_table),
        "review-records": (backlog.review_records, review_records_table),
        "conference-records": (
            backlog.conference_records,
            lambda rows: conference_records_table(rows, today=today),
        ),
        "reports-outstanding": (backlog.reports_outstanding, reports_outstanding_table),
        "to-book": (backlog.meetings_to_book, to_book_table),
    }
    download = paged_tables_download(
        request, lists, title="Business support", filters=filters, what="business support backlog"
    )
    if download:
        return download
    tables = [paged_table(request, name, items, make) for name, (items, make) in lists.items()]
    shown = [child_id for table in tables for child_id in table.child_ids]
    if shown:
        access_log_record_list(request=request, child_ids=shown, what="Business support dashboard")
    return render(
        request,
        "reports/dashboards/business_support.html",
        {**filters.context(), "tables": tables, "book_until": backlog.book_until},
    )
