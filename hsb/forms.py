"""Forms for the hsb app's pages. Rules live in the services; these forms only turn what was
typed into values and say, in GOV.UK style, which field is wrong. Every field is rendered
through a crispy-forms-gds ``Field.*`` layout; a text box with a limit shows the GOV.UK
character count."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Fluid, Layout, Size, Submit
from django import forms

from hsb.codes import (
    AssessmentOutcome,
    AssessmentTool,
    BrookRating,
    BrookToolVersion,
    Course,
    Intervention,
    MeetingAgency,
    ReferralOutcome,
)
from hsb.models import DESCRIPTION_LIMIT, REASON_LIMIT, SUMMARY_LIMIT, OutsidePractitioner
from iro_service.core.forms import VersionedFormMixin
from iro_service.core.forms import date_field as kernel_date_field
from iro_service.people.codes import Ethnicity, Sex
from iro_service.people.models import Child


def date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    """The kernel's date field (the one pattern, formats and hint of every page), with messages
    that name the field."""
    what = label[0].lower() + label[1:]
    field = kernel_date_field(label, required=required, hint=help_text, required_message=f"Enter the {what}")
    field.error_messages["invalid"] = f"Enter the {what} as day, month and year, for example 27/3/2017"
    return field


def choice_field(
    label: str, choices, *, required: bool = True, empty: str = "", **kwargs
) -> forms.ChoiceField:
    """A select with GOV.UK's empty first option ("Choose ..."), or "None" when optional."""
    what = label[0].lower() + label[1:]
    first = empty or (f"Choose the {what}" if required else "None")
    return forms.ChoiceField(
        label=label,
        required=required,
        choices=[("", first), *choices],
        error_messages={
            "required": f"Choose the {what}",
            "invalid_choice": f"Choose the {what} from the list",
        },
        **kwargs,
    )


def radio_field(label: str, choices, *, required: bool = True, **kwargs) -> forms.ChoiceField:
    what = label[0].lower() + label[1:]
    return forms.ChoiceField(
        label=label,
        required=required,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": f"Choose the {what}",
            "invalid_choice": f"Choose the {what} from the list",
        },
        **kwargs,
    )


def text_field(label: str, *, max_length: int, required: bool = True, textarea: bool = False, **kwargs):
    """A text box; a ``textarea`` is shown with the GOV.UK character count (``Field.textarea(...,
    max_characters=...)``), which needs a hint to describe it, and without the browser's
    ``maxlength``: GOV.UK lets people type past the limit and then says by how much."""
    what = label[0].lower() + label[1:]
    if textarea:
        kwargs.setdefault("help_text", f"You can enter up to {max_length} characters.")
    field = forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": 4}) if textarea else forms.TextInput,
        error_messages={
            "required": f"Enter the {what}",
            "max_length": f"The {what} must be {max_length} characters or fewer",
        },
        **kwargs,
    )
    if textarea:
        field.widget.attrs.pop("maxlength", None)
    return field


def model_field(label: str, queryset, *, required: bool = True, **kwargs) -> forms.ModelChoiceField:
    what = label[0].lower() + label[1:]
    return forms.ModelChoiceField(
        label=label,
        queryset=queryset,
        required=required,
        empty_label=f"Choose the {what}" if required else "None",
        error_messages={
            "required": f"Choose the {what}",
            "invalid_choice": f"Choose the {what} from the list",
        },
        **kwargs,
    )


def _helper(*fields, submit: str, form_tag: bool = True) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = form_tag
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper


