"""Forms of the board and of the lists managers keep: concern categories, challenge themes and
escalation stages."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Size
from django import forms

from qa_alerts.forms._common import _helper, text_field
from qa_alerts.models import (
    AlertContext,
    AlertKind,
    AlertStatus,
)
from qa_alerts.models import CategoryContext as CategoryContextChoices


class BoardFilterForm(forms.Form):
    team = forms.ModelChoiceField(label="Team", queryset=None, required=False, empty_label="All teams")
    category = forms.ModelChoiceField(
        label="Category", queryset=None, required=False, empty_label="All categories"
    )
    stage = forms.TypedChoiceField(label="Stage", coerce=int, empty_value=None, required=False)
    iro = forms.ModelChoiceField(label="IRO", queryset=None, required=False, empty_label="All IROs")
    context = forms.ChoiceField(label="Context", choices=[("", "All"), *AlertContext.choices], required=False)
    status = forms.ChoiceField(
        label="Status",
        choices=[
            ("", "All"),
            (AlertStatus.OPEN, "Open"),
            ("overdue", "Overdue"),
            (AlertStatus.RESOLVED, "Resolved"),
            (AlertStatus.NOTED, "Good practice shared"),
        ],
        required=False,
    )
    kind = forms.ChoiceField(label="Kind", choices=[("", "All"), *AlertKind.choices], required=False)

    def __init__(self, *args, teams, categories, iros, stages: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["category"].queryset = categories
        self.fields["iro"].queryset = iros
        self.fields["stage"].choices = [("", "All stages"), *[(n, f"{n}: {name}") for n, name in stages]]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(*(Field.select(name) for name in self.fields))


class CategoryForm(forms.Form):
    name = text_field("Name", what="the name of the category", max_length=80)
    context = forms.ChoiceField(
        label="Offered for",
        choices=CategoryContextChoices.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select which alerts the category is offered for"},
    )
    position = forms.IntegerField(
        label="Position in the list",
        min_value=0,
        max_value=1000,
        initial=100,
        error_messages={
            "required": "Enter the position in the list",
            "invalid": "Enter the position in the list as a whole number",
            "min_value": "Enter a position of 0 or more",
            "max_value": "Enter a position of 1000 or less",
        },
    )
    is_active = forms.BooleanField(label="In use", required=False, initial=True)

    def __init__(self, *args, submit: str = "Add category", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.radios("context", legend_size=Size.SMALL),
            Field.text("position", field_width=4),
            Field.checkbox("is_active"),
            submit=submit,
        )


class ThemeForm(forms.Form):
    name = text_field("Theme", what="the theme", max_length=160)
    is_active = forms.BooleanField(label="In use", required=False, initial=True)

    def __init__(self, *args, submit: str = "Add theme", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.text("name"), Field.checkbox("is_active"), submit=submit)


class StagesForm(forms.Form):
    stages = forms.CharField(
        label="Escalation stages",
        widget=forms.Textarea,
        help_text="One stage a line, in order: the first line is stage 1.",
        error_messages={"required": "Enter at least one escalation stage"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("stages", rows=6), submit="Save stages")

    def clean_stages(self):
        return [line for line in self.cleaned_data["stages"].splitlines() if line.strip()]
