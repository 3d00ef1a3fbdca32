"""The conferences hub, the lists (my conferences, families, to book, reports outstanding,
records to distribute, plans for structured review), a family's page and a child's."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone

from conferences import selectors, services
from conferences.forms import RecordsDistributeForm, RecordsFilterForm
from conferences.models import Conference
from conferences.views._common import _log_children, _log_conferences, _page
from iro_service.audit.services import access_log_record
from iro_service.core.formats import long_date
from iro_service.core.forms import form_add_service_errors, query_text
from iro_service.core.paging import page_selection, url_without_selection
from iro_service.core.restriction import restrict_ids
from iro_service.people import selectors as people_selectors
from iro_service.people.models import Child, Family
from iro_service.people.selectors import staff_member_of


@login_required
@permission_required("conferences.view_conference", raise_exception=True)
def index(request: HttpRequest) -> HttpResponse:
    """The conferences hub: links to the screens the signed-in person may use."""
    return render(request, "conferences/index.html")


@login_required
@permission_required("conferences.view_conference", raise_exception=True)
def my_conferences(request: HttpRequest) -> HttpResponse:
    """A chair's conferences: booked ones coming up, ones to record, records overdue."""
    chair = staff_member_of(request.user)
    today = timezone.localdate()
    context = {"chair": chair, "today": today}
    if chair is not None:
        context |= {
            "upcoming": list(selectors.conferences_upcoming(on=today, chair=chair).restrict(request.user)),
            "not_recorded": list(
                selectors.conferences_not_recorded(on=today, chair=chair).restrict(request.user)
            ),
            "overdue": list(selectors.records_overdue(on=today, chair=chair).restrict(request.user)),
        }
        shown = [*context["upcoming"], *context["not_recorded"], *context["overdue"]]
        _log_conferences(request, shown, "Conferences: my conferences")
    return render(request, "conferences/my_conferences.html", context)


@login_required
@permission_required("conferences.view_conference", raise_exception=True)
def family_list(request: HttpRequest) -> HttpResponse:
    """Households with conferences: who lives in each, each child's plan now, and the chair."""
    query = query_text(request, "q")
    page, pagination = _page(request, selectors.family_list(search=query, user=request.user))
    _log_children(
        request,
        [membership.child for family in page.object_list for membership in family.current_members],
        "Conferences: families",
    )
    return render(
        request, "conferences/family_list.html", {"page": page, "pagination": pagination, "q": query}
    )


@login_required
@permission_required("conferences.view_conference", raise_exception=True)
def child_record(request: HttpRequest, pk: int) -> HttpResponse:
    """A child's conferences, in every household they have lived in, their plans, and their
    section 47 enquiries with the assessments."""
    try:
        child = people_selectors.child_for_record(pk=pk, user=request.user)
    except Child.DoesNotExist:
        raise Http404("No child with that record") from None
    access_log_record(request=request, child=child, what="Child record: conferences and plans")
    record = selectors.child_protection_record(child=child)
    return render(
        request,
        "conferences/child_record.html",
        {
            "child": child,
            "conferences": record.conferences,
            "plans": record.plans,
            "enquiries": record.enquiries,
            "can_assess": request.user.has_perm("conferences.change_section47enquiry"),
        },
    )


@login_required
@permission_required("conferences.view_conference", raise_exception=True)
def family_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A family's conferences over time, each child's plans, and chair continuity."""
    try:
        family_page = selectors.family_for_page(pk=pk, user=request.user)
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
@permission_required("conferences.book_conference", raise_exception=True)
def conferences_to_book(request: HttpRequest) -> HttpResponse:
    items = selectors.conferences_to_book(on=timezone.localdate(), user=request.user)
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
    page, pagination = _page(
        request, selectors.reports_outstanding(on=timezone.localdate()).restrict(request.user)
    )
    _log_conferences(request, page, "Conferences: reports outstanding")
    return render(
        request,
        "conferences/reports_outstanding.html",
        {"page": page, "pagination": pagination, "today": timezone.localdate()},
    )


@login_required
@permission_required("conferences.track_conference_paperwork", raise_exception=True)
def records_to_distribute(request: HttpRequest) -> HttpResponse:
    """Business support's conference 'Records to distribute', filtered, with bulk 'mark
    distributed' for the records that are completed (the others are completed and sent from
    each conference's record page)."""
    today = timezone.localdate()
    filter_form = RecordsFilterForm(
        request.GET or None, chairs=people_selectors.iro_list(), teams=people_selectors.iro_teams()
    )
    filters = filter_form.filters()
    form = RecordsDistributeForm(request.POST or None, initial={"distributed_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            count = services.conference_records_distribute(
                conference_ids=restrict_ids(Conference, form.cleaned_data["conferences"], request.user),
                distributed_on=form.cleaned_data["distributed_on"],
            )
        except ValidationError as error:
            form_add_service_errors(error, form)
        else:
            messages.success(
                request,
                f"{count} record{pluralize(count)} marked distributed on "
                f"{long_date(form.cleaned_data['distributed_on'])}.",
            )
            return redirect(url_without_selection(request))
    rows = selectors.records_to_distribute(
        chair_id=filters["chair"].pk if filters.get("chair") else None,
        team_id=filters["team"].pk if filters.get("team") else None,
        completed_from=filters.get("completed_from"),
        completed_to=filters.get("completed_to"),
        overdue_on=today if filters.get("overdue") else None,
    ).restrict(request.user)
    page, pagination = _page(request, rows)
    _log_conferences(request, page, "Conferences: records to distribute")
    completed = [conference.pk for conference in page if conference.record_completed_on]
    return render(
        request,
        "conferences/records_to_distribute.html",
        {
            "filter_form": filter_form,
            "filtered": any(filters.values()),
            "form": form,
            "selection": page_selection(request, field="conferences", page_ids=completed),
            "first_completed": completed[0] if completed else None,
            "page": page,
            "pagination": pagination,
            "today": today,
        },
    )


@login_required
@permission_required("conferences.view_structured_review_list", raise_exception=True)
def structured_reviews(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    page, pagination = _page(request, selectors.plans_for_structured_review(on=today).restrict(request.user))
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
