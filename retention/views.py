"""The managers' pages of the retention schedule: the records due for disposal, the disposal
of one child's record, and the disposal register."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from iro_service.audit.services import access_log_record, access_log_record_list
from iro_service.core.paging import pagination_links
from iro_service.signin.recent import recent_sign_in_required
from retention import selectors, services
from retention.erasure import child_record_rows
from retention.forms import DisposalConfirmForm
from retention.schedule import is_due

VIEW_DUE = "retention.view_records_due"
DISPOSE = "retention.dispose_child_record"
VIEW_REGISTER = "retention.view_disposalrecord"
PAGE_SIZE = 25


@login_required
@permission_required(VIEW_DUE, raise_exception=True)
def records_due(request: HttpRequest) -> HttpResponse:
    """The children whose whole record has passed its disposal date, longest overdue first."""
    due = selectors.children_due_for_disposal(user=request.user, today=timezone.localdate())
    page = Paginator(due, PAGE_SIZE).get_page(request.GET.get("page"))
    children = selectors.children_for_page(user=request.user, child_ids=[row.child_id for row in page])
    rows = [(children[row.child_id], row.disposal) for row in page if row.child_id in children]
    access_log_record_list(request=request, child_ids=list(children), what="Records due for disposal")
    return render(
        request,
        "retention/records_due.html",
        {"page": page, "rows": rows, "pagination": pagination_links(request, page)},
    )


@login_required
@permission_required(DISPOSE, raise_exception=True)
# Erasing a child's record cannot be undone: the password is asked again, as for exports.
@recent_sign_in_required(come_back_to="retention:due")
def child_dispose(request: HttpRequest, pk: int) -> HttpResponse:
    """What erasing the child's record removes, and the confirmation; a child not yet due is
    shown when the record is due, and a disposal is refused."""
    child = selectors.child_for_disposal(user=request.user, pk=pk)
    if child is None:
        raise Http404("No such child.")
    disposal = selectors.child_disposal_of(child=child)
    due = is_due(disposal, today=timezone.localdate())
    form = DisposalConfirmForm(
        request.POST if request.method == "POST" else None, expected=child.local_child_id
    )
    error = None
    if request.method == "POST" and not due:
        error = services.disposal_refusal(disposal, today=timezone.localdate())
    elif request.method == "POST" and form.is_valid():
        try:
            entry = services.child_record_dispose(child_id=child.pk, user=request.user)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(
                request, f"The child's record has been erased. Disposal register entry {entry.reference}."
            )
            return redirect("retention:register")
    access_log_record(request=request, child=child, what="Disposal of the record")
    counts = child_record_rows(child=child).counts() if due else {}
    return render(
        request,
        "retention/dispose.html",
        {"child": child, "disposal": disposal, "due": due, "form": form, "error": error, "counts": counts},
    )


@login_required
@permission_required(VIEW_REGISTER, raise_exception=True)
def disposal_register(request: HttpRequest) -> HttpResponse:
    """Every disposal: the register's reference, the rule, the year due, when and who."""
    page = Paginator(selectors.disposal_register(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "retention/register.html",
        {"page": page, "pagination": pagination_links(request, page)},
    )
