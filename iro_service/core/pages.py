"""The skeleton every page that changes a record through a service shares: a valid POST calls
the service, a service's ``ValidationError`` is shown against the field it names (never matched
by its text) with nothing saved, success says so and moves on, anything else shows the form."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from iro_service.core.forms import form_add_service_errors


def form_page(
    request: HttpRequest,
    *,
    form,
    save: Callable[[dict], tuple[str, object]],
    template: str,
    context: dict,
    before_render: Callable[[], None] | None = None,
) -> HttpResponse:
    """Answer a form page. On a valid POST ``save(cleaned_data)`` calls the service and returns
    ``(success message, where to go)``, anything ``redirect()`` takes (a record, a URL).
    ``before_render`` runs only when the page is shown (to log the children it shows)."""
    if request.method == "POST" and form.is_valid():
        try:
            message, next_page = save(form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(error, form)
        else:
            messages.success(request, message)
            return redirect(next_page)
    if before_render is not None:
        before_render()
    return render(request, template, {**context, "form": form})


# The messages' tag that base.html shows in a banner of their own, after the success message.
DFE_WARNING_TAG = "dfe-rule"


def dfe_warnings_flash(request: HttpRequest, saved) -> None:
    """Show on the next page the DfE rules the record just saved breaks (its ``dfe_warnings``,
    set by the service): warnings, never a reason the save did not happen."""
    for warning in getattr(saved, "dfe_warnings", ()):
        messages.warning(request, warning.text, extra_tags=DFE_WARNING_TAG)
