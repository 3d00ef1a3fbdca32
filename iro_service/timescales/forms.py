"""Forms for the timescale settings and extra non-working days."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Fluid, Layout, Size, Submit
from django import forms

from iro_service.timescales.models import NonWorkingDay, TimescaleSettings

_GROUPS = [
    (
        "Children in care",
        ["review_date_from", "lac_sw_report_days_before", "lac_decisions_days", "lac_record_days"],
    ),
    (
        "Child protection",
        [
            "icpc_days_from_strategy",
            "transfer_in_days",
            "pre_birth_weeks_gestation",
            "icpc_report_to_parents_days",
            "icpc_report_to_chair_days",
            "rcpc_report_days",
            "cp_record_days",
            "cp_record_target_days",
            "cp_plan_structured_review_months",
        ],
    ),
    (
        "QA alerts",
        [
            "qa_response_days",
            "qa_process_days",
            "qa_escalation_days",
            "qa_reminder_days",
            "qa_link_valid_days",
        ],
    ),
    ("Reminders and caseloads", ["reminder_working_days", "caseload_guidance_min", "caseload_guidance_max"]),
]


class TimescaleSettingsForm(forms.ModelForm):
    class Meta:
        model = TimescaleSettings
        fields = [name for _, names in _GROUPS for name in names]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        fieldsets = []
        for legend, names in _GROUPS:
            fields = [
                Field.select(name) if name == "review_date_from" else Field.text(name, field_width=3)
                for name in names
            ]
            fieldsets.append(Fieldset(*fields, legend=legend, legend_size=Size.MEDIUM))
        self.helper.layout = Layout(*fieldsets, Submit("submit", "Save settings"))


class NonWorkingDayForm(forms.ModelForm):
    date = forms.DateField(
        label="Date",
        help_text="For example, 27/12/2027",
        input_formats=["%d/%m/%Y", "%d %m %Y", "%Y-%m-%d"],
        error_messages={
            "required": "Enter the date",
            "invalid": "Enter the date as day, month and year, for example 27/12/2027",
        },
    )

    class Meta:
        model = NonWorkingDay
        fields = ["date", "description"]
        error_messages = {
            "description": {"required": "Enter why the day is not a working day"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].label = "Reason"
        self.fields["description"].help_text = "For example, council closure day"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("date", field_width=10),
            Field.text("description", field_width=Fluid.TWO_THIRDS),
            Submit("submit", "Add non-working day"),
        )
