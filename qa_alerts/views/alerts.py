"""Raising an alert from a child's, a review's or a conference's page, an alert's page, and the
changes made from it: responses, judgements, escalation, naming a stage's addressee, referrals
and resolution."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from conferences import selectors as conferences_selectors
from iro_service.audit.services import access_log_record_list
from iro_service.core.pages import form_page
from iro_service.people import selectors as people_selectors
from iro_service.people.models import Child
from qa_alerts import selectors, services
from qa_alerts.forms import (
    AddressForm,
    AlertRaiseForm,
    EscalateForm,
    JudgeForm,
    ReferForm,
    ResolveForm,
    ResponseForm,
)
from qa_alerts.models import AlertResponse, AlertStatus
from qa_alerts.selectors import escalation_stage_names, stage_name
from qa_alerts.views._common import _alert_or_404, _own_iro, _version
from reviews import selectors as reviews_selectors


def _raise(
    request: HttpRequest, *, children: list[Child], back: str, back_label: str, review=None, conference=None
):
    today = timezone.localdate()
    own = _own_iro(request)
    known = selectors.last_addressees_for_child(child_id=children[0].pk) if children else None
    initial = {
        "children": [str(c.pk) for c in children],
        "raised_on": today.strftime("%d/%m/%Y"),
        "kind": "concern",
    }
    if known is not None:
        # What is known: the practitioner and manager of the child's last alert.
        initial |= {
            name: getattr(known, name)
            for name in ("practitioner_name", "practitioner_email", "team_manager_name", "team_manager_email")
        } | {"team": known.team_id}
    form = AlertRaiseForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        children=children,
        categories=selectors.concern_categories(active_only=True),
        teams=selectors.teams_for_alerts(),
        iros=None if own is not None else people_selectors.iro_list(on=today),
    )

    def save(data: dict):
        by_pk = {str(child.pk): child for child in children}
        categories = {str(c.pk): c for c in selectors.concern_categories(active_only=True)}
        alert = services.alert_raise(
            raised_by=own or data["raised_by"],
            children=[by_pk[pk] for pk in data["children"]],
            kind=data["kind"],
            categories=[categories[pk] for pk in data["categories"]],
            description=data["description"],
            practitioner_name=data["practitioner_name"],
            practitioner_email=data["practitioner_email"],
            team=data["team"],
            team_manager_name=data["team_manager_name"],
            team_manager_email=data["team_manager_email"],
            raised_on=data["raised_on"],
            review=review,
            conference=conference,
            by=request.user,
        )
        return f"Alert {alert.reference} raised. The email to the practitioner is on its way.", alert

    return form_page(
        request,
        form=form,
        save=save,
        template="qa_alerts/alert_raise.html",
        context={"children": children, "back": back, "back_label": back_label},
        before_render=lambda: access_log_record_list(
            request=request, child_ids=[c.pk for c in children], what="QA alerts: raise an alert"
        ),
    )


@login_required
@permission_required("qa_alerts.add_qaalert", raise_exception=True)
def raise_for_child(request: HttpRequest, pk: int) -> HttpResponse:
    child = get_object_or_404(Child.objects.restrict(request.user), pk=pk)
    return _raise(
        request, children=[child], back=child.get_absolute_url(), back_label=f"Back to {child.full_name}"
    )


@login_required
@permission_required("qa_alerts.add_qaalert", raise_exception=True)
def raise_for_review(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        review = reviews_selectors.review_with_child(pk=pk, user=request.user)
    except ObjectDoesNotExist:
        raise Http404("No review with that number") from None
    return _raise(
        request,
        children=[review.child],
        back=review.get_absolute_url(),
        back_label="Back to the review",
        review=review,
    )


@login_required
@permission_required("qa_alerts.add_qaalert", raise_exception=True)
def raise_for_conference(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        conference = conferences_selectors.conference_for_page(pk=pk, user=request.user)
    except ObjectDoesNotExist:
        raise Http404("No conference with that number") from None
    return _raise(
        request,
        children=[link.child for link in conference.children.all()],
        back=conference.get_absolute_url(),
        back_label="Back to the conference",
        conference=conference,
    )


@login_required
@permission_required("qa_alerts.view_qaalert", raise_exception=True)
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    alert = _alert_or_404(request, pk)
    access_log_record_list(
        request=request, child_ids=[link.child_id for link in alert.children.all()], what="QA alert"
    )
    names = escalation_stage_names()
    user = request.user
    return render(
        request,
        "qa_alerts/alert_detail.html",
        {
            "alert": alert,
            "today": timezone.localdate(),
            "is_open": alert.status == AlertStatus.OPEN,
            "can_respond": user.has_perm("qa_alerts.record_alert_response"),
            "can_act": user.has_perm("qa_alerts.escalate_qaalert"),
            "at_last_stage": alert.stage >= len(names),
            "stage_count": len(names),
            "current_stage": next((s for s in alert.stages.all() if s.number == alert.stage), None),
            "process_due": selectors.alert_process_due(alert),
        },
    )


def _alert_form_page(request, alert, form, save, title: str):
    return form_page(
        request,
        form=form,
        save=save,
        template="qa_alerts/alert_form.html",
        context={"alert": alert, "title": title},
        before_render=lambda: access_log_record_list(
            request=request,
            child_ids=[link.child_id for link in alert.children.all()],
            what=f"QA alert: {title}",
        ),
    )


@login_required
@permission_required("qa_alerts.record_alert_response", raise_exception=True)
def response_record(request: HttpRequest, pk: int) -> HttpResponse:
    alert = _alert_or_404(request, pk)
    form = ResponseForm(
        request.POST if request.method == "POST" else None,
        initial={**_version(alert), "received_on": timezone.localdate().strftime("%d/%m/%Y")},
    )

    def save(data: dict):
        services.alert_response_record(
            alert=alert,
            received_on=data["received_on"],
            responder_name=data["responder_name"],
            summary=data["summary"],
            satisfactory=data["satisfactory"] == "yes",
            by=request.user,
            seen_updated_at=data["seen_updated_at"],
        )
        return "Response saved.", alert

    return _alert_form_page(request, alert, form, save, "Record a response")


@login_required
@permission_required("qa_alerts.escalate_qaalert", raise_exception=True)
def response_judge(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        response = selectors.response_for_judging(pk=pk, user=request.user)
    except AlertResponse.DoesNotExist:
        raise Http404("No response with that number") from None
    alert = _alert_or_404(request, response.alert_id)
    form = JudgeForm(request.POST if request.method == "POST" else None, initial=_version(alert))

    def save(data: dict):
        services.alert_response_judge(
            response=response,
            satisfactory=data["satisfactory"] == "yes",
            by=request.user,
            seen_updated_at=data["seen_updated_at"],
        )
        return "Judgement saved.", alert

    page = _alert_form_page(request, alert, form, save, f"Response from {response.responder_name}")
    return page


@login_required
@permission_required("qa_alerts.escalate_qaalert", raise_exception=True)
def escalate(request: HttpRequest, pk: int) -> HttpResponse:
    alert = _alert_or_404(request, pk)
    names = escalation_stage_names()
    later = [(n, stage_name(n, names)) for n in range(alert.stage + 1, len(names) + 1)]
    contact = selectors.stage_contact(team_id=alert.team_id, number=alert.stage + 1)
    initial = {
        **_version(alert),
        "on": timezone.localdate().strftime("%d/%m/%Y"),
        "to_stage": later[0][0] if later else None,
    }
    if contact:
        initial |= {"addressee_name": contact[0], "addressee_email": contact[1]}
    form = EscalateForm(request.POST if request.method == "POST" else None, initial=initial, stages=later)

    def save(data: dict):
        services.alert_escalate(
            alert=alert,
            to_stage=data["to_stage"],
            on=data["on"],
            addressee_name=data["addressee_name"],
            addressee_email=data["addressee_email"],
            reason=data["reason"],
            by=request.user,
            seen_updated_at=data["seen_updated_at"],
        )
        return f"Alert escalated to {stage_name(data['to_stage'], names)}.", alert

    return _alert_form_page(request, alert, form, save, "Escalate the alert")


@login_required
@permission_required("qa_alerts.escalate_qaalert", raise_exception=True)
def address(request: HttpRequest, pk: int) -> HttpResponse:
    alert = _alert_or_404(request, pk)
    form = AddressForm(request.POST if request.method == "POST" else None, initial=_version(alert))

    def save(data: dict):
        stage = services.alert_stage_address(
            alert=alert,
            addressee_name=data["addressee_name"],
            addressee_email=data["addressee_email"],
            by=request.user,
            seen_updated_at=data["seen_updated_at"],
        )
        return f"The alert is on its way to {stage.addressee_name}.", alert

    return _alert_form_page(request, alert, form, save, "Name who this stage goes to")


@login_required
@permission_required("qa_alerts.escalate_qaalert", raise_exception=True)
def refer(request: HttpRequest, pk: int) -> HttpResponse:
    alert = _alert_or_404(request, pk)
    child_ids = [link.child_id for link in alert.children.all()]
    form = ReferForm(
        request.POST if request.method == "POST" else None,
        initial={**_version(alert), "referred_on": timezone.localdate().strftime("%d/%m/%Y")},
        guardians=reviews_selectors.guardians_of_children(child_ids=child_ids),
        legal_referrals=reviews_selectors.legal_advice_referrals_of_children(child_ids=child_ids),
    )

    def save(data: dict):
        referral = services.alert_refer(
            alert=alert,
            kind=data["kind"],
            referred_on=data["referred_on"],
            cafcass_involvement=data["cafcass_involvement"],
            legal_advice_referral=data["legal_advice_referral"],
            notes=data["notes"],
            by=request.user,
            seen_updated_at=data["seen_updated_at"],
        )
        return f"Referral saved: {referral.get_kind_display()}.", alert

    return _alert_form_page(request, alert, form, save, "Refer to Cafcass or for legal advice")


@login_required
@permission_required("qa_alerts.escalate_qaalert", raise_exception=True)
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    alert = _alert_or_404(request, pk)
    form = ResolveForm(
        request.POST if request.method == "POST" else None,
        initial={**_version(alert), "resolved_on": timezone.localdate().strftime("%d/%m/%Y")},
    )

    def save(data: dict):
        services.alert_resolve(
            alert=alert,
            outcome=data["outcome"],
            resolved_on=data["resolved_on"],
            detail=data["detail"],
            by=request.user,
            seen_updated_at=data["seen_updated_at"],
        )
        return "Alert resolved.", alert

    return _alert_form_page(request, alert, form, save, "Resolve the alert")
