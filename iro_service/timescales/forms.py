"""Forms for the timescale settings and extra non-working days."""

from dataclasses import dataclass

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Fluid, Layout, Size, Submit
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from iro_service.core.forms import ConstraintMessagesMixin
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
    ("Harmful sexual behaviour", ["hsb_record_produced_days", "hsb_record_distributed_days"]),
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


@dataclass(frozen=True)
class Wording:
    """How the settings page puts one setting to a person. ``hint`` may name ``{default}``, the
    model's default, so the page cannot disagree with it. ``what`` is the setting as the error
    messages name it: "Enter {what}", "{What} must be a whole number"."""

    label: str
    hint: str
    what: str


# The label, hint (with the default and where it comes from: domain.md) and error wording of
# every setting on the page. A setting the page shows must have a line here (a test checks).
WORDING: dict[str, Wording] = {
    "review_date_from": Wording(
        "Date of a review held in parts",
        "The next review is counted from this date. Only the first part is offered: counting from a "
        "later part makes the next review late. Default: the date of the first part.",
        "which part of a review held in parts gives the review its date",
    ),
    "lac_sw_report_days_before": Wording(
        "Social worker's report due before a review",
        "Working days before the review. Default: {default} (local practice).",
        "the number of working days before a review that the social worker's report is due",
    ),
    "lac_decisions_days": Wording(
        "Review decisions circulated within",
        "Working days after the review. Default: {default} (IRO Handbook 2010).",
        "the number of working days after a review to circulate its decisions",
    ),
    "lac_record_days": Wording(
        "Review record distributed within",
        "Working days after the review. A record not distributed by then is out of timescale. "
        "Default: {default} (IRO Handbook 2010).",
        "the number of working days after a review to distribute its record",
    ),
    "icpc_days_from_strategy": Wording(
        "Initial child protection conference held within",
        "Working days after the strategy discussion that started the section 47 enquiry. "
        "Default: {default} (Working Together to Safeguard Children).",
        "the number of working days from the strategy discussion to the initial conference",
    ),
    "transfer_in_days": Wording(
        "Receiving-in conference held within",
        "Working days after notice that a child on a plan elsewhere is moving to this council. "
        "Default: {default} (Working Together to Safeguard Children).",
        "the number of working days from notice of a transfer to the receiving-in conference",
    ),
    "pre_birth_weeks_gestation": Wording(
        "Pre-birth conference held by",
        "Weeks of pregnancy. Default: {default} weeks (local child protection procedures).",
        "the number of weeks of pregnancy by which a pre-birth conference is held",
    ),
    "icpc_report_to_parents_days": Wording(
        "Report to parents before an initial conference",
        "Working days before the conference that the parents have the report. "
        "Default: {default} (local safeguarding children board procedures).",
        "the number of working days before an initial conference that the parents have the report",
    ),
    "icpc_report_to_chair_days": Wording(
        "Report to the chair before an initial conference",
        "Working days before the conference that the chair has the report. "
        "Default: {default} (local safeguarding children board procedures).",
        "the number of working days before an initial conference that the chair has the report",
    ),
    "rcpc_report_days": Wording(
        "Report to parents and chair before a review conference",
        "Working days before the conference. Default: {default} (local safeguarding children board "
        "procedures).",
        "the number of working days before a review conference that the parents and chair have the report",
    ),
    "cp_record_days": Wording(
        "Conference record and plan distributed within",
        "Working days after the conference. A record not distributed by then is out of timescale. "
        "Default: {default} (local child protection procedures).",
        "the number of working days after a conference to distribute the record and plan",
    ),
    "cp_record_target_days": Wording(
        "Target for distributing a conference record",
        "Working days after the conference: the local target, sooner than the limit above. "
        "Default: {default} (local practice).",
        "the target number of working days for distributing a conference record",
    ),
    "cp_plan_structured_review_months": Wording(
        "Structured review of a child protection plan after",
        "Months the plan has been open. Default: {default} months (local practice).",
        "the number of months a plan is open before its structured review",
    ),
    "hsb_record_produced_days": Wording(
        "HSB meeting record produced within",
        "Working days after an HSB meeting by which the chair produces its record. There is no "
        "national timescale. Default: {default} (local practice).",
        "the number of working days after an HSB meeting to produce its record",
    ),
    "hsb_record_distributed_days": Wording(
        "HSB meeting record distributed within",
        "Working days after an HSB meeting. A record not distributed by then is out of timescale. "
        "There is no national timescale. Default: {default} (local practice).",
        "the number of working days after an HSB meeting to distribute its record",
    ),
    "qa_response_days": Wording(
        "Response to a QA alert due within",
        "Working days after the alert is raised. Default: {default} (local escalation protocol).",
        "the number of working days for a practitioner to respond to a QA alert",
    ),
    "qa_process_days": Wording(
        "Whole escalation finished within",
        "Working days from the alert to the end of the last escalation stage. "
        "Default: {default} (local escalation protocol).",
        "the number of working days within which the whole escalation should end",
    ),
    "qa_escalation_days": Wording(
        "Each escalation stage answered within",
        "Working days the person a QA alert is escalated to has to respond, counted from the day it "
        "reaches their stage. Default: {default} (local escalation protocol).",
        "the number of working days for each escalation stage",
    ),
    "qa_reminder_days": Wording(
        "Reminder before a QA response is due",
        "Working days before a stage is due that its addressee is reminded by email; 0 sends the "
        "reminder on the day it is due. Default: {default} (local practice).",
        "the number of working days before a QA response is due to send a reminder",
    ),
    "qa_link_valid_days": Wording(
        "QA response link works for",
        "Calendar days the response link in a QA alert email keeps working; after that the "
        "addressee asks the IRO for a new one. Default: {default} days (local practice).",
        "the number of days a QA response link works",
    ),
    "reminder_working_days": Wording(
        "Reminders look ahead",
        "Working days ahead. Reminders, and the amber 'Due soon' status, cover what is due within "
        "this many working days. Default: {default}.",
        "the number of working days that reminders look ahead",
    ),
    "caseload_guidance_min": Wording(
        "Caseload guidance: fewest children per full-time IRO",
        "Default: {default} (IRO Handbook).",
        "the fewest children per full-time IRO",
    ),
    "caseload_guidance_max": Wording(
        "Caseload guidance: most children per full-time IRO",
        "The same as or more than the fewest. Default: {default} (IRO Handbook).",
        "the most children per full-time IRO",
    ),
}


