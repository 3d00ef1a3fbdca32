"""The care history between reviews: the IRO's contacts, periods of care and episodes, permanence
plans, Children's Guardians and referrals for legal advice, each a small form page."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from iro_service.audit.services import access_log_record
from iro_service.core.codes import code_shown
from iro_service.core.formats import long_date
from iro_service.core.forms import form_add_service_errors
from iro_service.core.pages import dfe_warnings_flash, form_page
from iro_service.people.models import Child
from reviews import selectors, services
from reviews.forms import (
    ContactForm,
    EpisodeChangeForm,
    GuardianDatesForm,
    GuardianForm,
    LegalAdviceOutcomeForm,
    LegalAdviceReferralForm,
    PeriodOfCareEndForm,
    PeriodOfCareStartForm,
    PermanencePlanForm,
    date_from_post,
)
from reviews.models import CafcassInvolvement, LegalAdviceReferral, PeriodOfCare
from reviews.views._common import _child_or_404, _own_iro


@login_required
@permission_required("reviews.add_irocontact", raise_exception=True)
def contact_record(request: HttpRequest, pk: int) -> HttpResponse:
    """An IRO records a visit or other contact with the child between reviews."""
    child = _child_or_404(request, pk)
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
    return form_page(
        request,
        form=form,
        save=lambda data: (save(data), reverse("reviews:care-record", args=[child.pk])),
        template="reviews/care_history_form.html",
        context={"child": child, "heading": heading, "button": button, "summary": summary or []},
        before_render=lambda: access_log_record(request=request, child=child, what=f"Child record: {what}"),
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
            ("Legal status", code_shown("LS", episode.legal_status)),
            ("Placement", code_shown("PLACE", episode.placement)),
        ]
        if episode.placement_provider:
            rows.append(("Placement provider", code_shown("PLACE_PROVIDER", episode.placement_provider)))
    return rows


@login_required
@permission_required("reviews.add_periodofcare", raise_exception=True)
def period_of_care_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Business support record that a child has started to be looked after."""
    child = _child_or_404(request, pk)
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
        dfe_warnings_flash(request, period)
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
    period = get_object_or_404(PeriodOfCare.objects.restrict(request.user).select_related("child"), pk=pk)
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
        dfe_warnings_flash(request, episode)
        return (
            f"New episode for {child.full_name} from {long_date(episode.start_date)}: legal status "
            f"{code_shown('LS', episode.legal_status)}, placement {code_shown('PLACE', episode.placement)}."
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
    period = get_object_or_404(PeriodOfCare.objects.restrict(request.user).select_related("child"), pk=pk)
    if (closed := _open_period_or_redirect(request, period)) is not None:
        return closed
    child = period.child
    on = date_from_post(request.POST, "end_date") or timezone.localdate()
    form = PeriodOfCareEndForm(request.POST or None, codes=selectors.codes_in_year(on=on))

    def save(data) -> str:
        ended = services.period_of_care_end(period=period, **data)
        dfe_warnings_flash(request, ended)
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
    child = _child_or_404(request, pk)
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
    child = _child_or_404(request, pk)
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
    guardian = get_object_or_404(
        CafcassInvolvement.objects.restrict(request.user).select_related("child"), pk=pk
    )
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
    child = _child_or_404(request, pk)
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
    referral = get_object_or_404(
        LegalAdviceReferral.objects.restrict(request.user).select_related("child"), pk=pk
    )
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
