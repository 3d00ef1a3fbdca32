"""Pages of the reviews app: thin views over services and selectors. Every view of a child's
record is written to the access log."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from iro_service.audit.services import access_log_record, access_log_record_list
from iro_service.core.formats import long_date
from iro_service.core.forms import form_add_service_errors
from iro_service.core.paging import SortColumn, pagination_links, sort_headers, sort_ordering
from iro_service.core.redirects import safe_next
from iro_service.people import selectors as people_selectors
from iro_service.people.codes import JobRole
from iro_service.people.models import Child, StaffMember
from reviews import selectors, services
from reviews.codes import MeetingStatus
from reviews.forms import (
    ChildrenInCareFilterForm,
    ContactForm,
    DistributeForm,
    EpisodeChangeForm,
    GuardianDatesForm,
    GuardianForm,
    LegalAdviceOutcomeForm,
    LegalAdviceReferralForm,
    MeetingBookForm,
    MeetingCancelForm,
    PeriodOfCareEndForm,
    PeriodOfCareStartForm,
    PermanencePlanForm,
    RecordsFilterForm,
    ReviewForm,
    ReviewPartFormSet,
    ReviewsToBookFilterForm,
    date_from_post,
)
from reviews.models import (
    CafcassInvolvement,
    LacReview,
    LegalAdviceReferral,
    PeriodOfCare,
    ReviewMeeting,
)

PAGE_SIZE = 25

CARE_COLUMNS = [
    SortColumn("name", "Name", ("child__last_name", "child__first_name")),
    SortColumn("id", "Child ID", ("child__local_child_id",)),
    SortColumn("since", "In care since", ("start_date",)),
    SortColumn("last", "Last review", ("last_review_date",)),
    SortColumn("due", "Next review due", ("next_review_due",)),
    SortColumn("status", "Status", ("status_rank", "next_review_due")),
]
TO_BOOK_COLUMNS = [
    SortColumn("name", "Name", ("child__last_name", "child__first_name")),
    SortColumn("id", "Child ID", ("child__local_child_id",)),
    SortColumn("iro", "IRO", ("iro_last_name", "iro_first_name")),
    SortColumn("due", "Review due by", ("next_review_due",)),
]
RECORD_COLUMNS = [
    SortColumn("name", "Child", ("child__last_name", "child__first_name")),
    SortColumn("review", "Review date", ("review_date",)),
    SortColumn("chair", "Chair", ("chair__last_name", "chair__first_name")),
    SortColumn("completed", "Record completed", ("record_completed",)),
    SortColumn("due", "Record due", ("record_due",)),
]


def _own_iro(request) -> StaffMember | None:
    member = getattr(request.user, "staff_member", None)
    return member if member is not None and member.job_role == JobRole.IRO else None


def _child_or_404(pk: int) -> Child:
    try:
        return Child.objects.get(pk=pk)
    except Child.DoesNotExist:
        raise Http404("No child with that record") from None


@login_required
@permission_required("reviews.view_periodofcare", raise_exception=True)
def children_in_care(request: HttpRequest) -> HttpResponse:
    """'My children in care' for an IRO (any IRO's, or everyone's, by the filter)."""
    today = timezone.localdate()
    own = _own_iro(request)
    iros = people_selectors.iro_list(on=today)
    data = request.GET.copy()
    if own is not None and "iro" not in data:
        data["iro"] = str(own.pk)
    form = ChildrenInCareFilterForm(data, iros=iros)
    filters = form.cleaned_data if form.is_valid() else {}
    iro = filters.get("iro")
    sort, ordering = sort_ordering(request, CARE_COLUMNS, "due")
    periods = selectors.children_in_care(
        today=today,
        iro_id=iro.pk if iro else None,
        status=filters.get("status", ""),
        search=filters.get("q", ""),
        ordering=ordering,
    )
    page = Paginator(periods, PAGE_SIZE).get_page(request.GET.get("page"))
    access_log_record_list(
        request=request, child_ids=[period.child_id for period in page], what="Children in care"
    )
    title = (
        "My children in care"
        if own is not None and iro is not None and iro.pk == own.pk
        else "Children in care"
    )
    return render(
        request,
        "reviews/children_in_care.html",
        {
            "title": title,
            "form": form,
            "page": page,
            "pagination": pagination_links(request, page),
            "headers": sort_headers(request, CARE_COLUMNS, sort),
            "filtered": any(filters.get(name) for name in ("q", "status")),
        },
    )


@login_required
@permission_required("reviews.view_lacreview", raise_exception=True)
def care_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The child's care page: the current period, the reviews and a timeline of everything."""
    child = _child_or_404(pk)
    access_log_record(request=request, child=child, what="Child record: care and reviews")
    record = selectors.care_record(child=child)
    current = record["current_period"]
    booked = None
    if current is not None:
        booked = next((m for m in current.meetings.all() if m.status == MeetingStatus.BOOKED), None)
    return render(
        request,
        "reviews/care_record.html",
        {
            "child": child,
            **record,
            "booked": booked,
            "today": timezone.localdate(),
            "due_soon_limit": selectors.due_soon_limit(today=timezone.localdate()),
            "iro": people_selectors.current_iro(child=child),
            "can_record": request.user.has_perm("reviews.add_lacreview"),
            "can_edit": request.user.has_perm("reviews.change_lacreview"),
            "can_book": request.user.has_perm("reviews.add_reviewmeeting"),
            "can_contact": request.user.has_perm("reviews.add_irocontact"),
            "can_reallocate": request.user.has_perm("people.add_iroallocation"),
            "can_start_care": request.user.has_perm("reviews.add_periodofcare"),
            "can_change_episode": request.user.has_perm("reviews.add_episode"),
            "can_end_care": request.user.has_perm("reviews.change_periodofcare"),
            "can_plan": request.user.has_perm("reviews.add_permanenceplan"),
            "can_add_guardian": request.user.has_perm("reviews.add_cafcassinvolvement"),
            "can_change_guardian": request.user.has_perm("reviews.change_cafcassinvolvement"),
            "can_refer": request.user.has_perm("reviews.add_legaladvicereferral"),
            "can_change_referral": request.user.has_perm("reviews.change_legaladvicereferral"),
        },
    )


