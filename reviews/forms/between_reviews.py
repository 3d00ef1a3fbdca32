"""Between reviews: permanence plans, Children's Guardians and referrals for legal advice."""

from __future__ import annotations

from crispy_forms_gds.layout import Field
from django import forms

from iro_service.core.forms import date_field
from reviews.codes import PermanencePlanType
from reviews.forms._common import VersionedForm, _no_tag_helper


class PermanencePlanForm(forms.Form):
    period = forms.TypedChoiceField(
        label="Period of care",
        coerce=int,
        error_messages={
            "required": "Select the period of care the plan is for",
            "invalid_choice": "Select a period of care from the list",
        },
    )
    plan_type = forms.ChoiceField(
        label="Plan for permanence",
        choices=PermanencePlanType.choices,
        error_messages={"required": "Select the plan for permanence"},
    )
    date_agreed = date_field("Date the plan was agreed")

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [
            (
                period.pk,
                f"From {period.start_date.day} {period.start_date:%B %Y}"
                + (
                    f" to {period.end_date.day} {period.end_date:%B %Y}"
                    if period.end_date
                    else " (in care now)"
                ),
            )
            for period in periods
        ]
        self.helper = _no_tag_helper(
            Field.radios("period"), Field.radios("plan_type"), Field.text("date_agreed", field_width=10)
        )


class GuardianDatesForm(VersionedForm):
    """The end of a Children's Guardian's involvement and their handover to the IRO."""

    end_date = date_field(
        "Date the guardian's involvement ended",
        required=False,
        hint="If it has ended.",
    )
    handover_date = date_field(
        "Date the guardian handed over to the IRO",
        required=False,
        hint="If they have.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _no_tag_helper(*self._layout())

    def _layout(self):
        return [*self._dates(), "updated_at"]

    def _dates(self):
        return [Field.text("end_date", field_width=10), Field.text("handover_date", field_width=10)]


class GuardianForm(GuardianDatesForm):
    """A Children's Guardian appointed in care proceedings."""

    guardian_name = forms.CharField(
        label="Guardian's name",
        max_length=120,
        error_messages={"required": "Enter the Children's Guardian's name"},
    )
    start_date = date_field("Date the guardian was appointed")
    updated_at = None  # a new record has no version yet

    field_order = ["guardian_name", "start_date", "end_date", "handover_date"]

    def _layout(self):
        return [
            Field.text("guardian_name", field_width=20),
            Field.text("start_date", field_width=10),
            *self._dates(),
        ]


class LegalAdviceReferralForm(forms.Form):
    date_referred = date_field("Date of the referral")
    reason = forms.CharField(
        label="Reason for the referral",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the reason for the referral"},
    )
    outcome = forms.CharField(
        label="Outcome",
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Leave blank if it is not known yet.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _no_tag_helper(
            Field.text("date_referred", field_width=10), Field.textarea("reason"), Field.textarea("outcome")
        )


class LegalAdviceOutcomeForm(VersionedForm):
    outcome = forms.CharField(
        label="Outcome",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the outcome of the referral"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _no_tag_helper(Field.textarea("outcome"), "updated_at")
