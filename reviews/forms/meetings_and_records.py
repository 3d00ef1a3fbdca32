"""Booking, moving and cancelling review meetings, distributing records, recording contacts."""

from __future__ import annotations

from crispy_forms_gds.layout import Field
from django import forms

from iro_service.core.forms import SelectedRecordsField, date_field
from reviews.codes import ContactKind
from reviews.forms._common import VersionedForm, _no_tag_helper


class MeetingBookForm(forms.Form):
    date = date_field("Date of the meeting")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _no_tag_helper(Field.text("date", field_width=10))


class MeetingCancelForm(VersionedForm):
    """Cancel a booked meeting, or move it to a new date, with the reason."""

    reason = forms.CharField(
        label="Reason",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason the meeting is cancelled or moved"},
    )
    new_date = date_field("New date", required=False, hint="Leave blank to cancel.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _no_tag_helper(
            Field.textarea("reason"), Field.text("new_date", field_width=10), "updated_at"
        )


class DistributeForm(forms.Form):
    """Bulk 'mark distributed': the records ticked in the page's table and the date. Which
    records may take the date is checked by the service (which names any that cannot)."""

    reviews = SelectedRecordsField(
        label="Records", error_messages={"required": "Select at least one record to mark as distributed"}
    )
    distributed_on = date_field("Date the records were distributed")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The checkboxes are drawn in the table; only the date is laid out here.
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
