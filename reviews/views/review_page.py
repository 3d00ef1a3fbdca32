"""The child's care page, and the page that records a review (with its parts) or changes one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from iro_service.audit.services import access_log_record
from iro_service.core.forms import error_summary
from iro_service.core.pages import dfe_warnings_flash
from iro_service.core.panels import page_panels
from iro_service.core.restriction import NOT_YOUR_RECORD, NotTheirRecord, may_change_record
from iro_service.people import selectors as people_selectors
from iro_service.people.models import Child
from reviews import selectors, services
from reviews.codes import MeetingStatus
from reviews.forms import ReviewForm, ReviewPartFormSet
from reviews.models import LacReview
from reviews.views._common import _child_or_404, _own_iro


@login_required
@permission_required("reviews.view_lacreview", raise_exception=True)
def care_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The child's care page: the current period, the reviews and a timeline of everything."""
    child = _child_or_404(request, pk)
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
    """(control id, message) for the error summary, in page order."""
    # Not formset.forms[0]: a POST without the management form has no forms at all.
    missing = [(f"id_{formset.prefix}-0-date", message) for message in formset.non_form_errors()]
    parts = error_summary(*formset.forms)
    return parts + missing + error_summary(form)


def _review_initial(request, review: LacReview | None) -> dict:
    """What the review form starts from: the stored review (with its version), or for a new
    review the signed-in IRO as chair."""
    if review is None:
        own = _own_iro(request)
        return {"chair": own.pk if own else None}
    return {
        **selectors.lac_review_editable_values(review=review),
        "chair": review.chair_id,
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
            if total.isascii() and total.isdigit():  # not "²", which int() refuses
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
                **{name: data[name] for name in selectors.LAC_REVIEW_EDITABLE_FIELDS},
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
                        and field[5:].isascii()
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
                dfe_warnings_flash(request, saved)
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
        {
            "child": child,
            "review": review,
            "form": form,
            "formset": formset,
            "errors": errors,
            # What other apps add about a review held (the views taken to its record).
            "panels": page_panels(request, page="review", record=review) if review else [],
        },
    )


@login_required
@permission_required("reviews.add_lacreview", raise_exception=True)
def review_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a review that has been held, with its parts on the same page."""
    return _review_page(request, child=_child_or_404(request, pk), review=None)


@login_required
@permission_required("reviews.change_lacreview", raise_exception=True)
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        review = selectors.review_for_edit(pk=pk, user=request.user)
    except LacReview.DoesNotExist:
        raise Http404("No such review") from None
    if not may_change_record(request.user, chair_id=review.chair_id, child_ids=[review.child_id]):
        raise NotTheirRecord(NOT_YOUR_RECORD)
    return _review_page(request, child=review.child, review=review)
