"""Pages of the conferences app: thin views over services and selectors. Every page that shows
children's details writes one access-log row per child shown."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from conferences import selectors, services
from conferences.forms import (
    AgencyAttendanceForm,
    AppealForm,
    AppealUpdateForm,
    BookingForm,
    ChildDecisionForm,
    ConferenceVersionForm,
    DistributionForm,
    ReportsForm,
    StandDownForm,
    StrategyDiscussionForm,
)
from conferences.models import Agency, Appeal, Conference, ConferenceStatus
from iro_service.audit.services import access_log_record_list
from iro_service.core.forms import form_add_service_errors
from iro_service.core.paging import pagination_links
from iro_service.people.models import Family
from iro_service.people.selectors import family_current_children, iro_list

PAGE_SIZE = 25


def _page(request, rows):
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return page, pagination_links(request, page)


def _log_children(request, children, what: str) -> None:
    access_log_record_list(request=request, child_ids=[child.pk for child in children], what=what)


def _log_conferences(request, conferences, what: str) -> None:
    """A list of conferences is a view of the records of the children considered at each."""
    access_log_record_list(
        request=request,
        child_ids=[link.child_id for conference in conferences for link in conference.children.all()],
        what=what,
    )


def _conference_or_404(pk: int) -> Conference:
    try:
        return selectors.conference_for_page(pk=pk)
    except Conference.DoesNotExist:
        raise Http404("No conference with that number") from None


@login_required
@permission_required("conferences.view_conference", raise_exception=True)
def index(request: HttpRequest) -> HttpResponse:
    """The conferences hub: links to the screens the signed-in person may use."""
    return render(request, "conferences/index.html")


@login_required
@permission_required("conferences.view_conference", raise_exception=True)
def my_conferences(request: HttpRequest) -> HttpResponse:
    """A chair's conferences: booked ones coming up, ones to record, records overdue."""
    chair = getattr(request.user, "staff_member", None)
    today = timezone.localdate()
    context = {"chair": chair, "today": today}
    if chair is not None:
        context |= {
            "upcoming": list(selectors.conferences_upcoming(on=today, chair=chair)),
            "not_recorded": list(selectors.conferences_not_recorded(on=today, chair=chair)),
            "overdue": list(selectors.records_overdue(on=today, chair=chair)),
        }
        shown = [*context["upcoming"], *context["not_recorded"], *context["overdue"]]
        _log_conferences(request, shown, "Conferences: my conferences")
    return render(request, "conferences/my_conferences.html", context)


@login_required
@permission_required("conferences.view_conference", raise_exception=True)
def family_list(request: HttpRequest) -> HttpResponse:
    rows = Family.objects.filter(conferences__isnull=False).distinct().order_by("name", "pk")
    query = request.GET.get("q", "").strip()
    if query:
        rows = rows.filter(name__icontains=query) | rows.filter(reference__iexact=query)
    page, pagination = _page(request, rows)
    return render(
        request, "conferences/family_list.html", {"page": page, "pagination": pagination, "q": query}
    )


