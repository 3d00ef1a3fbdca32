"""Forms for the conferences app's pages. Rules live in the services; these forms only turn what
was typed into values and say which field is wrong."""

from __future__ import annotations

from dataclasses import dataclass

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Submit
from django import forms

from conferences.codes import (
    AGENCY_GROUPS,
    NO_FACTORS,
    TYPE_STAGES,
    assessment_factors,
    needs_strategy_discussion,
)
from conferences.models import (
    INITIAL_STAGES,
    AbuseCategory,
    Agency,
    AppealOutcome,
    Appellant,
    ConferenceChild,
    ConferenceOutcome,
    ConferenceType,
    PlanEndReason,
    Section47Enquiry,
    StoodDownReason,
)
from iro_service.core.forms import ListFilterForm, SelectedRecordsField, VersionedFormMixin, date_field
from iro_service.people.models import StaffMember, Team


class ChildDecisionForm(forms.Form):
    """What the conference decided for one child; one per child, prefixed by the child's id."""

    outcome = forms.ChoiceField(widget=forms.RadioSelect, choices=())
    categories = forms.MultipleChoiceField(
        label="Categories of abuse",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=AbuseCategory.choices,
        help_text="For a plan: select all that apply.",
    )
    end_reason = forms.ChoiceField(
        label="Reason the plan ended", required=False, choices=[("", "Not ending"), *PlanEndReason.choices]
    )

    def __init__(self, *args, link: ConferenceChild, **kwargs):
        super().__init__(*args, **kwargs)
        self.link = link
        name = link.child.full_name
        if link.stage in INITIAL_STAGES:
            allowed = [ConferenceOutcome.PLAN_STARTED, ConferenceOutcome.NOT_NEEDED]
        else:
            allowed = [ConferenceOutcome.PLAN_CONTINUED, ConferenceOutcome.PLAN_ENDED]
        self.fields["outcome"].choices = [(o.value, o.label) for o in allowed]
        self.fields["outcome"].label = f"Outcome for {name}"
        self.fields["outcome"].error_messages["required"] = f"Select the outcome for {name}"
        self.fields["categories"].label = f"Categories of abuse for {name}"
        self.fields["end_reason"].label = f"Reason {name}'s plan ended"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        layout = [
            Field.radios("outcome", legend_size="s"),
            Field.checkboxes("categories", legend_size="s", small=True),
        ]
        if link.stage not in INITIAL_STAGES:
            layout.append(Field.select("end_reason"))
        self.helper.layout = Layout(*layout)


class AgencyAttendanceForm(forms.Form):
    """One agency's invitation, attendance and report; one per agency, prefixed by its code.
    The record page draws them as the rows of a table (``attendance_tables``), each box with
    its label for a screen reader."""

    invited = forms.BooleanField(required=False)
    attended = forms.BooleanField(required=False)
    report_submitted = forms.BooleanField(required=False)

    def __init__(self, *args, agency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.label = Agency(agency).label
        self.fields["invited"].label = f"{self.label}: invited"
        self.fields["attended"].label = f"{self.label}: attended"
        self.fields["report_submitted"].label = f"{self.label}: sent a report"

    @property
    def ticked(self) -> bool:
        """Whether the POST ticked any of this agency's boxes."""
        return self.is_bound and any(self[name].value() for name in self.fields)


@dataclass(frozen=True)
class AttendanceTables:
    """The record page's agencies: those invited, in one table shown first, and the others
    in one table per group, behind "Show the other agencies" (an HTML details element, so it
    opens without JavaScript). It starts open when nobody was invited, or when the POST
    ticked a box in it, so that nothing entered is hidden."""

    invited: list[AgencyAttendanceForm]
    others: list[tuple[str, list[AgencyAttendanceForm]]]
    others_open: bool

    @property
    def other_count(self) -> int:
        return sum(len(forms_in_group) for _, forms_in_group in self.others)


def attendance_tables(agency_forms: list[AgencyAttendanceForm], *, invited: set[str]) -> AttendanceTables:
    by_agency = {form.agency: form for form in agency_forms}
    ordered = [by_agency[agency] for _, agencies in AGENCY_GROUPS for agency in agencies]
    others = [
        (group, [by_agency[agency] for agency in agencies if agency not in invited])
        for group, agencies in AGENCY_GROUPS
    ]
    others = [(group, forms_in_group) for group, forms_in_group in others if forms_in_group]
    return AttendanceTables(
        invited=[form for form in ordered if form.agency in invited],
        others=others,
        others_open=not invited or any(form.ticked for _, group in others for form in group),
    )


class ConferenceVersionForm(VersionedFormMixin, forms.Form):
    """The version of the conference the record page was opened on; the page's other forms are
    one per child and one per agency, so the version travels on its own."""

    seen_updated_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)