def _parts_from(formset) -> list[services.PartInput]:
    parts = []
    for part_form in formset.forms:
        data = part_form.cleaned_data if part_form.is_valid() else {}
        if data.get("date"):
            parts.append(services.PartInput(date=data["date"], notes=data.get("notes", "")))
    return parts


def _error_list(form, formset) -> list[tuple[str, str]]:
    """(field id, message) for the error summary, in page order."""
    errors = []
    for part_form in formset.forms:
        for name, field_errors in part_form.errors.items():
            errors.extend((part_form[name].auto_id, message) for message in field_errors)
    for message in formset.non_form_errors():
        # Not formset.forms[0]: a POST without the management form has no forms at all.
        errors.append((f"id_{formset.prefix}-0-date", message))
    for name, field_errors in form.errors.items():
        field_id = form[name].auto_id if name in form.fields else form["chair"].auto_id
        errors.extend((field_id, message) for message in field_errors)
    return errors


def _review_initial(request, review: LacReview | None) -> dict:
    """What the review form starts from: the stored review (with its version), or for a new
    review the signed-in IRO as chair."""
    if review is None:
        own = _own_iro(request)
        return {"chair": own.pk if own else None}
    return {
        "chair": review.chair_id,
        "participation_code": review.participation_code,
        "sw_report_received": review.sw_report_received,
        "decisions_circulated": review.decisions_circulated,
        "record_completed": review.record_completed,
        "late_reason": review.late_reason,
        "updated_at": review.updated_at.isoformat(),
    }


def _stored_parts(review: LacReview | None):
    if review is None:
        return ReviewPartFormSet(prefix="part")
    return ReviewPartFormSet(
        initial=[{"date": p.date, "notes": p.notes} for p in review.parts.all()], prefix="part"
    )