class ReferralForm(forms.Form):
    """A referral to the HSB lead, about a child already known (by child ID, or the child whose
    page it was opened from) or a new one, whose details are entered here."""

    child_id = forms.CharField(
        label="Child ID of a child already known",
        required=False,
        max_length=20,
        help_text="Leave blank for a child new to the service, and enter their details below.",
    )
    local_child_id = text_field("New child's child ID", max_length=20, required=False)
    first_name = text_field("New child's first name", max_length=80, required=False)
    last_name = text_field("New child's last name", max_length=80, required=False)
    date_of_birth = date_field("New child's date of birth", required=False)
    sex = choice_field("New child's sex", Sex.choices, required=False)
    ethnicity = choice_field("New child's ethnicity", Ethnicity.choices, required=False)
    received_on = date_field("Date the referral was received")
    referrer_name = text_field("Referrer's name", max_length=120)
    referrer_team = text_field(
        "Referrer's team or agency", max_length=120, help_text="For example, Locality Team East, or a school."
    )
    description = text_field(
        "Description of the behaviour",
        max_length=DESCRIPTION_LIMIT,
        textarea=True,
        help_text="What the referrer described, and its context.",
    )
    rating = choice_field(
        "Brook traffic light rating",
        BrookRating.choices,
        required=False,
        help_text="If the referrer or the HSB lead has rated it already. Amber is orange on the 2020 tool.",
    )
    tool_version = choice_field("Version of the Brook tool", BrookToolVersion.choices, required=False)
    period_of_care = model_field("Period of care it is linked to", None, required=False)
    cp_plan = model_field("Child protection plan it is linked to", None, required=False)

    NEW_CHILD_FIELDS = ("local_child_id", "first_name", "last_name", "date_of_birth", "sex", "ethnicity")

    def __init__(self, *args, user, child: Child | None = None, periods=None, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.child = child
        self.user = user  # a child hidden from them is "no child with that ID"
        layout = []
        if child is None:
            # No period or plan to link before the child is known.
            del self.fields["period_of_care"], self.fields["cp_plan"]
            layout += [
                Field.text("child_id", field_width=10),
                Fieldset(
                    Field.text("local_child_id", field_width=10),
                    Field.text("first_name", field_width=Fluid.ONE_HALF),
                    Field.text("last_name", field_width=Fluid.ONE_HALF),
                    Field.text("date_of_birth", field_width=Fluid.ONE_THIRD),
                    Field.select("sex"),
                    Field.select("ethnicity"),
                    legend="A child new to the service",
                    legend_size=Size.SMALL,
                ),
            ]
        else:
            for name in ("child_id", *self.NEW_CHILD_FIELDS):
                del self.fields[name]
            self.fields["period_of_care"].queryset = periods
            self.fields["period_of_care"].label_from_instance = lambda p: (
                f"In care from {p.start_date:%-d %B %Y}"
                + (f" to {p.end_date:%-d %B %Y}" if p.end_date else "")
            )
            self.fields["cp_plan"].queryset = plans
            self.fields["cp_plan"].label_from_instance = lambda p: (
                f"Plan from {p.start_date:%-d %B %Y}" + (f" to {p.end_date:%-d %B %Y}" if p.end_date else "")
            )
        layout += [
            Field.text("received_on", field_width=Fluid.ONE_THIRD),
            Field.text("referrer_name", field_width=Fluid.TWO_THIRDS),
            Field.text("referrer_team", field_width=Fluid.TWO_THIRDS),
            Field.textarea("description", max_characters=DESCRIPTION_LIMIT),
            Field.select("rating"),
            Field.select("tool_version"),
        ]
        if child is not None:
            layout += [Field.select("period_of_care"), Field.select("cp_plan")]
        self.helper = _helper(*layout, submit="Save referral")

    def clean_child_id(self):
        value = self.cleaned_data["child_id"].strip()
        if not value:
            return None
        child = Child.objects.restrict(self.user).filter(local_child_id__iexact=value).first()
        if child is None:
            raise forms.ValidationError(
                f"There is no child with the child ID {value}. Check it, or leave it blank and enter "
                "the new child's details"
            )
        return child

    def clean(self):
        cleaned = super().clean()
        if self.child is not None or cleaned.get("child_id") or "child_id" in self.errors:
            return cleaned
        typed = [name for name in self.NEW_CHILD_FIELDS if cleaned.get(name)]
        if not typed:
            self.add_error(
                "child_id", "Enter the child ID of a child already known, or the new child's details"
            )
            return cleaned
        for name in ("local_child_id", "first_name", "last_name", "date_of_birth"):
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(
                    name, f"Enter the {self.fields[name].label[0].lower()}{self.fields[name].label[1:]}"
                )
        return cleaned

    def service_arguments(self) -> dict:
        """The keyword arguments of ``services.hsb_referral_record``."""
        data = self.cleaned_data
        arguments = {
            name: data[name] for name in ("received_on", "referrer_name", "referrer_team", "description")
        }
        arguments |= {"rating": data["rating"], "tool_version": data["tool_version"]}
        if self.child is not None:
            arguments |= {
                "child": self.child,
                "period_of_care": data["period_of_care"],
                "cp_plan": data["cp_plan"],
            }
        elif data["child_id"] is not None:
            arguments["child"] = data["child_id"]
        elif any(data[name] for name in self.NEW_CHILD_FIELDS):
            new_child = {name: data[name] for name in self.NEW_CHILD_FIELDS}
            new_child["sex"] = new_child["sex"] or Sex.UNKNOWN
            new_child["ethnicity"] = new_child["ethnicity"] or Ethnicity.NOBT
            arguments["new_child"] = new_child
        return arguments


class ThresholdDecisionForm(VersionedFormMixin, forms.Form):
    """The HSB lead's threshold decision on a referral."""

    rating = radio_field(
        "Brook traffic light rating", BrookRating.choices, help_text="Amber is orange on the 2020 tool."
    )
    tool_version = radio_field("Version of the Brook tool", BrookToolVersion.choices)
    outcome = radio_field(
        "Outcome",
        ReferralOutcome.choices,
        required=False,
        help_text="Amber or red meets the threshold for an HSB meeting; green gets one of the other "
        "outcomes. Leave blank for amber or red.",
    )
    decided_on = date_field("Date of the decision")
    seen_updated_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("rating", legend_size=Size.SMALL, inline=True),
            Field.radios("tool_version", legend_size=Size.SMALL),
            Field.radios("outcome", legend_size=Size.SMALL),
            Field.text("decided_on", field_width=Fluid.ONE_THIRD),
            "seen_updated_at",
            submit="Save decision",
        )


