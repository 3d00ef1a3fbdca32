"""Private helpers shared by the QA alert pages: paging, the access log of the children shown,
an alert or a 404, and the signed-in IRO."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.utils import timezone

from iro_service.audit.services import access_log_record_list
from iro_service.core.paging import pagination_links
from iro_service.people.codes import JobRole
from iro_service.people.selectors import staff_member_of
from qa_alerts import selectors
from qa_alerts.models import QaAlert

PAGE_SIZE = 25


def _page(request, rows, size: int = PAGE_SIZE):
    page = Paginator(rows, size).get_page(request.GET.get("page"))
    return page, pagination_links(request, page)


def _log_alerts(request, alerts, what: str) -> None:
    """A list of alerts is a view of the records of the children each is about."""
    access_log_record_list(
        request=request,
        child_ids=[link.child_id for alert in alerts for link in alert.children.all()],
        what=what,
    )


def _alert_or_404(request, pk: int) -> QaAlert:
    try:
        return selectors.alert_for_page(pk=pk, today=timezone.localdate(), user=request.user)
    except QaAlert.DoesNotExist:
        raise Http404("No QA alert with that number") from None


def _own_iro(request):
    """The signed-in user's staff record when they are an IRO, else None."""
    staff = staff_member_of(request.user)
    return staff if staff is not None and staff.job_role == JobRole.IRO else None


def _version(alert: QaAlert) -> dict:
    return {"seen_updated_at": alert.updated_at.isoformat()}
