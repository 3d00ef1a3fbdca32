"""A conference's page, recording what it decided, and its paperwork: the reports' dates and
the record's completion and distribution."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from conferences import services
from conferences.forms import (
    AgencyAttendanceForm,
    ChildDecisionForm,
    ConferenceVersionForm,
    DistributionForm,
    ReportsForm,
    attendance_tables,
)
from conferences.models import Agency, ConferenceStatus
from conferences.views._common import _conference_or_404, _log_children
from iro_service.core.forms import error_summary
from iro_service.core.pages import dfe_warnings_flash, form_page
from iro_service.core.panels import page_panels
from iro_service.core.restriction import NOT_YOUR_RECORD, NotTheirRecord, may_change_record


@login_required
@permission_required("conferences.view_conference", raise_exception=True)
def conference_detail(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _conference_or_404(request, pk)
    _log_children(request, [link.child for link in conference.children.all()], "Conferences: conference")
    return render(
        request,
        "conferences/conference_detail.html",
        {
            "conference": conference,
            "today": timezone.localdate(),
            # The child's views section of the record, for the children who have points in it.
            "child_views": [
                (link, link.views.all()) for link in conference.children.all() if link.views.all()
            ],
            # Other apps' panels about the conference (the consultations before a review one).
            "panels": page_panels(request, page="conference", record=conference),
        },
    )


@login_required
@permission_required("conferences.record_conference", raise_exception=True)
def conference_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a held conference for all its children at once: each child's outcome and
    categories, and each agency's attendance."""
    conference = _conference_or_404(request, pk)
    links = list(conference.children.all())
    if not may_change_record(
        request.user, chair_id=conference.chair_id, child_ids=[link.child_id for link in links]
    ):
        raise NotTheirRecord(NOT_YOUR_RECORD)
    if conference.status != ConferenceStatus.BOOKED:
        messages.info(request, f"This conference is already {conference.get_status_display().lower()}.")
        return redirect(conference)
    data = request.POST if request.method == "POST" else None
    child_forms = [ChildDecisionForm(data, link=link, prefix=f"child-{link.child_id}") for link in links]
    invited = {invitation.agency: invitation for invitation in conference.invitations.all()}
    agency_forms = [
        AgencyAttendanceForm(
            data,
            agency=agency,
            prefix=f"agency-{agency}",
            initial={"invited": agency in invited},
        )
        for agency in Agency.values
    ]
    version_form = ConferenceVersionForm(data, initial={"seen_updated_at": conference.updated_at.isoformat()})
    if request.method == "POST":
        valid = all(form.is_valid() for form in [version_form, *child_forms, *agency_forms])
        if valid:
            decisions = {
                form.link.child_id: services.ChildDecision(
                    outcome=form.cleaned_data["outcome"],
                    categories=tuple(form.cleaned_data["categories"]),
                    end_reason=form.cleaned_data["end_reason"],
                )
                for form in child_forms
            }
            attendance = [
                services.AgencyAttendance(
                    agency=form.agency,
                    invited=form.cleaned_data["invited"] or form.cleaned_data["attended"],
                    attended=form.cleaned_data["attended"],
                    report_submitted=form.cleaned_data["report_submitted"],
                )
                for form in agency_forms
                if any(form.cleaned_data.values())
            ]
            try:
                recorded = services.conference_record(
                    conference=conference,
                    decisions=decisions,
                    attendance=attendance,
                    seen_updated_at=version_form.cleaned_data["seen_updated_at"],
                )
            except ValidationError as error:
                # The service names the field, and the child where the error is one child's:
                # show it against that child's answers (otherwise the first child's).
                child_id = error.child_id if isinstance(error, services.ChildDecisionError) else None
                target = next(
                    (f for f in child_forms if f.link.child_id == child_id),
                    child_forms[0] if child_forms else None,
                )
                for field, field_errors in error.message_dict.items():
                    if target is not None and field in target.fields:
                        target.add_error(field, field_errors)
                    else:
                        version_form.add_error(None, field_errors)
            else:
                messages.success(request, "Conference recorded.")
                dfe_warnings_flash(request, recorded)
                return redirect(conference)
    _log_children(request, [link.child for link in links], "Conferences: record a conference")
    return render(
        request,
        "conferences/conference_record.html",
        {
            "conference": conference,
            "child_forms": child_forms,
            "attendance": attendance_tables(agency_forms, invited=set(invited)),
            # The version travels on its own; its errors (a stale page) are about the whole
            # record, so they go to the first thing to fill in.
            "errors": error_summary(version_form, *child_forms, *agency_forms),
            "seen_updated_at": conference.updated_at.isoformat(),
        },
    )


@login_required
@permission_required("conferences.track_conference_paperwork", raise_exception=True)
def conference_reports(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _conference_or_404(request, pk)
    form = ReportsForm(
        request.POST if request.method == "POST" else None,
        initial={
            "report_to_parents_on": conference.report_to_parents_on,
            "report_to_chair_on": conference.report_to_chair_on,
            "seen_updated_at": conference.updated_at.isoformat(),
        },
    )

    def save(data: dict):
        services.conference_reports_record(
            conference=conference,
            report_to_parents_on=data["report_to_parents_on"],
            report_to_chair_on=data["report_to_chair_on"],
            seen_updated_at=data["seen_updated_at"],
        )
        return "Report dates saved.", reverse("conferences:reports-outstanding")

    return form_page(
        request,
        form=form,
        save=save,
        template="conferences/conference_form.html",
        context={"conference": conference, "title": "Social worker's report"},
    )


@login_required
@permission_required("conferences.track_conference_paperwork", raise_exception=True)
def conference_distribute(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _conference_or_404(request, pk)
    form = DistributionForm(
        request.POST if request.method == "POST" else None,
        initial={
            "completed_on": conference.record_completed_on,
            "distributed_on": conference.record_distributed_on,
            "seen_updated_at": conference.updated_at.isoformat(),
        },
    )

    def save(data: dict):
        services.conference_record_distribute(
            conference=conference,
            completed_on=data["completed_on"],
            distributed_on=data["distributed_on"],
            seen_updated_at=data["seen_updated_at"],
        )
        return "Record dates saved.", reverse("conferences:records-to-distribute")

    return form_page(
        request,
        form=form,
        save=save,
        template="conferences/conference_form.html",
        context={"conference": conference, "title": "Conference record and plan"},
    )