@login_required
@permission_required("conferences.view_conference", raise_exception=True)
def family_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A family's conferences over time, each child's plans, and chair continuity."""
    try:
        family_page = selectors.family_for_page(pk=pk)
    except Family.DoesNotExist:
        raise Http404("No family with that reference") from None
    _log_children(request, family_page.children, "Conferences: family page")
    for conference in family_page.conferences:
        conference.same_chair = family_page.continuity.get(conference.pk)
    return render(
        request,
        "conferences/family_detail.html",
        {
            "family": family_page.family,
            "conferences": family_page.conferences,
            "children": family_page.children,
            "today": timezone.localdate(),
            "can_book": request.user.has_perm("conferences.book_conference"),
        },
    )


@login_required
@permission_required("conferences.view_conference", raise_exception=True)
def conference_detail(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _conference_or_404(pk)
    _log_children(request, [link.child for link in conference.children.all()], "Conferences: conference")
    return render(
        request,
        "conferences/conference_detail.html",
        {"conference": conference, "today": timezone.localdate()},
    )


@login_required
@permission_required("conferences.record_conference", raise_exception=True)
def conference_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a held conference for all its children at once: each child's outcome and
    categories, and each agency's attendance."""
    conference = _conference_or_404(pk)
    if conference.status != ConferenceStatus.BOOKED:
        messages.info(request, f"This conference is already {conference.get_status_display().lower()}.")
        return redirect(conference)
    links = list(conference.children.all())
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
    errors: list[tuple[str, str]] = []
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
                services.conference_record(
                    conference=conference,
                    decisions=decisions,
                    attendance=attendance,
                    seen_updated_at=version_form.cleaned_data["seen_updated_at"],
                )
            except ValidationError as error:
                # The service names the field; show it against the first child's form.
                for field, field_errors in error.message_dict.items():
                    target = next(
                        (f for f in child_forms if any(f.link.child.full_name in e for e in field_errors)),
                        child_forms[0] if child_forms else None,
                    )
                    if target is not None and field in target.fields:
                        target.add_error(field, field_errors)
                    else:
                        errors.extend((f"id_{child_forms[0].prefix}-outcome", e) for e in field_errors)
            else:
                messages.success(request, "Conference recorded.")
                return redirect(conference)
        first_anchor = f"id_{child_forms[0].prefix}-outcome" if child_forms else "main-content"
        errors.extend((first_anchor, e) for e in version_form.non_field_errors())
        for form in child_forms + agency_forms:
            for field, field_errors in form.errors.items():
                anchor = f"id_{form.prefix}-{field}" if field != "__all__" else f"id_{form.prefix}-outcome"
                errors.extend((anchor, e) for e in field_errors)
    _log_children(request, [link.child for link in links], "Conferences: record a conference")
    return render(
        request,
        "conferences/conference_record.html",
        {
            "conference": conference,
            "child_forms": child_forms,
            "agency_forms": agency_forms,
            "errors": errors,
            "seen_updated_at": conference.updated_at.isoformat(),
        },
    )


