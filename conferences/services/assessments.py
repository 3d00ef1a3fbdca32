"""The assessment a section 47 enquiry is part of: when it started, when it was authorised and
the factors it identified, as the CIN census's Assessments module holds them. Children's social
care records the assessment in its own system; it is written here so that the census the IRO
service returns has it (DfE query 2991Q asks for an assessment with every section 47 enquiry)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from conferences.codes import NO_FACTORS, assessment_factors
from conferences.models import Section47Enquiry
from conferences.services._common import _dfe_warnings
from iro_service.core.formats import long_date


@transaction.atomic
def section47_assessment_record(
    *,
    enquiry: Section47Enquiry,
    started_on: date | None,
    authorised_on: date | None = None,
    factors: list[str] | None = None,
) -> Section47Enquiry:
    """Record (or correct, or clear with no start date) the assessment of ``enquiry``. The
    factors are the DfE's codes, given once the assessment is authorised. Returns the enquiry
    with the DfE's census rules its child's records break (``dfe_warnings``)."""
    factors = list(dict.fromkeys(factors or []))  # each factor once (DfE rule 8898)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    known = assessment_factors()
    unknown = [code for code in factors if code not in known]
    if started_on is None and (authorised_on is not None or factors):
        errors["assessment_started_on"] = "Enter the date the assessment started"
    elif started_on is not None and started_on > today:
        errors["assessment_started_on"] = "The date the assessment started cannot be in the future"
    if authorised_on is not None:
        if authorised_on > today:
            errors["assessment_authorised_on"] = (
                "The date the assessment was authorised cannot be in the future"
            )
        elif started_on is not None and authorised_on < started_on:
            errors["assessment_authorised_on"] = (
                f"The assessment cannot be authorised before it started on {long_date(started_on)}"
            )
    if unknown:
        errors["assessment_factors"] = f"Not a factor in the DfE's list: {', '.join(unknown)}"
    elif factors and authorised_on is None:
        errors["assessment_factors"] = (
            "Record the factors when the assessment is authorised: enter the date it was authorised"
        )
    elif authorised_on is not None and not factors:
        errors["assessment_factors"] = (
            "Select the factors the assessment identified, or 21, no factors identified"
        )
    elif NO_FACTORS in factors and len(factors) > 1:
        errors["assessment_factors"] = "21, no factors identified, cannot be selected with other factors"
    if errors:
        raise ValidationError(errors)
    enquiry = Section47Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    enquiry.assessment_started_on = started_on
    enquiry.assessment_authorised_on = authorised_on
    enquiry.assessment_factors = factors
    enquiry.full_clean()
    enquiry.save()
    enquiry.dfe_warnings = _dfe_warnings(child_ids=[enquiry.child_id], on=started_on or enquiry.start_date)
    return enquiry
