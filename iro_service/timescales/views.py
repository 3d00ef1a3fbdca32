"""Managers' pages for the local timescales and extra non-working days."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from iro_service.core.forms import form_add_service_errors
from iro_service.timescales import selectors, services
from iro_service.timescales.forms import NonWorkingDayForm, TimescaleSettingsForm
from iro_service.timescales.models import NonWorkingDay


@login_required
@permission_required("timescales.view_timescalesettings", raise_exception=True)
def settings_page(request: HttpRequest) -> HttpResponse:
    current = selectors.timescale_settings()
    can_change = request.user.has_perm("timescales.change_timescalesettings")
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        form = TimescaleSettingsForm(request.POST, instance=current)
        if form.is_valid():
            try:
                services.timescale_settings_update(changes=form.cleaned_data)
            except ValidationError as error:
                form_add_service_errors(error, form)
            else:
                messages.success(request, "Timescale settings saved. Due dates follow the new settings.")
                return redirect("timescales:settings")
    else:
        form = TimescaleSettingsForm(instance=current)
    return render(
        request,
        "timescales/settings.html",
        {
            "form": form,
            "settings_row": current,
            "can_change": can_change,
        },
    )


@login_required
@permission_required("timescales.view_nonworkingday", raise_exception=True)
def non_working_days(request: HttpRequest) -> HttpResponse:
    can_change = request.user.has_perm("timescales.add_nonworkingday")
    form = NonWorkingDayForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            day = services.non_working_day_add(
                day=form.cleaned_data["date"], description=form.cleaned_data["description"]
            )
            messages.success(request, f"{day.date:%d %B %Y} is now a non-working day.")
            return redirect("timescales:non-working-days")
    return render(
        request,
        "timescales/non_working_days.html",
        {
            "form": form,
            "days": selectors.non_working_day_list(),
            "can_change": can_change,
            "can_delete": request.user.has_perm("timescales.delete_nonworkingday"),
        },
    )


@login_required
@require_POST
@permission_required("timescales.delete_nonworkingday", raise_exception=True)
def non_working_day_delete(request: HttpRequest, pk: int) -> HttpResponse:
    day = get_object_or_404(NonWorkingDay, pk=pk)
    services.non_working_day_remove(record=day)
    messages.success(request, f"{day.date:%d %B %Y} is a working day again.")
    return redirect("timescales:non-working-days")