def _review_page(request, *, child: Child, review: LacReview | None) -> HttpResponse:
    iros = people_selectors.iro_list()
    posted = request.method == "POST"
    form = ReviewForm(request.POST if posted else None, initial=_review_initial(request, review), iros=iros)
    if posted:
        part_data = request.POST.copy()
        if "add_part" in request.POST:
            # "Add another part": the same page again with one more part, nothing saved.
            # Only a count that was sent is raised: a missing or garbled one is the formset's
            # error to report.
            total = part_data.get("part-TOTAL_FORMS", "")
            if total.isdigit():
                part_data["part-TOTAL_FORMS"] = str(min(int(total) + 1, 10))
        formset = ReviewPartFormSet(part_data, prefix="part")
    else:
        formset = _stored_parts(review)
    if posted and "add_part" not in request.POST:
        form_ok = form.is_valid()
        parts_ok = formset.is_valid()
        parts = _parts_from(formset) if parts_ok else []
        if parts_ok and (not formset.forms[0].cleaned_data.get("date")):
            formset.forms[0].add_error("date", "Enter the date of part 1 of the review")
            parts_ok = False
        if form_ok and parts_ok:
            data = form.cleaned_data
            fields = {
                "parts": parts,
                "chair": data["chair"],
                "participation_code": data["participation_code"],
                "sw_report_received": data["sw_report_received"],
                "decisions_circulated": data["decisions_circulated"],
                "record_completed": data["record_completed"],
                "late_reason": data["late_reason"],
            }
            try:
                if review is None:
                    saved = services.lac_review_record(child=child, **fields)
                else:
                    saved = services.lac_review_update(
                        review=review, seen_updated_at=data["updated_at"], **fields
                    )
            except ValidationError as error:
                for field, field_errors in error.message_dict.items():
                    if field in ("review_date", "parts"):
                        formset.forms[0].add_error("date", field_errors)
                    elif (
                        field.startswith("part_")
                        and field[5:].isdigit()
                        and int(field[5:]) <= len(formset.forms)
                    ):
                        formset.forms[int(field[5:]) - 1].add_error("date", field_errors)
                    elif field in form.fields:
                        form.add_error(field, field_errors)
                    else:
                        form.add_error(None, field_errors)
            else:
                verb = "recorded" if review is None else "saved"
                messages.success(
                    request,
                    f"Review {saved.sequence} for {child.full_name} {verb}. "
                    f"Held on {saved.review_date:%d %B %Y}, due by {saved.due_date:%d %B %Y}.",
                )
                return redirect("reviews:care-record", child.pk)
    errors = _error_list(form, formset) if posted else []
    if posted and not formset.forms:
        # The POST had no management form, so it gave no parts to show again: show the stored
        # ones (or an empty part 1), with the error above saying what was missing.
        formset = _stored_parts(review)
    access_log_record(
        request=request,
        child=child,
        what="Child record: record a review" if review is None else "Child record: review",
    )
    return render(
        request,
        "reviews/review_form.html",
        {"child": child, "review": review, "form": form, "formset": formset, "errors": errors},
    )


@login_required
@permission_required("reviews.add_lacreview", raise_exception=True)
def review_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a review that has been held, with its parts on the same page."""
    return _review_page(request, child=_child_or_404(pk), review=None)


@login_required
@permission_required("reviews.change_lacreview", raise_exception=True)
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        review = selectors.review_for_edit(pk=pk)
    except LacReview.DoesNotExist:
        raise Http404("No such review") from None
    return _review_page(request, child=review.child, review=review)


@login_required
@permission_required("reviews.add_reviewmeeting", raise_exception=True)
def reviews_to_book(request: HttpRequest) -> HttpResponse:
    """Business support's 'Reviews to book': due within N weeks, no meeting booked."""
    today = timezone.localdate()
    iros = people_selectors.iro_list(on=today)
    form = ReviewsToBookFilterForm(request.GET or None, iros=iros)
    filters = form.cleaned_data if form.is_valid() else {}
    weeks = filters.get("weeks") or 6
    sort, ordering = sort_ordering(request, TO_BOOK_COLUMNS, "due")
    periods = selectors.reviews_to_book(
        today=today, weeks=weeks, iro_id=filters["iro"].pk if filters.get("iro") else None, ordering=ordering
    )
    page = Paginator(periods, PAGE_SIZE).get_page(request.GET.get("page"))
    access_log_record_list(
        request=request, child_ids=[period.child_id for period in page], what="Reviews to book"
    )
    return render(
        request,
        "reviews/reviews_to_book.html",
        {
            "form": form,
            "weeks": weeks,
            "page": page,
            "pagination": pagination_links(request, page),
            "headers": sort_headers(request, TO_BOOK_COLUMNS, sort),
        },
    )


