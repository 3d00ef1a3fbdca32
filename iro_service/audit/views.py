"""The audit pages for managers: the access log, a child's and a member of staff's access
history, the unusual access report and the subject access export. Viewing a child's access
history or export page is a view of the child's record, and is logged like one."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from iro_service.audit.forms import AccessHistoryFilterForm, UnusualAccessFilterForm
from iro_service.audit.models import AccessLog
from iro_service.audit.selectors import (
    Unusual,
    access_history_for_child,
    access_history_for_user,
    access_log_list,
    unusual_access_report,
)
from iro_service.audit.services import access_log_record
from iro_service.audit.subject_access import subject_access_export
from iro_service.core.forms import query_text
from iro_service.core.paging import pagination_links

PAGE_SIZE = 50
# The report's period when none is given: the last four weeks, today included.
REPORT_DAYS = 28


def _child_model():
    # The child's model through the access log's own foreign key: the people app sits above
    # the access log and may not be imported by it.
    return AccessLog._meta.get_field("child").related_model


@login_required
@permission_required("audit.view_accesslog", raise_exception=True)
def access_log(request: HttpRequest) -> HttpResponse:
    entries = access_log_list(user=request.user)
    child_id = query_text(request, "child")
    if child_id:
        entries = entries.filter(child__local_child_id__iexact=child_id)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/access_log.html",
        {
            "page": page,
            "pagination": pagination_links(request, page),
            "child_id": child_id,
        },
    )


def _history_filters(request: HttpRequest) -> tuple[AccessHistoryFilterForm, dict]:
    form = AccessHistoryFilterForm(request.GET or None)
    filters = form.filters()
    return form, {
        "start": filters.get("viewed_from"),
        "end": filters.get("viewed_to"),
        "unusual": filters.get("unusual", ""),
    }


@login_required
@permission_required("audit.view_accesslog", raise_exception=True)
def child_access(request: HttpRequest, pk: int) -> HttpResponse:
    """Who looked at a child's record, when, and from which page or endpoint."""
    child = get_object_or_404(_child_model().objects.restrict(request.user), pk=pk)
    form, filters = _history_filters(request)
    page = Paginator(access_history_for_child(child=child, **filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # Logged after the page of entries is read, so that it does not list itself.
    page.object_list = list(page.object_list)
    access_log_record(request=request, child=child, what="Access history")
    return render(
        request,
        "audit/child_access.html",
        {
            "child": child,
            "form": form,
            "filtered": any(filters.values()),
            "page": page,
            "pagination": pagination_links(request, page),
            "can_export": request.user.has_perm("audit.export_subject_access"),
        },
    )


@login_required
@permission_required("audit.view_accesslog", raise_exception=True)
def staff_access(request: HttpRequest, pk: int) -> HttpResponse:
    """Which children's records a member of staff looked at, when, and from where. Children
    are shown by their child ID only, as on the access log, so reading it discloses no names."""
    viewer = get_object_or_404(get_user_model().objects.select_related("staff_member__team"), pk=pk)
    form, filters = _history_filters(request)
    page = Paginator(
        access_history_for_user(user=viewer, reader=request.user, **filters), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/staff_access.html",
        {
            "viewer": viewer,
            "staff_member": getattr(viewer, "staff_member", None),
            "form": form,
            "filtered": any(filters.values()),
            "page": page,
            "pagination": pagination_links(request, page),
        },
    )


@login_required
@permission_required("audit.view_accesslog", raise_exception=True)
def unusual_access(request: HttpRequest) -> HttpResponse:
    """The unusual access report for a period (the last four weeks unless another is given)."""
    today = timezone.localdate()
    form = UnusualAccessFilterForm(request.GET or None)
    filters = form.filters()
    end = filters.get("viewed_to") or today
    start = filters.get("viewed_from") or end - timedelta(days=REPORT_DAYS - 1)
    if start > end:  # a range the form refused: report the four weeks to its end instead
        start = end - timedelta(days=REPORT_DAYS - 1)
    report = unusual_access_report(start=start, end=end)
    starts, ends = settings.AUDIT_WORKING_DAY_STARTS, settings.AUDIT_WORKING_DAY_ENDS
    viewer_parts = [
        {
            "kind": Unusual.OFF_CASELOAD,
            "title": "Children not on their caseload or team",
            "rows": report.off_caseload,
            "none": "Everyone viewed only the records of children on their caseload or their team's.",
        },
        {
            "kind": Unusual.OUT_OF_HOURS,
            "title": "Views outside working hours",
            "rows": report.out_of_hours,
            "none": "No child's record was viewed outside working hours.",
        },
    ]
    return render(
        request,
        "audit/unusual_access.html",
        {
            "form": form,
            "report": report,
            "viewer_parts": viewer_parts,
            "working_hours": f"{starts:02d}:00 to {ends:02d}:00",
            "bulk_children": settings.AUDIT_BULK_EXPORT_CHILDREN,
        },
    )


@login_required
@permission_required("audit.export_subject_access", raise_exception=True)
@require_http_methods(["GET", "POST"])
def subject_access(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what the subject access export holds, and its button. POST: the PDF, logged. A
    POST, so that a link followed or prefetched never produces (and logs) an export."""
    child = get_object_or_404(_child_model().objects.restrict(request.user), pk=pk)
    if request.method == "POST":
        pdf = subject_access_export(request=request, child=child)
        response = HttpResponse(pdf, content_type="application/pdf")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = (
            f'attachment; filename="subject-access-{child.local_child_id}-{stamp}.pdf"'
        )
        return response
    access_log_record(request=request, child=child, what="Subject access export: page")
    return render(request, "audit/subject_access.html", {"child": child})