@login_required
@permission_required("conferences.book_conference", raise_exception=True)
def conference_book(request: HttpRequest, family_pk: int) -> HttpResponse:
    """Book a conference for a family. Each child's stage follows from their plans."""
    try:
        family = Family.objects.get(pk=family_pk)
    except Family.DoesNotExist:
        raise Http404("No family with that reference") from None
    today = timezone.localdate()
    children = family_current_children(family=family)
    discussions = list(family.strategy_discussions.order_by("-date"))
    form = BookingForm(
        request.POST if request.method == "POST" else None,
        chairs=iro_list(on=today),
        children=children,
        discussions=discussions,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = [child for child in children if str(child.pk) in data["children"]]
        discussion = next((d for d in discussions if str(d.pk) == data["strategy_discussion"]), None)
        try:
            conference = services.conference_book(
                family=family,
                conference_type=data["conference_type"],
                on=data["date"],
                chair=data["chair"],
                children=selectors.suggested_stages(
                    children=chosen, on=data["date"], conference_type=data["conference_type"]
                ),
                strategy_discussion=discussion,
                transfer_notified_on=data["transfer_notified_on"],
                agencies=data["agencies"],
            )
        except ValidationError as error:
            form_add_service_errors(error, form)
        else:
            messages.success(request, f"Conference booked for {conference.date:%-d %B %Y}.")
            return redirect(conference)
    _log_children(request, children, "Conferences: book a conference")
    return render(request, "conferences/conference_book.html", {"family": family, "form": form})


@login_required
@permission_required("conferences.add_strategydiscussion", raise_exception=True)
def strategy_discussion_add(request: HttpRequest, family_pk: int) -> HttpResponse:
    try:
        family = Family.objects.get(pk=family_pk)
    except Family.DoesNotExist:
        raise Http404("No family with that reference") from None
    children = family_current_children(family=family)
    form = StrategyDiscussionForm(request.POST if request.method == "POST" else None, children=children)
    if request.method == "POST" and form.is_valid():
        chosen = [child for child in children if str(child.pk) in form.cleaned_data["children"]]
        try:
            services.strategy_discussion_record(family=family, on=form.cleaned_data["date"], children=chosen)
        except ValidationError as error:
            form_add_service_errors(error, form)
        else:
            messages.success(request, "Strategy discussion recorded.")
            return redirect("conferences:family-detail", family.pk)
    _log_children(request, children, "Conferences: strategy discussion")
    return render(request, "conferences/strategy_discussion_add.html", {"family": family, "form": form})


@login_required
@permission_required("conferences.book_conference", raise_exception=True)
def conference_stand_down(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _conference_or_404(pk)
    form = StandDownForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.conference_stand_down(
                conference=conference,
                reason=form.cleaned_data["reason"],
                detail=form.cleaned_data["detail"],
                rearranged_on=form.cleaned_data["rearranged_on"],
            )
        except ValidationError as error:
            form_add_service_errors(error, form)
        else:
            messages.success(request, "Conference stood down.")
            return redirect(result)
    return render(
        request,
        "conferences/conference_form.html",
        {"conference": conference, "form": form, "title": "Stand down a conference"},
    )


@login_required
@permission_required("conferences.track_conference_paperwork", raise_exception=True)
def conference_reports(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _conference_or_404(pk)
    form = ReportsForm(
        request.POST if request.method == "POST" else None,
        initial={
            "report_to_parents_on": conference.report_to_parents_on,
            "report_to_chair_on": conference.report_to_chair_on,
            "seen_updated_at": conference.updated_at.isoformat(),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.conference_reports_record(
                conference=conference,
                report_to_parents_on=form.cleaned_data["report_to_parents_on"],
                report_to_chair_on=form.cleaned_data["report_to_chair_on"],
                seen_updated_at=form.cleaned_data["seen_updated_at"],
            )
        except ValidationError as error:
            form_add_service_errors(error, form)
        else:
            messages.success(request, "Report dates saved.")
            return redirect("conferences:reports-outstanding")
    return render(
        request,
        "conferences/conference_form.html",
        {"conference": conference, "form": form, "title": "Social worker's report"},
    )


@login_required
@permission_required("conferences.track_conference_paperwork", raise_exception=True)
def conference_distribute(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _conference_or_404(pk)
    form = DistributionForm(
        request.POST if request.method == "POST" else None,
        initial={
            "completed_on": conference.record_completed_on,
            "distributed_on": conference.record_distributed_on,
            "seen_updated_at": conference.updated_at.isoformat(),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.conference_record_distribute(
                conference=conference,
                completed_on=form.cleaned_data["completed_on"],
                distributed_on=form.cleaned_data["distributed_on"],
                seen_updated_at=form.cleaned_data["seen_updated_at"],
            )
        except ValidationError as error:
            form_add_service_errors(error, form)
        else:
            messages.success(request, "Record dates saved.")
            return redirect("conferences:records-to-distribute")
    return render(
        request,
        "conferences/conference_form.html",
        {"conference": conference, "form": form, "title": "Conference record and plan"},
    )


@login_required
@permission_required("conferences.book_conference", raise_exception=True)
def conferences_to_book(request: HttpRequest) -> HttpResponse:
    items = selectors.conferences_to_book(on=timezone.localdate())
    page, pagination = _page(request, items)
    _log_children(request, [child for item in page for child in item.children], "Conferences: to book")
    return render(
        request,
        "conferences/to_book.html",
        {"page": page, "pagination": pagination, "today": timezone.localdate()},
    )


@login_required
@permission_required("conferences.track_conference_paperwork", raise_exception=True)
def reports_outstanding(request: HttpRequest) -> HttpResponse:
    page, pagination = _page(request, selectors.reports_outstanding(on=timezone.localdate()))
    _log_conferences(request, page, "Conferences: reports outstanding")
    return render(
        request,
        "conferences/reports_outstanding.html",
        {"page": page, "pagination": pagination, "today": timezone.localdate()},
    )


@login_required
@permission_required("conferences.track_conference_paperwork", raise_exception=True)
def records_to_distribute(request: HttpRequest) -> HttpResponse:
    page, pagination = _page(request, selectors.records_to_distribute())
    _log_conferences(request, page, "Conferences: records to distribute")
    return render(
        request,
        "conferences/records_to_distribute.html",
        {"page": page, "pagination": pagination, "today": timezone.localdate()},
    )


@login_required
@permission_required("conferences.view_structured_review_list", raise_exception=True)
def structured_reviews(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    page, pagination = _page(request, selectors.plans_for_structured_review(on=today))
    for plan in page.object_list:
        plan.repeat_within_two_years = selectors.plan_is_repeat_within(plan)
    _log_children(
        request, [plan.child for plan in page.object_list], "Conferences: plans for structured review"
    )
    return render(
        request,
        "conferences/structured_reviews.html",
        {"page": page, "pagination": pagination, "today": today},
    )


@login_required
@permission_required("conferences.view_appeal", raise_exception=True)
def appeal_list(request: HttpRequest) -> HttpResponse:
    page, pagination = _page(request, selectors.appeal_list())
    # An appeal by or about one child is about that child; otherwise about the conference's children.
    access_log_record_list(
        request=request,
        child_ids=[
            child_id
            for appeal in page
            for child_id in (
                [appeal.child_id]
                if appeal.child_id
                else [link.child_id for link in appeal.conference.children.all()]
            )
        ],
        what="Conferences: appeals",
    )
    return render(
        request,
        "conferences/appeal_list.html",
        {
            "page": page,
            "pagination": pagination,
            "can_add": request.user.has_perm("conferences.add_appeal"),
            "can_change": request.user.has_perm("conferences.change_appeal"),
        },
    )


@login_required
@permission_required("conferences.add_appeal", raise_exception=True)
def appeal_add(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _conference_or_404(pk)
    form = AppealForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                appeal = services.appeal_record(
                    conference=conference,
                    appellant=data["appellant"],
                    received_on=data["received_on"],
                    summary=data["summary"],
                )
                services.appeal_update(
                    appeal=appeal,
                    stage=data["stage"],
                    outcome=data["outcome"],
                    response_sent_on=data["response_sent_on"],
                )
        except ValidationError as error:
            form_add_service_errors(error, form)
        else:
            messages.success(request, "Appeal saved.")
            return redirect("conferences:appeal-list")
    return render(
        request,
        "conferences/conference_form.html",
        {"conference": conference, "form": form, "title": "Record an appeal"},
    )


@login_required
@permission_required("conferences.change_appeal", raise_exception=True)
def appeal_update(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        appeal = selectors.appeal_list().get(pk=pk)
    except Appeal.DoesNotExist:
        raise Http404("No appeal with that number") from None
    form = AppealUpdateForm(
        request.POST if request.method == "POST" else None,
        initial={
            "stage": appeal.stage,
            "outcome": appeal.outcome,
            "response_sent_on": appeal.response_sent_on,
            "seen_updated_at": appeal.updated_at.isoformat(),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.appeal_update(
                appeal=appeal,
                stage=data["stage"],
                outcome=data["outcome"],
                response_sent_on=data["response_sent_on"],
                seen_updated_at=data["seen_updated_at"],
            )
        except ValidationError as error:
            form_add_service_errors(error, form)
        else:
            messages.success(request, "Appeal saved.")
            return redirect("conferences:appeal-list")
    return render(
        request,
        "conferences/conference_form.html",
        {
            "conference": appeal.conference,
            "form": form,
            "title": f"Appeal by {appeal.get_appellant_display().lower()}",
        },
    )