class BookingForm(forms.Form):
    """Book a conference for a family: its type, the strategy discussion an initial one counts
    from (asked second, so that a missing one is said before anything else), date, chair and
    children."""

    no_discussion = (
        "Record the strategy discussion that started the section 47 enquiry first: an initial "
        "conference counts from it, and none is recorded for this family"
    )
    choose_discussion = (
        "Select the strategy discussion that started the section 47 enquiry: an initial conference "
        "counts from it"
    )
    field_order = [
        "conference_type",
        "strategy_discussion",
        "date",
        "chair",
        "children",
        "transfer_notified_on",
        "agencies",
    ]

    conference_type = forms.ChoiceField(
        label="Type of conference",
        choices=[("", "Choose the type of conference"), *ConferenceType.choices],
        error_messages={"required": "Select the type of conference"},
    )
    date = date_field("Date of the conference")
    chair = forms.ModelChoiceField(
        label="Chair",
        queryset=None,
        error_messages={"required": "Select the IRO who will chair the conference"},
        help_text="Where possible the same IRO chairs all of a family's conferences.",
    )
    children = forms.MultipleChoiceField(
        label="Children the conference is about",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the children the conference is about"},
    )
    strategy_discussion = forms.ChoiceField(label="Strategy discussion", required=False)
    transfer_notified_on = date_field(
        "Date the transfer in was notified", required=False, hint="Receiving-in conferences only."
    )
    agencies = forms.MultipleChoiceField(
        label="Agencies invited",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=Agency.choices,
    )

    def __init__(self, *args, chairs, children, discussions, **kwargs):
        super().__init__(*args, **kwargs)
        self.discussions = discussions
        self.fields["chair"].queryset = chairs
        self.fields["children"].choices = [(str(c.pk), c.full_name) for c in children]
        self.fields["strategy_discussion"].choices = [("", "None")] + [
            (str(d.pk), f"{d.date:%-d %B %Y}") for d in discussions
        ]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.select("conference_type"),
            Field.select("strategy_discussion"),
            Field.text("date"),
            Field.select("chair"),
            Field.checkboxes("children", legend_size="s"),
            Field.text("transfer_notified_on"),
            Field.checkboxes("agencies", legend_size="s", small=True),
            Submit("submit", "Book conference"),
        )

    def clean(self):
        """Say at once that the type chosen needs a strategy discussion, whatever else is wrong
        (the service checks it again against each child's stage)."""
        cleaned = super().clean()
        kind = cleaned.get("conference_type")
        needed = kind in TYPE_STAGES and needs_strategy_discussion(
            conference_type=kind, stages=TYPE_STAGES[kind]
        )
        if needed and not cleaned.get("strategy_discussion"):
            self.add_error(
                "strategy_discussion", self.choose_discussion if self.discussions else self.no_discussion
            )
        return cleaned


class StrategyDiscussionForm(forms.Form):
    date = date_field("Date of the strategy discussion")
    children = forms.MultipleChoiceField(
        label="Children the section 47 enquiries are about",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the children the section 47 enquiries are about"},
    )

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["children"].choices = [(str(c.pk), c.full_name) for c in children]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("date"),
            Field.checkboxes("children", legend_size="s"),
            Submit("submit", "Record strategy discussion"),
        )


def _factor_choice(code: str, description: str) -> Choice:
    """A factor's box: its code and the description's subject as the label ("3A Domestic
    violence"), the rest of the DfE's words as the hint, so that 42 boxes can be scanned."""
    cut = min((at for at in (description.find(": "), description.find(" - ")) if at > 0), default=-1)
    if cut < 0:
        return Choice(code, f"{code} {description}")
    rest = description[cut:].lstrip(":- ")
    return Choice(code, f"{code} {description[:cut]}", hint=rest[:1].upper() + rest[1:])


def assessment_factor_choices() -> list[Choice]:
    """The DfE's factors in the schema's order, with 21 (no factors identified) last, after
    "or", as GOV.UK sets apart the answer that excludes the others."""
    factors = assessment_factors()
    choices = [_factor_choice(code, text) for code, text in factors.items() if code != NO_FACTORS]
    choices[-1].divider = "or"
    return [*choices, _factor_choice(NO_FACTORS, factors[NO_FACTORS])]


class AssessmentForm(forms.Form):
    """The assessment a section 47 enquiry is part of. The fields are named as the service
    names them in its errors; which dates and factors go together is the service's rule."""

    assessment_started_on = date_field("Date the assessment started", required=False)
    assessment_authorised_on = date_field(
        "Date the assessment was authorised",
        required=False,
        hint="Leave blank until the assessment is authorised.",
    )
    assessment_factors = forms.MultipleChoiceField(
        label="Factors identified at the end of the assessment",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Once the assessment is authorised: select all that apply.",
    )

    def __init__(self, *args, enquiry: Section47Enquiry, **kwargs):
        super().__init__(*args, **kwargs)
        # Until an assessment is recorded, a blank start date is a mistake; once one is, a
        # form sent with every field blank removes it.
        self.fields["assessment_started_on"].required = not enquiry.has_assessment
        if enquiry.has_assessment:
            self.fields["assessment_started_on"].help_text = "Clear every field to remove the assessment."
        self.fields["assessment_factors"].choices = assessment_factor_choices()
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("assessment_started_on"),
            Field.text("assessment_authorised_on"),
            Field.checkboxes("assessment_factors", legend_size="s", small=True),
            Submit("submit", "Save assessment"),
        )


class StandDownForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why the conference could not go ahead",
        choices=StoodDownReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the conference could not go ahead"},
    )
    detail = forms.CharField(
        label="Details", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    rearranged_on = date_field(
        "Date of the rearranged conference", required=False, hint="Leave blank if not yet known."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("reason", legend_size="s"),
            Field.textarea("detail"),
            Field.text("rearranged_on"),
            Submit("submit", "Stand down conference"),
        )


class ReportsForm(VersionedFormMixin, forms.Form):
    """The dates the social worker's report reached the parents and the chair."""

    report_to_parents_on = date_field(
        "Date the report reached the parents", required=False, hint="Leave blank if not yet received."
    )
    report_to_chair_on = date_field(
        "Date the report reached the chair", required=False, hint="Leave blank if not yet received."
    )
    seen_updated_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("report_to_parents_on"),
            Field.text("report_to_chair_on"),
            "seen_updated_at",
            Submit("submit", "Save report dates"),
        )


class DistributionForm(VersionedFormMixin, forms.Form):
    """The dates the conference record and plan were completed and distributed."""

    completed_on = date_field("Date the record was completed")
    distributed_on = date_field(
        "Date the record and plan were distributed", required=False, hint="Leave blank if not yet sent."
    )
    seen_updated_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("completed_on"),
            Field.text("distributed_on"),
            "seen_updated_at",
            Submit("submit", "Save record dates"),
        )


_STAGE_MESSAGES = {
    "required": "Select the stage the appeal has reached",
    "invalid_choice": "Select the stage the appeal has reached: 1, 2 or 3",
}
_OUTCOME_MESSAGES = {
    "required": "Select the outcome of the appeal, or Not yet decided",
    "invalid_choice": "Select the outcome of the appeal, or Not yet decided",
}


class RecordsFilterForm(ListFilterForm):
    """Filters of the conference 'Records to distribute'."""

    completed_from = date_field("Record completed from", required=False)
    completed_to = date_field("Record completed to", required=False)
    chair = forms.ModelChoiceField(
        label="Chair", required=False, queryset=StaffMember.objects.none(), empty_label="Any"
    )
    team = forms.ModelChoiceField(
        label="Chair's team", required=False, queryset=Team.objects.none(), empty_label="Any"
    )
    overdue = forms.BooleanField(label="Only records out of timescale", required=False)
    date_ranges = (("completed_from", "completed_to"),)

    def __init__(self, *args, chairs=None, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        if chairs is not None:
            self.fields["chair"].queryset = chairs
        if teams is not None:
            self.fields["team"].queryset = teams
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("completed_from", field_width=Fluid.FULL),
            Field.text("completed_to", field_width=Fluid.FULL),
            Field.select("chair"),
            Field.select("team"),
            Field.checkbox("overdue"),
        )


class RecordsDistributeForm(forms.Form):
    """Bulk 'mark distributed': the completed records ticked in the page's table and the date.
    Which records may take the date is checked by the service (which names any that cannot)."""

    conferences = SelectedRecordsField(
        label="Records", error_messages={"required": "Select at least one record to mark as distributed"}
    )
    distributed_on = date_field("Date the records and plans were distributed")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The checkboxes are drawn in the table; only the date is laid out here.
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.text("distributed_on", field_width=10))


class AppealForm(forms.Form):
    appellant = forms.ChoiceField(
        label="Who is appealing",
        choices=Appellant.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who is appealing"},
    )
    received_on = date_field("Date the appeal was received")
    stage = forms.TypedChoiceField(
        label="Stage",
        choices=[(1, "1"), (2, "2"), (3, "3")],
        coerce=int,
        initial=1,
        error_messages=_STAGE_MESSAGES,
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=AppealOutcome.choices,
        initial=AppealOutcome.PENDING,
        error_messages=_OUTCOME_MESSAGES,
    )
    response_sent_on = date_field("Date the written response was sent", required=False)
    summary = forms.CharField(
        label="Summary", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("appellant", legend_size="s"),
            Field.text("received_on"),
            Field.select("stage"),
            Field.select("outcome"),
            Field.text("response_sent_on"),
            Field.textarea("summary"),
            Submit("submit", "Save appeal"),
        )


class AppealUpdateForm(VersionedFormMixin, forms.Form):
    """Move an appeal on: its stage, outcome and the date the written response was sent."""

    stage = forms.TypedChoiceField(
        label="Stage", choices=[(1, "1"), (2, "2"), (3, "3")], coerce=int, error_messages=_STAGE_MESSAGES
    )
    outcome = forms.ChoiceField(
        label="Outcome", choices=AppealOutcome.choices, error_messages=_OUTCOME_MESSAGES
    )
    response_sent_on = date_field("Date the written response was sent", required=False)
    # The appeal's version when the page was opened (give it as isoformat(), which keeps the
    # offset): the change is refused if someone else has moved the appeal on since.
    seen_updated_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.select("stage"),
            Field.select("outcome"),
            Field.text("response_sent_on"),
            "seen_updated_at",
            Submit("submit", "Save appeal"),
        )
