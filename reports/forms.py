"""Forms for the reports app's pages."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.utils import timezone

from iro_service.audit.models import ExchangeFormat
from iro_service.core.forms import ListFilterForm
from iro_service.timescales.dates import collection_year

# Uploads larger than this are refused before they are read: a national SSDA903 episodes table
# is about 30 MB, so this leaves room while keeping a mistaken upload from filling the disk.
MAX_UPLOAD_BYTES = 200 * 1024 * 1024


def _check_size(upload):
    if upload is not None and upload.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
    if upload is not None and upload.size == 0:
        raise forms.ValidationError("The file is empty.")
    return upload


class Ssda903ImportForm(forms.Form):
    header = forms.FileField(
        label="Header table (header.csv)",
        error_messages={"required": "Choose the header table (header.csv)"},
    )
    episodes = forms.FileField(
        label="Episodes table (episodes.csv)",
        error_messages={"required": "Choose the episodes table (episodes.csv)"},
    )
    reviews = forms.FileField(
        label="Reviews table (reviews.csv)",
        required=False,
        help_text="Optional: leave empty if there is none.",
    )
    dry_run = forms.BooleanField(
        label="Check the files only, without importing them", required=False, initial=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="ssda903", **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("header"),
            Field("episodes"),
            Field("reviews"),
            Field.checkbox("dry_run", small=True),
            Submit("submit", "Import SSDA903 return"),
        )
        for name in ("header", "episodes", "reviews"):
            self.fields[name].widget.attrs["accept"] = ".csv,text/csv"

    def clean_header(self):
        return _check_size(self.cleaned_data.get("header"))

    def clean_episodes(self):
        return _check_size(self.cleaned_data.get("episodes"))

    def clean_reviews(self):
        return _check_size(self.cleaned_data.get("reviews"))


class CinCensusImportForm(forms.Form):
    census = forms.FileField(
        label="CIN census file (XML)", error_messages={"required": "Choose the CIN census XML file"}
    )
    dry_run = forms.BooleanField(
        label="Check the file only, without importing it", required=False, initial=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="cin", **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("census"),
            Field.checkbox("dry_run", small=True),
            Submit("submit", "Import CIN census"),
        )
        self.fields["census"].widget.attrs["accept"] = ".xml,application/xml,text/xml"

    def clean_census(self):
        return _check_size(self.cleaned_data.get("census"))


def latest_collection_year() -> int:
    """The most recent collection year that has ended (named by the year it ends)."""
    return collection_year(timezone.localdate()) - 1


class ExportForm(forms.Form):
    data_format = forms.ChoiceField(
        label="Return",
        choices=ExchangeFormat.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose which return to export"},
    )
    year = forms.IntegerField(
        label="Collection year ending 31 March",
        help_text="For example, 2017 for 1 April 2016 to 31 March 2017.",
        error_messages={
            "required": "Enter the year the collection ends",
            "invalid": "Enter a year, like 2017",
        },
    )
    # Sent by the button under the DfE rules' findings: the person has seen what fails and
    # wants the file as it is.
    after_check = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="export", **kwargs)
        self.fields["year"].initial = latest_collection_year()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("data_format", legend_size=Size.SMALL),
            Field.text("year", field_width=4),
            "after_check",
            Submit("submit", "Export"),
        )

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2004 <= year <= latest_collection_year() + 1:
            raise forms.ValidationError(f"Enter a year from 2004 to {latest_collection_year() + 1}")
        return year


class QaOverviewForm(forms.Form):
    """Which month or quarter the QA alert overview covers."""

    period = forms.ChoiceField(
        label="Period",
        error_messages={
            "required": "Choose the month or quarter",
            "invalid_choice": "Choose a period from the list",
        },
    )

    def __init__(self, *args, periods: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = periods
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(Field.select("period"), Submit("submit", "Show overview"))


class ReturnQualityFilterForm(ListFilterForm):
    """The return quality page's filters, sent with GET: the child's IRO's team, the IRO, and
    one DfE rule. A value that cannot be read is named against its field; the rest apply."""

    team = forms.ModelChoiceField(
        label="Team",
        required=False,
        queryset=None,
        empty_label="All teams",
        error_messages={"invalid_choice": "Choose a team from the list"},
    )
    iro = forms.ModelChoiceField(
        label="IRO",
        required=False,
        queryset=None,
        empty_label="All IROs",
        error_messages={"invalid_choice": "Choose an IRO from the list"},
    )
    rule = forms.ChoiceField(
        label="DfE rule",
        required=False,
        choices=(),
        error_messages={"invalid_choice": "Choose a DfE rule from the list"},
    )

    def __init__(self, *args, teams, iros, rules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["iro"].queryset = iros
        self.fields["rule"].choices = [("", "All rules"), *rules]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.select("team"), Field.select("iro"), Field.select("rule"))
