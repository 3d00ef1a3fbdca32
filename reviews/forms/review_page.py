"""The review page: the review and its parts."""

from __future__ import annotations

from crispy_forms_gds.layout import Field
from django import forms

from iro_service.core.forms import date_field
from iro_service.people.models import StaffMember
from reviews.codes import ParticipationCode
from reviews.forms._common import VersionedForm, _no_tag_helper


class ReviewForm(VersionedForm):
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


class BaseReviewPartFormSet(forms.BaseFormSet):
    """The parts of a review. The page sends hidden counts of its parts (Django's management
    form); a POST without them cannot say which parts it holds, so it is refused with a message
    naming what is missing, shown in the error summary, rather than guessed at."""

    default_error_messages = {
        "missing_management_form": (
            "The parts of the review were not sent in full (missing: %(field_names)s). "
            "Reload the page, then enter the review again."
        ),
    }

    def clean(self):
        super().clean()
        # Only with valid counts: an error raised here replaces the formset's other errors,
        # and the one about missing counts says more.
        if self.management_form.is_valid() and self.total_form_count() <= 0:
            raise forms.ValidationError("Enter the date of part 1 of the review")


ReviewPartFormSet = forms.formset_factory(
    ReviewPartForm, formset=BaseReviewPartFormSet, extra=0, min_num=1, max_num=10, validate_max=True
)
