"""Forms of the annual report's pages. Rules live in the services; these forms turn what was
typed into values and name the field that is wrong, in plain words."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.urls import reverse

from iro_service.core.forms import VersionedFormMixin
from reports.models import ProgressStatus


def _helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper


class ReportStartForm(forms.Form):
    """Start a year's report: the year is the one ending 31 March."""

    year_end = forms.IntegerField(
        label="Year ending 31 March",
        help_text="For example, 2017 for the report on 1 April 2016 to 31 March 2017",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "required": "Enter the year the report's year ends, for example 2017",
            "invalid": "Enter the year as 4 digits, for example 2017",
        },
    )

    def __init__(self, *args, latest: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.latest = latest
        self.helper = _helper(Field.text("year_end", field_width=4), submit="Start the report")
        self.helper.form_action = reverse("reports:annual-start")

    def clean_year_end(self):
        year = self.cleaned_data["year_end"]
        if not 2000 <= year <= self.latest:
            raise forms.ValidationError(f"Enter a year from 2000 to {self.latest}")
        return year


class SectionTextForm(VersionedFormMixin, forms.Form):
    text = forms.CharField(
        label="Text of this section",
        required=False,
        max_length=20000,
        help_text="Leave a blank line between paragraphs. Start lines with a dash (-) for a bulleted list.",
        widget=forms.Textarea(attrs={"aria-describedby": ""}),
        error_messages={"max_length": "The text of this section must be 20,000 characters or fewer"},
    )
    # The text's version when the page was opened: the save is refused if someone saved since.
    seen_updated_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("text", rows=16, max_characters=20000), "seen_updated_at", submit="Save draft"
        )


class RecommendationForm(VersionedFormMixin, forms.Form):
    text = forms.CharField(
        label="Recommendation",
        max_length=2000,
        widget=forms.Textarea(attrs={"aria-describedby": ""}),
        error_messages={
            "required": "Enter the recommendation",
            "max_length": "The recommendation must be 2,000 characters or fewer",
        },
    )
    seen_updated_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, submit: str = "Add recommendation", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("text", rows=4, max_characters=2000), "seen_updated_at", submit=submit
        )


class ProgressForm(VersionedFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="How far has it come?",
        choices=ProgressStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how far the recommendation has come"},
    )
    note = forms.CharField(
        label="What has happened",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"aria-describedby": ""}),
        error_messages={"max_length": "What has happened must be 4,000 characters or fewer"},
    )
    seen_updated_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("status", legend_size=Size.SMALL, small=True),
            Field.textarea("note", rows=5, max_characters=4000),
            "seen_updated_at",
            submit="Save progress",
        )
