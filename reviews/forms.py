"""Forms for the reviews app's pages. They check the shape of what was typed; the rules (dates
against the period of care, participation against age, ...) are in the services, whose
messages the views put back against the field."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout
from django import forms

from iro_service.people.models import StaffMember
from reviews.codes import CareStatus, ContactKind, ParticipationCode

DATE_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%Y-%m-%d", "%d-%m-%Y"]
DATE_INVALID = "Enter the date as day, month and year, for example 27/03/2017"


def date_field(label: str, *, required: bool = True, required_message: str = "", help_text: str = ""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text or "For example, 27/03/2017",
        input_formats=DATE_FORMATS,
        error_messages={
            "required": required_message or f"Enter the {label.lower()}",
            "invalid": DATE_INVALID,
        },
    )


def _no_tag_helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields)
    return helper


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


class RecordsFilterForm(forms.Form):
    iro = forms.ModelChoiceField(
        label="Chair", required=False, queryset=StaffMember.objects.none(), empty_label="Any"
    )
    overdue = forms.BooleanField(label="Only records out of timescale", required=False)

    def __init__(self, *args, iros=None, **kwargs):
        super().__init__(*args, **kwargs)
        if iros is not None:
            self.fields["iro"].queryset = iros
        self.helper = _no_tag_helper(Field.select("iro"), Field.checkbox("overdue"))


class ReviewForm(forms.Form):
    """The review itself; its parts are a formset of ``ReviewPartForm`` on the same page."""

    chair = forms.ModelChoiceField(
        label="Chair",
        queryset=StaffMember.objects.none(),
        error_messages={
            "required": "Select the IRO who chaired the review",
            "invalid_choice": "Select an IRO from the list",
        },
    )
    participation_code = forms.ChoiceField(
        label="How the child took part",
        required=False,
        choices=[("", "Not yet recorded"), *ParticipationCode.choices],
        help_text="PN0 is for a child under 4 on the date of part 1.",
    )
    sw_report_received = date_field("Date the social worker's report was received", required=False)
    decisions_circulated = date_field("Date the decisions were circulated", required=False)
    record_completed = date_field("Date you completed the record", required=False)
    late_reason = forms.CharField(
        label="Reason the review was late",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only if the review was held after its due date.",
    )
    updated_at = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, iros=None, **kwargs):
        super().__init__(*args, **kwargs)
        if iros is not None:
            self.fields["chair"].queryset = iros
        self.helper = _no_tag_helper(
            Field.select("chair"),
            Field.select("participation_code"),
            Field.text("sw_report_received", field_width=10),
            Field.text("decisions_circulated", field_width=10),
            Field.text("record_completed", field_width=10),
            Field.textarea("late_reason"),
            "updated_at",
        )


class ReviewPartForm(forms.Form):
    date = date_field("Date", required=False)
    notes = forms.CharField(
        label="Notes", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _no_tag_helper(Field.text("date", field_width=10), Field.textarea("notes"))


ReviewPartFormSet = forms.formset_factory(ReviewPartForm, extra=0, min_num=1, max_num=10, validate_max=True)


class MeetingBookForm(forms.Form):
    date = date_field("Date of the meeting", required_message="Enter the date of the meeting")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _no_tag_helper(Field.text("date", field_width=10))


class MeetingCancelForm(forms.Form):
    """Cancel a booked meeting, or move it to a new date, with the reason."""

    reason = forms.CharField(
        label="Reason",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason the meeting is cancelled or moved"},
    )
    new_date = date_field(
        "New date", required=False, help_text="Leave blank to cancel. For example, 27/03/2017"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _no_tag_helper(Field.textarea("reason"), Field.text("new_date", field_width=10))


class DistributeForm(forms.Form):
    """Bulk 'mark distributed': the date; the chosen records are the page's checkboxes,
    checked by the service (which names any that cannot take the date)."""

    distributed_on = date_field("Date the records were distributed")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _no_tag_helper(Field.text("distributed_on", field_width=10))


class ContactForm(forms.Form):
    date = date_field("Date of the contact")
    kind = forms.ChoiceField(label="Kind of contact", choices=ContactKind.choices)
    notes = forms.CharField(
        label="Notes", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _no_tag_helper(
            Field.text("date", field_width=10), Field.radios("kind"), Field.textarea("notes")
        )