@login_required
@permission_required("reviews.add_reviewmeeting", raise_exception=True)
def meeting_book(request: HttpRequest, pk: int) -> HttpResponse:
    """Book the next review meeting; afterwards back to the list the booking was made from."""
    period = get_object_or_404(PeriodOfCare.objects.select_related("child"), pk=pk)
    back = safe_next(request, reverse("reviews:to-book"))
    form = MeetingBookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.review_meeting_book(
                period=period, on=form.cleaned_data["date"], by=request.user
            )
        except ValidationError as error:
            form_add_service_errors(error, form)
        else:
            messages.success(
                request, f"Review meeting for {period.child.full_name} booked for {meeting.date:%d %B %Y}."
            )
            return redirect(back)
    access_log_record(request=request, child=period.child, what="Child record: book a review")
    return render(
        request,
        "reviews/meeting_book.html",
        {"period": period, "child": period.child, "form": form, "back": back},
    )


@login_required
@permission_required("reviews.change_reviewmeeting", raise_exception=True)
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a booked review meeting or move it to another date, keeping the reason."""
    meeting = get_object_or_404(ReviewMeeting.objects.select_related("period__child"), pk=pk)
    child = meeting.period.child
    form = MeetingCancelForm(request.POST or None, initial={"updated_at": meeting.updated_at.isoformat()})
    if request.method == "POST" and form.is_valid():
        try:
            moved = services.review_meeting_cancel(
                meeting=meeting,
                reason=form.cleaned_data["reason"],
                new_date=form.cleaned_data["new_date"],
                by=request.user,
                seen_updated_at=form.cleaned_data["updated_at"],
            )
        except ValidationError as error:
            form_add_service_errors(error, form)
        else:
            if moved is None:
                messages.success(request, f"The review meeting on {meeting.date:%d %B %Y} is cancelled.")
            else:
                messages.success(request, f"The review meeting is moved to {moved.date:%d %B %Y}.")
            return redirect("reviews:care-record", child.pk)
    access_log_record(request=request, child=child, what="Child record: cancel or move a review")
    return render(request, "reviews/meeting_cancel.html", {"meeting": meeting, "child": child, "form": form})


@login_required
@permission_required("reviews.distribute_record", raise_exception=True)
def records_to_distribute(request: HttpRequest) -> HttpResponse:
    """Business support's 'Records to distribute', with bulk 'mark distributed'."""
    today = timezone.localdate()
    iros = people_selectors.iro_list()
    filter_form = RecordsFilterForm(request.GET or None, iros=iros)
    filters = filter_form.cleaned_data if filter_form.is_valid() else {}
    form = DistributeForm(request.POST or None, initial={"distributed_on": today})
    chosen: list[int] = []
    if request.method == "POST":
        chosen = [int(value) for value in request.POST.getlist("reviews") if value.isdigit()]
        if form.is_valid():
            try:
                count = services.review_records_distribute(
                    review_ids=chosen, distributed_on=form.cleaned_data["distributed_on"]
                )
            except ValidationError as error:
                for field, field_errors in error.message_dict.items():
                    form.add_error("distributed_on" if field == "distributed_on" else None, field_errors)
            else:
                on = form.cleaned_data["distributed_on"]
                messages.success(
                    request, f"{count} record{'s' if count != 1 else ''} marked distributed on {on:%d %B %Y}."
                )
                return redirect(request.get_full_path())
    sort, ordering = sort_ordering(request, RECORD_COLUMNS, "due")
    reviews = selectors.records_to_distribute(
        today=today,
        iro_id=filters["iro"].pk if filters.get("iro") else None,
        overdue_only=bool(filters.get("overdue")),
        ordering=ordering,
    )
    page = Paginator(reviews, PAGE_SIZE).get_page(request.GET.get("page"))
    access_log_record_list(
        request=request, child_ids=[review.child_id for review in page], what="Review records to distribute"
    )
    return render(
        request,
        "reviews/records_to_distribute.html",
        {
            "filter_form": filter_form,
            "form": form,
            "chosen": set(chosen),
            "page": page,
            "pagination": pagination_links(request, page),
            "headers": sort_headers(request, RECORD_COLUMNS, sort),
        },
    )


