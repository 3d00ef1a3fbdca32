"""Targets and comparators per figure and year, set by managers."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from iro_service.core.forms import form_add_service_errors, whole_number
from iro_service.core.imports import ImportRejected
from reports.dashboards.exports import Table, cell
from reports.dashboards.forms import (
    ComparatorForm,
    ComparatorUploadForm,
    TargetForm,
)
from reports.dashboards.periods import year_label
from reports.dashboards.views.shared import page_download
from reports.figures import REGISTRY
from reports.models import Comparator, Target
from reports.targets import selectors as targets
from reports.targets import services as target_services


def _year_of(request: HttpRequest, today: date) -> int:
    from iro_service.timescales.dates import collection_year

    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return collection_year(today)
    return year if 2000 <= year <= 2100 else collection_year(today)


@login_required
@permission_required("reports.view_target", raise_exception=True)
def target_list(request: HttpRequest) -> HttpResponse:
    """The targets of a reporting year, and every change to them with who made it."""
    today = timezone.localdate()
    year = _year_of(request, today)
    rows = list(targets.target_list(year=year))
    table = Table(
        name="targets",
        caption=f"Targets for {year_label(year)}",
        headers=["Figure", "Target", "Which way is better", "Amber margin", "Note"],
        rows=[
            [
                cell(
                    REGISTRY[t.figure_key].label if t.figure_key in REGISTRY else t.figure_key,
                    reverse("reports:target-set") + f"?figure={t.figure_key}&year={t.year}"
                    if request.user.has_perm("reports.change_target")
                    else None,
                ),
                cell(float(t.value)),
                cell(t.get_direction_display()),
                cell(float(t.amber_margin)),
                cell(t.note),
            ]
            for t in rows
        ],
        numeric=[False, True, False, True, False],
    )
    history = Table(
        name="history",
        caption=f"Changes to the targets for {year_label(year)}",
        headers=["When", "Who", "Figure", "Change", "Target", "Amber margin"],
        rows=[
            [
                cell(timezone.localtime(h.history_date).strftime("%d %b %Y %H:%M")),
                cell(
                    h.history_user.get_full_name() or h.history_user.username if h.history_user else "Unknown"
                ),
                cell(REGISTRY[h.figure_key].label if h.figure_key in REGISTRY else h.figure_key),
                cell({"+": "Set", "~": "Changed", "-": "Removed"}[h.history_type]),
                cell(float(h.value)),
                cell(float(h.amber_margin)),
            ]
            for h in targets.targets_history(year=year)
        ],
        numeric=[False, False, False, False, True, True],
    )
    download = page_download(request, [table, history], title="Targets", filters=None, what="targets")
    if download:
        return download
    return render(
        request,
        "reports/dashboards/targets.html",
        {
            "year": year,
            "year_label": year_label(year),
            "table": table,
            "history": history,
            "years": [(y, year_label(y)) for y in range(year + 1, year - 6, -1)],
            "can_set": request.user.has_perm("reports.add_target"),
        },
    )


@login_required
@permission_required("reports.add_target", raise_exception=True)
def target_set(request: HttpRequest) -> HttpResponse:
    """Set a figure's target for a year (a new one, or a change to the one there)."""
    today = timezone.localdate()
    # The target being changed: the one the link named, or, when the form is sent, the one for
    # the figure and year sent (so that a change made meanwhile is seen, not overwritten).
    if request.method == "POST":
        figure_key, year = request.POST.get("figure_key", ""), request.POST.get("year", "")
    else:
        figure_key, year = request.GET.get("figure", ""), str(_year_of(request, today))
    year_number = whole_number(year)
    existing = (
        Target.objects.filter(figure_key=figure_key, year=year_number).first()
        if year_number is not None
        else None
    )
    initial = {}
    if existing is not None:
        initial = {
            "figure_key": existing.figure_key,
            "year": existing.year,
            "value": existing.value,
            "direction": existing.direction,
            "amber_margin": existing.amber_margin,
            "note": existing.note,
            "updated_at": existing.updated_at.isoformat(),
        }
    elif figure_key in REGISTRY:
        initial = {"figure_key": figure_key, "year": year_number}
    form = TargetForm(request.POST or None, initial=initial, today=today)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            target = target_services.target_set(
                figure_key=data["figure_key"],
                year=data["year"],
                value=data["value"],
                direction=data["direction"],
                amber_margin=data["amber_margin"],
                note=data["note"],
                seen_updated_at=data.get("updated_at") if form.editing else None,
            )
        except ValidationError as error:
            form_add_service_errors(error, form)
        else:
            messages.success(
                request,
                f"The target for {REGISTRY[target.figure_key].label} in {year_label(target.year)} "
                f"is {target.value}.",
            )
            return redirect(reverse("reports:targets") + f"?year={target.year}")
    return render(request, "reports/dashboards/target_form.html", {"form": form, "existing": existing})


