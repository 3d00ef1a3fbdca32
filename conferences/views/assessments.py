"""Recording the assessment a section 47 enquiry is part of, for the CIN census."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse

from conferences import selectors, services
from conferences.forms import AssessmentForm
from conferences.models import Section47Enquiry
from iro_service.audit.services import access_log_record
from iro_service.core.pages import dfe_warnings_flash, form_page


@login_required
@permission_required("conferences.change_section47enquiry", raise_exception=True)
def enquiry_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    """Record, correct or remove the assessment of one child's section 47 enquiry: when it
    started, when it was authorised and the factors it identified."""
    try:
        enquiry = selectors.section47_enquiry_for_page(pk=pk, user=request.user)
    except Section47Enquiry.DoesNotExist:
        raise Http404("No section 47 enquiry with that number") from None
    form = AssessmentForm(
        request.POST if request.method == "POST" else None,
        enquiry=enquiry,
        initial={
            "assessment_started_on": enquiry.assessment_started_on,
            "assessment_authorised_on": enquiry.assessment_authorised_on,
            "assessment_factors": enquiry.assessment_factors,
        },
    )

    def save(data: dict):
        saved = services.section47_assessment_record(
            enquiry=enquiry,
            started_on=data["assessment_started_on"],
            authorised_on=data["assessment_authorised_on"],
            factors=data["assessment_factors"],
        )
        dfe_warnings_flash(request, saved)
        message = "Assessment saved." if saved.has_assessment else "Assessment removed."
        return message, reverse("conferences:child-record", args=[enquiry.child_id])

    return form_page(
        request,
        form=form,
        save=save,
        template="conferences/enquiry_assessment.html",
        context={"enquiry": enquiry, "child": enquiry.child},
        before_render=lambda: access_log_record(
            request=request, child=enquiry.child, what="Conferences: section 47 assessment"
        ),
    )
