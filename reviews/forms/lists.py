"""The filters of the reviews app's lists: children in care, reviews to book, records to
distribute."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Fluid
from django import forms

from iro_service.core.forms import ListFilterForm, date_field
from iro_service.people.models import StaffMember, Team
from reviews.codes import CareStatus
from reviews.forms._common import _no_tag_helper


class ChildrenInCareFilterForm(forms.Form):
    """Filters of the children-in-care list. Bad values are ignored rather than failing."""

    q = forms.CharField(label="Name or child ID", required=False, max_length=100)
    iro = forms.ModelChoiceField(
        label="IRO", required=False, queryset=StaffMember.objects.none(), empty_label="Any"
    )
    status = forms.ChoiceField(
        label="Next review", required=False, choices=[("", "Any"), *CareStatus.choices]
    )

    def __init__(self, *args, iros=None, **kwargs):
        super().__init__(*args, **kwargs)
        if iros is not None:
            self.fields["iro"].queryset = iros
        self.helper = _no_tag_helper(
            Field.text("q", field_width=Fluid.FULL), Field.select("iro"), Field.select("status")
        )


class ReviewsToBookFilterForm(forms.Form):
    weeks = forms.IntegerField(
        label="Due within (weeks)",
        required=False,
        min_value=1,
        max_value=26,
        initial=6,
        error_messages={
            "min_value": "Enter a number of weeks from 1 to 26",
            "max_value": "Enter a number of weeks from 1 to 26",
        },
    )
    iro = forms.ModelChoiceField(
        label="IRO", required=False, queryset=StaffMember.objects.none(), empty_label="Any"
    )

    def __init__(self, *args, iros=None, **kwargs):
        super().__init__(*args, **kwargs)
        if iros is not None:
            self.fields["iro"].queryset = iros
        self.helper = _no_tag_helper(Field.text("weeks", field_width=4), Field.select("iro"))


class RecordsFilterForm(ListFilterForm):
    """Filters of 'Records to distribute'."""

    completed_from = date_field("Record completed from", required=False)
    completed_to = date_field("Record completed to", required=False)
    iro = forms.ModelChoiceField(
        label="Chair", required=False, queryset=StaffMember.objects.none(), empty_label="Any"
    )
    team = forms.ModelChoiceField(
        label="Chair's team", required=False, queryset=Team.objects.none(), empty_label="Any"
    )
    overdue = forms.BooleanField(label="Only records out of timescale", required=False)
    date_ranges = (("completed_from", "completed_to"),)

    def __init__(self, *args, iros=None, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        if iros is not None:
            self.fields["iro"].queryset = iros
        if teams is not None:
            self.fields["team"].queryset = teams
        self.helper = _no_tag_helper(
            Field.text("completed_from", field_width=Fluid.FULL),
            Field.text("completed_to", field_width=Fluid.FULL),
            Field.select("iro"),
            Field.select("team"),
            Field.checkbox("overdue"),
        )