def _comparators_page(request, *, form=None, upload_form=None, rejected=None):
    today = timezone.localdate()
    year = _year_of(request, today)
    rows = list(targets.comparator_list(year=year))
    can_change = request.user.has_perm("reports.add_comparator")
    table = Table(
        name="comparators",
        caption=f"Comparators for {year_label(year)}",
        headers=["Figure", "Key", "Compared with", "Value", "Published by"],
        rows=[
            [
                cell(REGISTRY[c.figure_key].label if c.figure_key in REGISTRY else c.figure_key),
                cell(c.figure_key),
                cell(c.get_source_display()),
                cell(float(c.value)),
                cell(c.published_by),
            ]
            for c in rows
        ],
        numeric=[False, False, False, True, False],
    )
    download = page_download(request, [table], title="Comparators", filters=None, what="comparators")
    if download:
        return download
    return render(
        request,
        "reports/dashboards/comparators.html",
        {
            "year": year,
            "year_label": year_label(year),
            "table": table,
            "comparators": rows,
            "years": [(y, year_label(y)) for y in range(year + 1, year - 6, -1)],
            "form": form or ComparatorForm(initial={"year": year}, today=today),
            "upload_form": upload_form or ComparatorUploadForm(),
            "rejected": rejected,
            "can_change": can_change,
        },
    )


@login_required
@permission_required("reports.view_comparator", raise_exception=True)
def comparator_list(request: HttpRequest) -> HttpResponse:
    """The published comparators of a year, with the form and the CSV upload for managers."""
    if request.method == "POST":
        if not request.user.has_perm("reports.add_comparator"):
            raise PermissionDenied
        form = ComparatorForm(request.POST, today=timezone.localdate())
        if form.is_valid():
            data = form.cleaned_data
            try:
                comparator = target_services.comparator_set(
                    figure_key=data["figure_key"],
                    year=data["year"],
                    source=data["source"],
                    value=data["value"],
                    published_by=data["published_by"],
                )
            except ValidationError as error:
                form_add_service_errors(error, form)
            else:
                messages.success(request, f"Saved: {comparator}.")
                return redirect(reverse("reports:comparators") + f"?year={comparator.year}")
        return _comparators_page(request, form=form)
    return _comparators_page(request)


@login_required
@permission_required("reports.add_comparator", raise_exception=True)
@require_POST
def comparator_upload(request: HttpRequest) -> HttpResponse:
    """Import comparators from a CSV: all rows or, if any row is wrong, none, with every problem."""
    form = ComparatorUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _comparators_page(request, upload_form=form)
    upload = form.cleaned_data["comparators"]
    try:
        result = target_services.comparators_import_csv(upload=upload, name=upload.name)
    except ImportRejected as rejected:
        form.add_error(
            "comparators",
            f"The file has {rejected.count} problem{'s' if rejected.count != 1 else ''}; nothing was "
            "imported. Each is listed below.",
        )
        return _comparators_page(request, upload_form=form, rejected=rejected)
    messages.success(request, f"Comparators imported: {result.created} added, {result.updated} changed.")
    return redirect("reports:comparators")


@login_required
@permission_required("reports.delete_comparator", raise_exception=True)
@require_POST
def comparator_delete(request: HttpRequest, pk: int) -> HttpResponse:
    comparator = get_object_or_404(Comparator, pk=pk)
    year = comparator.year
    target_services.comparator_delete(comparator=comparator)
    messages.success(request, "The comparator is removed.")
    return redirect(reverse("reports:comparators") + f"?year={year}")
