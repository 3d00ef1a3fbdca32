"""Between reviews: the IRO's contacts with the child, permanence plans, Children's Guardians
(Cafcass) and referrals for legal advice."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from iro_service.core.formats import long_date
from iro_service.core.versioning import refuse_if_changed_since
from iro_service.people.codes import JobRole
from iro_service.people.models import Child, StaffMember
from reviews.models import CafcassInvolvement, IroContact, LegalAdviceReferral, PeriodOfCare, PermanencePlan


def _create(instance):
    instance.full_clean()
    instance.save()
    return instance


def _not_future(field: str, day: date, label: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: f"{label} must be today or earlier."})


def iro_contact_record(*, child: Child, iro: StaffMember, on: date, kind: str, notes: str = "") -> IroContact:
    """An IRO's visit or other contact with the child between reviews."""
    _not_future("date", on, "The date of the contact")
    if iro.job_role != JobRole.IRO:
        raise ValidationError(
            {"iro": f"{iro.full_name} is not an IRO: only an IRO's contacts are recorded here."}
        )
    return _create(IroContact(child=child, iro=iro, date=on, kind=kind, notes=notes))


def permanence_plan_record(*, period: PeriodOfCare, plan_type: str, date_agreed: date) -> PermanencePlan:
    """The permanence plan agreed for the child (by the second review at the latest)."""
    _not_future("date_agreed", date_agreed, "The date the plan was agreed")
    if date_agreed < period.start_date:
        raise ValidationError({"date_agreed": "The plan must be agreed during the period of care."})
    return _create(PermanencePlan(period=period, plan_type=plan_type, date_agreed=date_agreed))


def cafcass_involvement_record(
    *, child: Child, guardian_name: str, start_date: date, end_date=None, handover_date=None
) -> CafcassInvolvement:
    """A Children's Guardian's involvement in proceedings and the handover at their end."""
    _not_future("start_date", start_date, "The date the guardian was appointed")
    _guardian_dates_check(appointed=start_date, end_date=end_date, handover_date=handover_date)
    return _create(
        CafcassInvolvement(
            child=child,
            guardian_name=guardian_name,
            start_date=start_date,
            end_date=end_date,
            handover_date=handover_date,
        )
    )


def legal_advice_referral_record(
    *, child: Child, date_referred: date, reason: str, outcome: str = ""
) -> LegalAdviceReferral:
    """A referral of the child for independent legal advice."""
    _not_future("date_referred", date_referred, "The date of the referral")
    return _create(
        LegalAdviceReferral(child=child, date_referred=date_referred, reason=reason, outcome=outcome)
    )


def _not_future_error(day: date | None, label: str) -> str | None:
    return f"{label} must be today or earlier." if day is not None and day > timezone.localdate() else None


@transaction.atomic
def cafcass_involvement_update(
    *,
    involvement: CafcassInvolvement,
    end_date: date | None,
    handover_date: date | None,
    seen_updated_at: datetime | None = None,
) -> CafcassInvolvement:
    """Record when the Children's Guardian's involvement ended and when they handed over to the
    IRO (usually once proceedings end). Both dates are on or after the appointment and not in
    the future; every problem is named against its field and nothing is saved. Refused if
    someone else changed the record since ``seen_updated_at``, the version the editor read."""
    involvement = CafcassInvolvement.objects.select_for_update().get(pk=involvement.pk)
    refuse_if_changed_since(involvement, seen_updated_at, what="Children's Guardian's record")
    _guardian_dates_check(appointed=involvement.start_date, end_date=end_date, handover_date=handover_date)
    involvement.end_date = end_date
    involvement.handover_date = handover_date
    involvement.full_clean()
    involvement.save()
    return involvement


def _guardian_dates_check(*, appointed: date, end_date: date | None, handover_date: date | None) -> None:
    """The end of a guardian's involvement and the handover are on or after the appointment and
    not in the future; every problem is named against its field."""
    errors = {}
    for field, day, label in (
        ("end_date", end_date, "The date the guardian's involvement ended"),
        ("handover_date", handover_date, "The date of the handover to the IRO"),
    ):
        if day is None:
            continue
        if day < appointed:
            errors[field] = (
                f"{label} must be on or after the guardian was appointed on {long_date(appointed)}."
            )
        elif message := _not_future_error(day, label):
            errors[field] = message
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def legal_advice_referral_update(
    *, referral: LegalAdviceReferral, outcome: str, seen_updated_at: datetime | None = None
) -> LegalAdviceReferral:
    """Record (or correct) the outcome of a referral for legal advice once it is known. The
    outcome cannot be emptied: a referral without an outcome is one still waiting for it.
    Refused if someone else changed the referral since ``seen_updated_at``, the version the
    editor read."""
    referral = LegalAdviceReferral.objects.select_for_update().get(pk=referral.pk)
    refuse_if_changed_since(referral, seen_updated_at, what="referral for legal advice")
    outcome = outcome.strip()
    if not outcome:
        raise ValidationError({"outcome": "Enter the outcome of the referral for legal advice."})
    referral.outcome = outcome
    referral.full_clean()
    referral.save()
    return referral