class MeetingForm(forms.Form):
    """An HSB meeting held about a referral."""

    date = date_field("Date of the meeting")
    chair = model_field("Chair", None, help_text="The HSB lead or an IRO.")
    agencies = forms.MultipleChoiceField(
        label="Agencies attending",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=MeetingAgency.choices,
        help_text="Select all that apply.",
    )
    risk_summary = text_field("Risk assessment summary", max_length=SUMMARY_LIMIT, textarea=True)
    recommendations = text_field("Recommendations", max_length=SUMMARY_LIMIT, textarea=True)
    intervention = choice_field("Intervention assigned", Intervention.choices, required=False)
    review_on = date_field("Date of the review", required=False, help_text="When the plan is to be reviewed.")
    override_reason = text_field(
        "Reason for a meeting below the threshold",
        max_length=REASON_LIMIT,
        required=False,
        textarea=True,
        help_text="Only for a referral rated green: why the meeting was held all the same.",
    )
    record_produced_on = date_field(
        "Date the record was produced", required=False, help_text="Leave blank if not yet."
    )
    record_distributed_on = date_field(
        "Date the record was distributed", required=False, help_text="Leave blank if not yet sent."
    )

    def __init__(self, *args, chairs, below_threshold: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = chairs
        self.fields["chair"].label_from_instance = lambda staff: (
            f"{staff.full_name} ({staff.get_job_role_display()})"
        )
        layout = [
            Field.text("date", field_width=Fluid.ONE_THIRD),
            Field.select("chair"),
            Field.checkboxes("agencies", legend_size=Size.SMALL, small=True),
            Field.textarea("risk_summary", max_characters=SUMMARY_LIMIT),
            Field.textarea("recommendations", max_characters=SUMMARY_LIMIT),
            Field.select("intervention"),
            Field.text("review_on", field_width=Fluid.ONE_THIRD),
        ]
        if below_threshold:
            layout.append(Field.textarea("override_reason", max_characters=REASON_LIMIT))
        else:
            del self.fields["override_reason"]
        layout += [
            Field.text("record_produced_on", field_width=Fluid.ONE_THIRD),
            Field.text("record_distributed_on", field_width=Fluid.ONE_THIRD),
        ]
        self.helper = _helper(*layout, submit="Save meeting")


class RecordDatesForm(VersionedFormMixin, forms.Form):
    """When a meeting's record was produced and distributed."""

    record_produced_on = date_field(
        "Date the record was produced", required=False, help_text="Leave blank if not yet."
    )
    record_distributed_on = date_field(
        "Date the record was distributed", required=False, help_text="Leave blank if not yet sent."
    )
    seen_updated_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("record_produced_on", field_width=Fluid.ONE_THIRD),
            Field.text("record_distributed_on", field_width=Fluid.ONE_THIRD),
            "seen_updated_at",
            submit="Save record dates",
        )


