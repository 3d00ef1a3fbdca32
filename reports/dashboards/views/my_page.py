"""The IRO's own page: caseload, what is due, records outstanding, alerts awaiting a response."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from iro_service.audit.services import access_log_record_list
from iro_service.people.selectors import staff_member_of
from reports.dashboards import selectors
from reports.dashboards.exports import Table, cell
from reports.dashboards.views.business_support import conference_child_ids
from reports.dashboards.views.shared import page_download


@login_required
@permission_required("reports.view_own_iro_page", raise_exception=True)
def my_page(request: HttpRequest) -> HttpResponse:
    """An IRO's caseload, what is due in the next 10 working days, their records outstanding
    and their alerts awaiting a response. The rows name children: logged."""
    iro = staff_member_of(request.user)
    if iro is None:
        return render(request, "reports/dashboards/my_page.html", {"iro": None})
    today = timezone.localdate()
    page = selectors.iro_page(user=request.user, iro=iro, today=today)
    due = Table(
        name="due",
        caption=f"Due by {page.due_until:%d %B %Y} (the next 10 working days)",
        headers=["Child or family", "What", "Due or booked for"],
        rows=[
            [
                cell(p.child.sort_name, reverse("reviews:care-record", args=[p.child_id])),
                cell("LAC review due"),
                cell(p.next_review_due),
            ]
            for p in page.reviews_due
        ]
        + [
            [
                cell(
                    c.family.name if c.family else "", reverse("conferences:conference-detail", args=[c.pk])
                ),
                cell(f"{c.get_conference_type_display()} conference"),
                cell(c.date),
            ]
            for c in page.conferences_due
        ],
        child_ids=[p.child_id for p in page.reviews_due] + conference_child_ids(page.conferences_due),
    )
    records = Table(
        name="records",
        caption="My records outstanding (out of timescale)",
        headers=["Child or family", "Meeting", "Record due", "Days overdue"],
        rows=[
            [
                cell(r.child.sort_name, reverse("reviews:care-record", args=[r.child_id])),
                cell(r.review_date),
                cell(r.record_due),
                cell((today - r.record_due).days if r.record_due else None),
            ]
            for r in page.records_outstanding
        ]
        + [
            [
                cell(
                    c.family.name if c.family else "", reverse("conferences:conference-detail", args=[c.pk])
                ),
                cell(c.date),
                cell(c.record_due),
                cell((today - c.record_due).days if c.record_due else None),
            ]
            for c in page.conference_records_outstanding
        ],
        numeric=[False, False, False, True],
        child_ids=[r.child_id for r in page.records_outstanding]
        + conference_child_ids(page.conference_records_outstanding),
    )
    awaiting = [*page.alerts.awaiting, *page.alerts.overdue, *page.alerts.escalated]
    alerts = Table(
        name="alerts",
        caption="My alerts awaiting a response",
        headers=["Alert", "Raised", "Addressed to", "Stage", "Overdue"],
        rows=[
            [
                cell(f"Alert {a.pk}", reverse("qa_alerts:alert-detail", args=[a.pk])),
                cell(a.raised_on),
                cell(a.practitioner_name),
                cell(a.stage),
                cell(bool(a.is_overdue)),
            ]
            for a in awaiting
        ],
        numeric=[False, False, False, True, False],
    )
    caseload = page.caseload
    summary = Table(
        name="caseload",
        caption="My caseload today",
        headers=[
            "Children in care",
            "Children on plans",
            "HSB referrals (last 12 months)",
            "Open QA concerns",
            "FTE",
            "Children per FTE",
        ],
        rows=[
            [
                cell(caseload.children_in_care),
                cell(caseload.children_on_plans),
                cell(caseload.hsb_referrals),
                cell(caseload.open_alerts),
                cell(float(caseload.fte)),
                cell(caseload.per_fte),
            ]
        ]
        if caseload
        else [],
        numeric=[True] * 6,
    )
    tables = [summary, due, records, alerts]
    download = page_download(request, tables, title="My page", filters=None, what="IRO's own page")
    if download:
        return download
    shown = due.child_ids + records.child_ids
    if shown:
        access_log_record_list(request=request, child_ids=shown, what="IRO's own page")
    return render(request, "reports/dashboards/my_page.html", {"iro": iro, "tables": tables, "page": page})
