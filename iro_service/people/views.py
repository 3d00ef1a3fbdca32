"""Children pages. Thin: filtering and joins are in selectors, changes in services, and every
view of a child's record is written to the access log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from iro_service.audit.selectors import access_log_for_child
from iro_service.audit.services import access_log_record, access_log_record_list
from iro_service.core.forms import form_add_service_errors
from iro_service.core.paging import SortColumn, pagination_links, sort_headers, sort_ordering
from iro_service.people import selectors, services
from iro_service.people.forms import ChildFilterForm, ChildRestrictionForm, IroReallocationForm
from iro_service.people.links import ChildLink, child_links
from iro_service.people.models import Child

CHILD_COLUMNS = [
    SortColumn("name", "Name", ("last_name", "first_name")),
    SortColumn("id", "Child ID", ("local_child_id",)),
    SortColumn("dob", "Date of birth", ("date_of_birth", "expected_date_of_birth")),
    SortColumn("iro", "IRO", ("current_iro_last_name",)),
]
PAGE_SIZE = 25


@login_required
@permission_required("people.view_child", raise_exception=True)
def child_list(request: HttpRequest) -> HttpResponse:
    iros = selectors.iro_list(on=timezone.localdate())
    form = ChildFilterForm(request.GET or None, iros=iros)
    filters = form.cleaned_data if form.is_valid() else {}
    sort, ordering = sort_ordering(request, CHILD_COLUMNS, "name")
    children = selectors.child_list(
        user=request.user,
        search=filters.get("q", ""),
        sex=filters.get("sex", ""),
        ethnicity=filters.get("ethnicity", ""),
        iro_id=filters["iro"].pk if filters.get("iro") else None,
        ordering=ordering,
    )
    page = Paginator(children, PAGE_SIZE).get_page(request.GET.get("page"))
    access_log_record_list(request=request, child_ids=[child.pk for child in page], what="Children list")
    return render(
        request,
        "people/child_list.html",
        {
            "form": form,
            "page": page,
            "pagination": pagination_links(request, page),
            "headers": sort_headers(request, CHILD_COLUMNS, sort),
            "filtered": any(filters.get(name) for name in ("q", "sex", "ethnicity", "iro")),
            "today": timezone.localdate(),
        },
    )


def _child_or_404(request, pk: int) -> Child:
    try:
        return selectors.child_for_record(pk=pk, user=request.user)
    except Child.DoesNotExist:
        raise Http404("No child with that record") from None


@login_required
@permission_required("people.view_child", raise_exception=True)
def child_detail(request: HttpRequest, pk: int) -> HttpResponse:
    child = _child_or_404(request, pk)
    access_log_record(request=request, child=child, what="Child record: summary")
    links = [
        *child_links(request, child),
        ChildLink(
            "History of changes",
            reverse("people:child-history", args=[child.pk]),
            "Every change to these details, the IRO allocations and households, and who made it",
        ),
    ]
    return render(
        request,
        "people/child_detail.html",
        {
            "child": child,
            "links": links,
            "tab": "summary",
            "today": timezone.localdate(),
            "can_reallocate": request.user.has_perm("people.add_iroallocation"),
            "can_restrict": request.user.has_perm(RESTRICT),
            # Reverse one-to-one: missing when the record is not restricted.
            "restriction": getattr(child, "restriction", None),
        },
    )


@login_required
@permission_required("people.view_child", raise_exception=True)
def child_history(request: HttpRequest, pk: int) -> HttpResponse:
    child = _child_or_404(request, pk)
    access_log_record(request=request, child=child, what="Child record: history")
    context = {"child": child, "tab": "history", "entries": selectors.child_history(child=child)}
    if request.user.has_perm("audit.view_accesslog"):
        context["recent_views"] = access_log_for_child(child=child)[:20]
    return render(request, "people/child_history.html", context)


@login_required
@permission_required("people.add_iroallocation", raise_exception=True)
def child_reallocate(request: HttpRequest, pk: int) -> HttpResponse:
    child = _child_or_404(request, pk)
    iros = selectors.iro_list(on=timezone.localdate())
    form = IroReallocationForm(request.POST if request.method == "POST" else None, iros=iros)
    if request.method == "POST" and form.is_valid():
        try:
            allocation = services.iro_allocate(
                child=child,
                iro=form.cleaned_data["iro"],
                start_date=form.cleaned_data["start_date"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            form_add_service_errors(error, form)
        else:
            messages.success(request, f"{allocation.iro.full_name} is now {child.full_name}'s IRO.")
            return redirect(child)
    access_log_record(request=request, child=child, what="Child record: change IRO")
    return render(request, "people/child_reallocate.html", {"child": child, "form": form, "tab": "summary"})


RESTRICT = "people.restrict_child"


def _child_for_restriction_or_404(pk: int) -> Child:
    """The child, restricted or not: the managers who keep the restrictions must be able to
    reach a restricted record's restriction even when they are not named on it, or one named
    only for staff who have since left could never be lifted. They see the restriction, not
    the child's records."""
    try:
        return Child.objects.get(pk=pk)
    except Child.DoesNotExist:
        raise Http404("No child with that record") from None


@login_required
@permission_required(RESTRICT, raise_exception=True)
def restricted_children(request: HttpRequest) -> HttpResponse:
    """The restricted records, for the managers who keep them."""
    page = Paginator(selectors.restricted_children(), PAGE_SIZE).get_page(request.GET.get("page"))
    access_log_record_list(
        request=request, child_ids=[row.child_id for row in page], what="Restricted records"
    )
    return render(
        request,
        "people/restricted_children.html",
        {"page": page, "pagination": pagination_links(request, page)},
    )


@login_required
@permission_required(RESTRICT, raise_exception=True)
def child_restriction(request: HttpRequest, pk: int) -> HttpResponse:
    """Restrict a child's record to named staff, change who is named, or see its history."""
    child = _child_for_restriction_or_404(pk)
    restriction = selectors.child_restriction_of(child=child)
    initial = {}
    if restriction is not None:
        initial = {
            "named_staff": [member.staff_member_id for member in restriction.members.all()],
            "reason": restriction.reason,
        }
    form = ChildRestrictionForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        staff=selectors.staff_who_sign_in(on=timezone.localdate()),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.child_restrict(
                child=child,
                staff_members=form.cleaned_data["named_staff"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            form_add_service_errors(error, form)
        else:
            messages.success(request, f"{child.full_name}'s record is restricted to the staff you named.")
            return redirect("people:child-restriction", pk=child.pk)
    access_log_record(request=request, child=child, what="Child record: restriction")
    return render(
        request,
        "people/child_restriction.html",
        {
            "child": child,
            "form": form,
            "restriction": restriction,
            "entries": selectors.child_restriction_history(child=child),
        },
    )


@login_required
@permission_required(RESTRICT, raise_exception=True)
@require_POST
def child_restriction_lift(request: HttpRequest, pk: int) -> HttpResponse:
    """Lift the restriction: everyone whose role allows sees the record again."""
    child = _child_for_restriction_or_404(pk)
    if services.child_restriction_lift(child=child):
        messages.success(request, f"The restriction of {child.full_name}'s record is lifted.")
    else:
        messages.info(request, f"{child.full_name}'s record was not restricted.")
    return redirect("people:child-restriction", pk=child.pk)
