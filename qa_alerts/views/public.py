"""The page behind the link in an alert's email: for the person the alert is addressed to, who
needs no account. It shows that alert's text and a response form, nothing else; a link that is
tampered with, expired, used or for a resolved alert gets a plain page saying so."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from iro_service.core.forms import form_add_service_errors
from qa_alerts import services
from qa_alerts.forms import LinkResponseForm

REFUSALS = {
    "invalid": (404, "This link is not valid", "Check you copied the whole link from the email."),
    "expired": (
        410,
        "This link has expired",
        "Ask the IRO who raised the alert for a new link, or reply to them by email.",
    ),
    "used": (
        410,
        "This link has already been used",
        "A response has been sent with it. Contact the IRO if you need to add something.",
    ),
    "closed": (410, "This alert has been resolved", "There is nothing more to answer. Thank you."),
}


def _refused(request, reason: str) -> HttpResponse:
    status, title, advice = REFUSALS[reason]
    return render(
        request, "qa_alerts/respond_refused.html", {"title": title, "advice": advice}, status=status
    )


@never_cache
def respond(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = services.response_link_check(token)
    except services.LinkRefused as refused:
        return _refused(request, refused.reason)
    form = LinkResponseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.alert_response_through_link(token=token, **form.cleaned_data)
        except services.LinkRefused as refused:
            return _refused(request, refused.reason)
        except ValidationError as error:
            form_add_service_errors(error, form)
        else:
            return render(request, "qa_alerts/respond_done.html", {"alert": link.alert})
    alert = link.alert
    return render(
        request,
        "qa_alerts/respond.html",
        {
            "alert": alert,
            "form": form,
            "child_ids": [link.child.local_child_id for link in alert.children.select_related("child")],
            "categories": [c.category.name for c in alert.concerns.select_related("category")],
            "stage": alert.stages.filter(number=alert.stage).first(),
        },
    )