@login_required
@permission_required("reviews.add_irocontact", raise_exception=True)
def contact_record(request: HttpRequest, pk: int) -> HttpResponse:
    """An IRO records a visit or other contact with the child between reviews."""
    child = _child_or_404(pk)
    own = _own_iro(request)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if own is None:
            form.add_error(None, "Only an IRO can record their contact with a child.")
        else:
            try:
                services.iro_contact_record(
                    child=child,
                    iro=own,
                    on=form.cleaned_data["date"],
                    kind=form.cleaned_data["kind"],
                    notes=form.cleaned_data["notes"],
                )
            except ValidationError as error:
                form_add_service_errors(error, form)
            else:
                messages.success(request, "Contact recorded.")
                return redirect("reviews:care-record", child.pk)
    access_log_record(request=request, child=child, what="Child record: record a contact")
    return render(request, "reviews/contact_form.html", {"child": child, "form": form})


# --- the care history: periods of care, episodes, plans, guardians, legal advice ------------------


def _care_form_page(
    request: HttpRequest,
    *,
    child: Child,
    form,
    what: str,
    heading: str,
    button: str,
    save: Callable[[dict], str],
    summary: list[tuple[str, str]] | None = None,
) -> HttpResponse:
    """One page of the care history: on a valid POST, ``save`` calls the service and returns the
    success message, and the browser goes back to the care page; a service's ValidationError
    is shown against the field it names, with nothing saved. Every view is in the access log."""
    if request.method == "POST" and form.is_valid():
        try:
            message = save(form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(error, form)
        else:
            messages.success(request, message)
            return redirect("reviews:care-record", child.pk)
    access_log_record(request=request, child=child, what=f"Child record: {what}")
    return render(
        request,
        "reviews/care_history_form.html",
        {"child": child, "form": form, "heading": heading, "button": button, "summary": summary or []},
    )


def _open_period_or_redirect(request, period: PeriodOfCare) -> HttpResponse | None:
    """A change of episode or leaving care is only for the open period: an old link to an
    ended one goes back to the care page, saying why."""
    if period.end_date is None:
        return None
    messages.info(
        request,
        f"{period.child.full_name} left care on {long_date(period.end_date)}: that period of care "
        "cannot be changed here.",
    )
    return redirect("reviews:care-record", period.child_id)


def _current_episode_summary(period: PeriodOfCare) -> list[tuple[str, str]]:
    episode = period.episodes.filter(end_date__isnull=True).first()
    rows = [("In care since", long_date(period.start_date))]
    if episode is not None:
        rows += [
            ("Current episode since", long_date(episode.start_date)),
            ("Legal status", episode.legal_status),
            (
                "Placement",
                episode.placement
                + (f" ({episode.placement_provider})" if episode.placement_provider else ""),
            ),
        ]
    return rows


@login_required
@permission_required("reviews.add_periodofcare", raise_exception=True)
def period_of_care_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Business support record that a child has started to be looked after."""
    child = _child_or_404(pk)
    open_period = PeriodOfCare.objects.filter(child=child, end_date__isnull=True).first()
    if open_period is not None:
        messages.info(
            request,
            f"{child.full_name} is already in care, since {long_date(open_period.start_date)}. "
            "Record a change of placement or legal status instead.",
        )
        return redirect("reviews:care-record", child.pk)
    on = date_from_post(request.POST, "start_date") or timezone.localdate()
    form = PeriodOfCareStartForm(request.POST or None, codes=selectors.codes_in_year(on=on))

    def save(data) -> str:
        period = services.period_of_care_start(child=child, **data)
        return (
            f"{child.full_name} is recorded as in care from {long_date(period.start_date)}. "
            f"The first review is due by {long_date(period.next_review_due)}."
        )

    return _care_form_page(
        request,
        child=child,
        form=form,
        what="start a period of care",
        heading="Start a period of care",
        button="Start period of care",
        save=save,
    )


@login_required
@permission_required("reviews.add_episode", raise_exception=True)
def episode_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Business support record a change of placement or legal status: a new episode."""
    period = get_object_or_404(PeriodOfCare.objects.select_related("child"), pk=pk)
    if (closed := _open_period_or_redirect(request, period)) is not None:
        return closed
    child = period.child
    current = period.episodes.filter(end_date__isnull=True).first()
    initial = {}
    if current is not None:
        # The page starts from what is true now, so only what changed needs choosing.
        initial = {
            name: getattr(current, name)
            for name in (
                "legal_status",
                "category_of_need",
                "placement",
                "placement_provider",
                "placement_postcode",
                "urn",
            )
        }
    on = date_from_post(request.POST, "start_date") or timezone.localdate()
    form = EpisodeChangeForm(request.POST or None, initial=initial, codes=selectors.codes_in_year(on=on))

    def save(data) -> str:
        episode = services.episode_change(period=period, **data)
        return (
            f"New episode for {child.full_name} from {long_date(episode.start_date)}: legal status "
            f"{episode.legal_status}, placement {episode.placement}."
        )

    return _care_form_page(
        request,
        child=child,
        form=form,
        what="record a change of placement or legal status",
        heading="Record a change of placement or legal status",
        button="Save change",
        save=save,
        summary=_current_episode_summary(period),
    )


@login_required
@permission_required("reviews.change_periodofcare", raise_exception=True)
def period_of_care_end(request: HttpRequest, pk: int) -> HttpResponse:
    """Business support record that the child left care: the period and its last episode end."""
    period = get_object_or_404(PeriodOfCare.objects.select_related("child"), pk=pk)
    if (closed := _open_period_or_redirect(request, period)) is not None:
        return closed
    child = period.child
    on = date_from_post(request.POST, "end_date") or timezone.localdate()
    form = PeriodOfCareEndForm(request.POST or None, codes=selectors.codes_in_year(on=on))

    def save(data) -> str:
        ended = services.period_of_care_end(period=period, **data)
        return f"{child.full_name} is recorded as leaving care on {long_date(ended.end_date)}."

    return _care_form_page(
        request,
        child=child,
        form=form,
        what="record that the child left care",
        heading="Record that the child left care",
        button="Save",
        save=save,
        summary=_current_episode_summary(period),
    )


@login_required
@permission_required("reviews.add_permanenceplan", raise_exception=True)
def permanence_plan_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan for permanence agreed for the child, usually by their second review."""
    child = _child_or_404(pk)
    periods = list(PeriodOfCare.objects.filter(child=child).order_by("-start_date"))
    if not periods:
        messages.info(request, f"{child.full_name} has no period of care: record the period of care first.")
        return redirect("reviews:care-record", child.pk)
    open_period = next((period for period in periods if period.end_date is None), None)
    form = PermanencePlanForm(
        request.POST or None, periods=periods, initial={"period": (open_period or periods[0]).pk}
    )

    def save(data) -> str:
        period = next(period for period in periods if period.pk == data["period"])
        try:
            plan = services.permanence_plan_record(
                period=period, plan_type=data["plan_type"], date_agreed=data["date_agreed"]
            )
        except ValidationError as error:
            # One plan a day per period is the database's constraint: say it against the date.
            if NON_FIELD_ERRORS in error.message_dict:
                raise ValidationError(
                    {"date_agreed": "A plan agreed on that date is already recorded. Check the date."}
                ) from None
            raise
        return (
            f"Permanence plan recorded: {plan.get_plan_type_display()}, agreed {long_date(plan.date_agreed)}."
        )

    return _care_form_page(
        request,
        child=child,
        form=form,
        what="record a permanence plan",
        heading="Record a permanence plan",
        button="Save plan",
        save=save,
    )


@login_required
@permission_required("reviews.add_cafcassinvolvement", raise_exception=True)
def guardian_record(request: HttpRequest, pk: int) -> HttpResponse:
    """A Cafcass Children's Guardian appointed in care proceedings."""
    child = _child_or_404(pk)
    form = GuardianForm(request.POST or None)

    def save(data) -> str:
        guardian = services.cafcass_involvement_record(child=child, **data)
        return f"Children's Guardian {guardian.guardian_name} recorded from {long_date(guardian.start_date)}."

    return _care_form_page(
        request,
        child=child,
        form=form,
        what="record a Children's Guardian",
        heading="Record a Children's Guardian",
        button="Save guardian",
        save=save,
    )


@login_required
@permission_required("reviews.change_cafcassinvolvement", raise_exception=True)
def guardian_update(request: HttpRequest, pk: int) -> HttpResponse:
    """The end of the guardian's involvement and their handover to the IRO."""
    guardian = get_object_or_404(CafcassInvolvement.objects.select_related("child"), pk=pk)
    form = GuardianDatesForm(
        request.POST or None,
        initial={
            "end_date": guardian.end_date,
            "handover_date": guardian.handover_date,
            "updated_at": guardian.updated_at.isoformat(),
        },
    )

    def save(data) -> str:
        services.cafcass_involvement_update(
            involvement=guardian,
            end_date=data["end_date"],
            handover_date=data["handover_date"],
            seen_updated_at=data["updated_at"],
        )
        return f"Children's Guardian {guardian.guardian_name}: end and handover saved."

    return _care_form_page(
        request,
        child=guardian.child,
        form=form,
        what="Children's Guardian",
        heading="Children's Guardian: end and handover",
        button="Save",
        save=save,
        summary=[("Guardian", guardian.guardian_name), ("Appointed", long_date(guardian.start_date))],
    )


@login_required
@permission_required("reviews.add_legaladvicereferral", raise_exception=True)
def legal_advice_referral_record(request: HttpRequest, pk: int) -> HttpResponse:
    """A referral of the child for independent legal advice."""
    child = _child_or_404(pk)
    form = LegalAdviceReferralForm(request.POST or None)

    def save(data) -> str:
        referral = services.legal_advice_referral_record(child=child, **data)
        return f"Referral for legal advice on {long_date(referral.date_referred)} recorded."

    return _care_form_page(
        request,
        child=child,
        form=form,
        what="record a referral for legal advice",
        heading="Record a referral for legal advice",
        button="Save referral",
        save=save,
    )


@login_required
@permission_required("reviews.change_legaladvicereferral", raise_exception=True)
def legal_advice_referral_update(request: HttpRequest, pk: int) -> HttpResponse:
    """The outcome of a referral for legal advice, once it is known."""
    referral = get_object_or_404(LegalAdviceReferral.objects.select_related("child"), pk=pk)
    form = LegalAdviceOutcomeForm(
        request.POST or None,
        initial={"outcome": referral.outcome, "updated_at": referral.updated_at.isoformat()},
    )

    def save(data) -> str:
        services.legal_advice_referral_update(
            referral=referral, outcome=data["outcome"], seen_updated_at=data["updated_at"]
        )
        return f"Outcome of the referral for legal advice on {long_date(referral.date_referred)} saved."

    return _care_form_page(
        request,
        child=referral.child,
        form=form,
        what="legal advice referral",
        heading="Outcome of the referral for legal advice",
        button="Save outcome",
        save=save,
        summary=[("Referred", long_date(referral.date_referred)), ("Reason", referral.reason)],
    )
