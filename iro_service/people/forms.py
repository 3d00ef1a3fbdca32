"""Forms for the Children pages."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Size, Submit
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


class ChildRestrictionForm(forms.Form):
    """Who may see a restricted child's record, and why it is restricted."""

    named_staff = forms.ModelMultipleChoiceField(
        label="Staff who may see the record",
        queryset=StaffMember.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Everyone else, whatever their role, will be told the record does not exist.",
        error_messages={
            "required": "Select at least one member of staff who may see the record",
            "invalid_choice": "Select staff from the list",
            "invalid_pk_value": "Select staff from the list",
        },
    )
    reason = forms.CharField(
        label="Why the record is restricted",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the child is a relative of a member of staff. Kept in the history.",
        error_messages={"required": "Enter why the record is restricted"},
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["named_staff"].queryset = staff
        self.fields["named_staff"].label_from_instance = lambda member: (
            f"{member.full_name} ({member.get_job_role_display()}, {member.team.name})"
        )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.checkboxes("named_staff", legend_size=Size.SMALL, small=True),
            Field.textarea("reason"),
            Submit("submit", "Save the restriction"),
        )