class AssessmentForm(forms.Form):
    """An AIM2 or AIM3 assessment of the referred child."""

    tool = radio_field(
        "Assessment model",
        AssessmentTool.choices,
        help_text="AIM2 is for boys aged 10 and over; AIM3 for young people aged 12 to 18.",
    )
    date = date_field("Date of the assessment")
    assessor_staff = model_field(
        "Assessor (member of staff)",
        None,
        required=False,
        help_text="Or choose an outside practitioner below.",
    )
    assessor_practitioner = model_field(
        "Assessor (outside practitioner)", OutsidePractitioner.objects.none(), required=False
    )
    outcome = radio_field("Outcome", AssessmentOutcome.choices)
    summary = text_field("Summary", max_length=REASON_LIMIT, required=False, textarea=True)
    age_confirmed = forms.BooleanField(
        label="I confirm this model was used although the child is outside the age range it is designed for",
        required=False,
    )

    def __init__(self, *args, staff, practitioners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessor_staff"].queryset = staff
        self.fields["assessor_practitioner"].queryset = practitioners
        self.helper = _helper(
            Field.radios("tool", legend_size=Size.SMALL, inline=True),
            Field.text("date", field_width=Fluid.ONE_THIRD),
            Field.select("assessor_staff"),
            Field.select("assessor_practitioner"),
            Field.radios("outcome", legend_size=Size.SMALL),
            Field.textarea("summary", max_characters=REASON_LIMIT),
            Field.checkbox("age_confirmed", small=True),
            submit="Save assessment",
        )


class TrainingRecordForm(forms.Form):
    """A course completed, for a member of staff or an outside practitioner."""

    course = choice_field("Course", Course.choices)
    completed_on = date_field("Date the course was completed")
    staff = model_field(
        "Member of staff", None, required=False, help_text="Or enter an outside practitioner below."
    )
    practitioner_name = text_field("Outside practitioner's name", max_length=120, required=False)
    practitioner_agency = text_field(
        "Outside practitioner's agency",
        max_length=120,
        required=False,
        help_text="For example, Youth Offending Service.",
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff
        self.fields["staff"].label_from_instance = lambda member: f"{member.full_name} ({member.team.name})"
        self.helper = _helper(
            Field.select("course"),
            Field.text("completed_on", field_width=Fluid.ONE_THIRD),
            Field.select("staff"),
            Fieldset(
                Field.text("practitioner_name", field_width=Fluid.TWO_THIRDS),
                Field.text("practitioner_agency", field_width=Fluid.TWO_THIRDS),
                legend="An outside practitioner",
                legend_size=Size.SMALL,
            ),
            submit="Save training record",
        )


class PlannedCourseForm(forms.Form):
    """A course in the HSB training plan."""

    course = choice_field("Course", Course.choices)
    audience = text_field("Who it is for", max_length=200, help_text="For example, qualified social workers.")
    places = forms.IntegerField(
        label="Places",
        required=False,
        min_value=1,
        max_value=1000,
        help_text="Leave blank when it is open to everyone it is for.",
        error_messages={
            "invalid": "Enter the number of places as a whole number, for example 18",
            "min_value": "The number of places must be 1 or more",
            "max_value": "The number of places must be 1000 or fewer",
        },
    )
    planned_from = date_field("Date it is planned to start", required=False)
    notes = text_field("Notes", max_length=REASON_LIMIT, required=False, textarea=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.select("course"),
            Field.text("audience", field_width=Fluid.TWO_THIRDS),
            Field.text("places", field_width=4),
            Field.text("planned_from", field_width=Fluid.ONE_THIRD),
            Field.textarea("notes", max_characters=REASON_LIMIT),
            submit="Save planned course",
        )
