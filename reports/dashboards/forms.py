"""The dashboards' forms: the filters every dashboard and drill-down shares (sent with GET, so
that a view can be bookmarked and sent), and the managers' target and comparator forms."""

from __future__ import annotations

from datetime import date

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout
from django import forms

from iro_service.core.forms import ListFilterForm, VersionedFormMixin, date_field
from iro_service.timescales.dates import collection_year
from reports.dashboards.periods import (
    QUARTER_NAMES,
    YEAR_MONTHS,
    Period,
    month_period,
    quarter_period,
    year_label,
    year_period,
)
from reports.figures import REGISTRY
from reports.models import COMPARABLE_KINDS, Comparator, ComparatorSource, Target

# The names the filters use in the URL; links between pages keep exactly these.
FILTER_NAMES = ("period", "year", "quarter", "month", "date_from", "date_to", "team", "iro")
FIRST_YEAR = 2010
PERIOD_KINDS = [
    ("year", "Reporting year"),
    ("quarter", "Quarter"),
    ("month", "Month"),
    ("range", "From and to dates"),
]


def _helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields)
    return helper


def year_choices(today: date) -> list[tuple[int, str]]:
    return [(year, year_label(year)) for year in range(collection_year(today), FIRST_YEAR - 1, -1)]


class DashboardFilterForm(ListFilterForm):
    """The period (a reporting year, a quarter or month of one, or from and to dates), the team
    and the IRO. A value that cannot be read is shown against its field and the rest apply."""

    period = forms.ChoiceField(label="Period", choices=PERIOD_KINDS, required=False)
    year = forms.TypedChoiceField(label="Reporting year", coerce=int, required=False, choices=())
    quarter = forms.TypedChoiceField(
        label="Quarter",
        coerce=int,
        required=False,
        choices=[("", "Any"), *[(n, f"Q{n}: {name}") for n, name in QUARTER_NAMES.items()]],
    )
    month = forms.TypedChoiceField(
        label="Month",
        coerce=int,
        required=False,
        choices=[("", "Any"), *[(m, date(2000, m, 1).strftime("%B")) for m in YEAR_MONTHS]],
    )
    date_from = date_field("From", required=False, hint="For from and to dates.")
    date_to = date_field("To", required=False)
    team = forms.ModelChoiceField(label="Team", required=False, queryset=None, empty_label="All teams")
    iro = forms.ModelChoiceField(label="IRO", required=False, queryset=None, empty_label="All IROs")
    date_ranges = (("date_from", "date_to"),)

    def __init__(self, *args, today: date, teams, iros, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["year"].choices = year_choices(today)
        self.fields["team"].queryset = teams
        self.fields["iro"].queryset = iros
        self.helper = _helper(
            Field.select("period"),
            Field.select("year"),
            Field.select("quarter"),
            Field.select("month"),
            Field.text("date_from", field_width=Fluid.FULL),
            Field.text("date_to", field_width=Fluid.FULL),
            Field.select("team"),
            Field.select("iro"),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("period") == "range":
            for name, label in (("date_from", "the first day"), ("date_to", "the last day")):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, f"Enter {label} of the period, or choose another kind of period")
        if cleaned.get("period") == "quarter" and not cleaned.get("quarter") and "quarter" not in self.errors:
            self.add_error("quarter", "Choose a quarter, or choose another kind of period")
        if cleaned.get("period") == "month" and not cleaned.get("month") and "month" not in self.errors:
            self.add_error("month", "Choose a month, or choose another kind of period")
        return cleaned

    def chosen_period(self) -> Period:
        """The period the filters choose; the current reporting year for what cannot be read."""
        filters = self.filters()
        year = filters.get("year") or collection_year(self.today)
        kind = filters.get("period") or "year"
        if kind == "quarter" and filters.get("quarter"):
            return quarter_period(year, filters["quarter"])
        if kind == "month" and filters.get("month"):
            return month_period(year, filters["month"])
        if (
            kind == "range"
            and filters.get("date_from")
            and filters.get("date_to")
            and "date_to" not in self.errors
        ):
            return Period("range", filters["date_from"], filters["date_to"])
        return year_period(year)

    def team_id(self) -> int | None:
        team = self.filters().get("team")
        return team.pk if team else None

    def iro_id(self) -> int | None:
        iro = self.filters().get("iro")
        return iro.pk if iro else None


def filter_querystring(params) -> str:
    """The filters of a request's query string (and nothing else), to carry onto the links of a
    page: every drill-down, trend and export keeps the filters it was opened with."""
    from django.http import QueryDict

    kept = QueryDict(mutable=True)
    for name in FILTER_NAMES:
        for value in params.getlist(name):
            if value != "":
                kept.appendlist(name, value)
    return kept.urlencode()


def comparable_figure_choices() -> list[tuple[str, str]]:
    return [
        (key, f"{figure.label} ({key})")
        for key, figure in REGISTRY.items()
        if figure.kind in COMPARABLE_KINDS
    ]


class TargetForm(VersionedFormMixin, forms.ModelForm):
    """A figure's target for a reporting year, with the amber margin."""

    version_field = "updated_at"
    updated_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Target
        fields = ["figure_key", "year", "value", "direction", "amber_margin", "note"]
        error_messages = {
            "value": {
                "required": "Enter the target",
                "invalid": "Enter the target as a number, like 95 or 18.1",
            },
            "amber_margin": {"invalid": "Enter the amber margin as a number, like 5 or 0"},
        }

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["figure_key"] = forms.ChoiceField(
            label="Figure",
            choices=[("", "Choose a figure"), *comparable_figure_choices()],
            error_messages={"required": "Choose the figure the target is for"},
        )
        self.fields["year"] = forms.TypedChoiceField(
            label="Reporting year",
            coerce=int,
            choices=year_choices(date(today.year + 1, today.month, 1)),
            error_messages={"required": "Choose the reporting year"},
        )
        self.fields["direction"].label = "Which way is better"
        self.fields["amber_margin"].required = False
        self.helper = _helper(
            Field.select("figure_key"),
            Field.select("year"),
            Field.text("value", field_width=5),
            Field.radios("direction"),
            Field.text("amber_margin", field_width=5),
            Field.text("note", field_width=Fluid.FULL),
            "updated_at",
        )

    def clean_amber_margin(self):
        margin = self.cleaned_data.get("amber_margin")
        if margin is not None and margin < 0:
            raise forms.ValidationError("The amber margin cannot be below 0")
        return margin or 0

    def _get_validation_exclusions(self):
        # One target per figure and year: the service changes the one there rather than adding a
        # second, so the form must not refuse a figure and year that have one.
        return {*super()._get_validation_exclusions(), "figure_key", "year"}


class ComparatorForm(forms.ModelForm):
    """One published comparator for a figure and year."""

    class Meta:
        model = Comparator
        fields = ["figure_key", "year", "source", "value", "published_by"]
        error_messages = {
            "value": {
                "required": "Enter the published value",
                "invalid": "Enter the value as a number, like 18.1",
            },
            "source": {"required": "Choose what the figure is compared with"},
        }

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["figure_key"] = forms.ChoiceField(
            label="Figure",
            choices=[("", "Choose a figure"), *comparable_figure_choices()],
            error_messages={"required": "Choose the figure the comparator is for"},
        )
        self.fields["year"] = forms.TypedChoiceField(
            label="Reporting year",
            coerce=int,
            choices=year_choices(today),
            error_messages={"required": "Choose the reporting year"},
        )
        self.fields["source"].choices = ComparatorSource.choices
        self.helper = _helper(
            Field.select("figure_key"),
            Field.select("year"),
            Field.radios("source"),
            Field.text("value", field_width=5),
            Field.text("published_by", field_width=Fluid.FULL),
        )

    def clean_value(self):
        value = self.cleaned_data.get("value")
        if value is not None and value < 0:
            raise forms.ValidationError("The value cannot be below 0")
        return value

    def _get_validation_exclusions(self):
        # As for targets: the service replaces the value of a comparator already there.
        return {*super()._get_validation_exclusions(), "figure_key", "year", "source"}


class ComparatorUploadForm(forms.Form):
    """A CSV of comparators: FIGURE, YEAR, SOURCE, VALUE, PUBLISHED_BY."""

    comparators = forms.FileField(
        label="Comparators file (CSV)",
        help_text="Columns FIGURE, YEAR, SOURCE, VALUE and PUBLISHED_BY: one row per figure, year, source.",
        error_messages={"required": "Choose a CSV file of comparators"},
    )
    MAX_BYTES = 1024 * 1024

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("comparators"))

    def clean_comparators(self):
        upload = self.cleaned_data["comparators"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file must be smaller than 1 MB")
        return upload