def _bounds(model_field) -> tuple[int | None, int | None]:
    """The lowest and highest value the model accepts: its own validators, and what the column
    can hold (Django adds those as validators too)."""
    lows = [v.limit_value for v in model_field.validators if isinstance(v, MinValueValidator)]
    highs = [v.limit_value for v in model_field.validators if isinstance(v, MaxValueValidator)]
    return (max(lows) if lows else None), (min(highs) if highs else None)


def _number_messages(what: str, low: int | None, high: int | None) -> dict[str, str]:
    """GOV.UK error messages for a whole number: what is wrong and what to enter."""
    what_ = what[0].upper() + what[1:]
    if low is not None and high is not None:
        too_low = too_high = f"{what_} must be between {low:,} and {high:,}"
    else:
        too_low, too_high = f"{what_} must be {low:,} or more", f"{what_} must be {high:,} or fewer"
    return {
        "required": f"Enter {what}",
        "invalid": f"{what_} must be a whole number",
        "min_value": too_low,
        "max_value": too_high,
    }


class TimescaleSettingsForm(ConstraintMessagesMixin, forms.ModelForm):
    """Every local timescale, in the words of ``WORDING``; a setting outside the model's limits,
    or caseload guidance the wrong way round, is an error against that setting."""

    constraint_messages = {
        "timescale_settings_caseload_range": {
            "caseload_guidance_min": "The fewest children per full-time IRO must be the same as or fewer "
            "than the most",
            "caseload_guidance_max": "The most children per full-time IRO must be the same as or more "
            "than the fewest",
        },
    }

    class Meta:
        model = TimescaleSettings
        fields = [name for _, names in _GROUPS for name in names]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            self._word(name, field)
        self.helper = FormHelper()
        fieldsets = []
        for legend, names in _GROUPS:
            fields = [
                Field.select(name) if name == "review_date_from" else Field.text(name, field_width=3)
                for name in names
            ]
            fieldsets.append(Fieldset(*fields, legend=legend, legend_size=Size.MEDIUM))
        self.helper.layout = Layout(*fieldsets, Submit("submit", "Save settings"))

    def _word(self, name: str, field: forms.Field) -> None:
        model_field = TimescaleSettings._meta.get_field(name)
        wording = WORDING.get(name)
        if wording is None:
            # A setting added without its wording still reads as a sentence (the test of WORDING
            # asks for the real thing).
            label = str(model_field.verbose_name).capitalize()
            wording = Wording(label, str(model_field.help_text), f"the {model_field.verbose_name}")
        field.label = wording.label
        field.help_text = wording.hint.format(default=model_field.get_default())
        if isinstance(field, forms.IntegerField):
            low, high = _bounds(model_field)
            messages = _number_messages(wording.what, low, high)
            field.error_messages.update(messages)
            # The form field only knows what the column holds (0 to 32,767); the model's limits
            # (0 to 60 working days, say) are checked here too, so that the message is this one
            # rather than Django's "Ensure this value is less than or equal to 60."
            field.validators = [
                v for v in field.validators if not isinstance(v, MinValueValidator | MaxValueValidator)
            ]
            field.min_value, field.max_value = low, high
            if low is not None:
                field.validators.append(MinValueValidator(low, message=messages["min_value"]))
                field.widget.attrs["min"] = low
            if high is not None:
                field.validators.append(MaxValueValidator(high, message=messages["max_value"]))
                field.widget.attrs["max"] = high
        elif isinstance(field, forms.ChoiceField):
            message = f"Select {wording.what}"
            field.error_messages.update({"required": message, "invalid_choice": message})
        else:
            field.error_messages["required"] = f"Enter {wording.what}"


class NonWorkingDayForm(forms.ModelForm):
    date = forms.DateField(
        label="Date",
        help_text="For example, 27/12/2027",
        input_formats=["%d/%m/%Y", "%d %m %Y", "%Y-%m-%d"],
        error_messages={
            "required": "Enter the date of the non-working day",
            "invalid": "Enter the date as day, month and year, for example 27/12/2027",
            # The model's unique date, in words that say what to do.
            "unique": "That date is already a non-working day. Enter a different date",
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
        longest = NonWorkingDay._meta.get_field("description").max_length
        self.fields["description"].error_messages["max_length"] = (
            f"The reason must be {longest} characters or fewer"
        )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("date", field_width=10),
            Field.text("description", field_width=Fluid.TWO_THIRDS),
            Submit("submit", "Add non-working day"),
        )
