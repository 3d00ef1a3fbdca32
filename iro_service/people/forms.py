"""Forms for the Children pages."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Submit
from django import forms

from iro_service.core.forms import date_field
from iro_service.people.codes import Ethnicity, Sex
from iro_service.people.models import StaffMember


class ChildFilterForm(forms.Form):
    """The filter panel of the Children list. Every field is optional; bad values are ignored
    with a message rather than failing the page."""

    q = forms.CharField(
        label="Name or child ID",
        required=False,
        max_length=100,
        help_text="For example, Amy Smith or C100123",
    )
    sex = forms.ChoiceField(label="Sex", required=False, choices=[("", "Any"), *Sex.choices])
    ethnicity = forms.ChoiceField(
        label="Ethnicity", required=False, choices=[("", "Any"), *Ethnicity.choices]
    )
    iro = forms.ModelChoiceField(
        label="IRO", required=False, queryset=StaffMember.objects.none(), empty_label="Any"
    )

    def __init__(self, *args, iros=None, **kwargs):
        super().__init__(*args, **kwargs)
        if iros is not None:
            self.fields["iro"].queryset = iros
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("q", field_width=Fluid.FULL),
            Field.select("sex"),
            Field.select("ethnicity"),
            Field.select("iro"),
        )


class IroReallocationForm(forms.Form):
    iro = forms.ModelChoiceField(
        label="New IRO",
        queryset=StaffMember.objects.none(),
        error_messages={"required": "Select the new IRO", "invalid_choice": "Select an IRO from the list"},
    )
    start_date = date_field("Date the new IRO takes over")
    reason = forms.CharField(
        label="Reason for the change",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for the change"},
        help_text="This is kept in the child's history. Continuity of IRO is reported.",
    )

    def __init__(self, *args, iros=None, **kwargs):
        super().__init__(*args, **kwargs)
        if iros is not None:
            self.fields["iro"].queryset = iros
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.select("iro"),
            Field.text("start_date", field_width=Fluid.TWO_THIRDS),
            Field.textarea("reason"),
            Submit("submit", "Change IRO"),
        )
