"""Forms for the reviews app's pages. They check the shape of what was typed; the rules (dates
against the period of care, participation against age, ...) are in the services, whose
messages the views put back against the field."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout
from django import forms

from iro_service.core.forms import ListFilterForm, SelectedRecordsField, VersionedFormMixin
from iro_service.people.models import StaffMember, Team
from reviews.codes import (
    STARTS_PERIOD,
    STAYS_IN_CARE,
    CareStatus,
    CodeListName,
    ContactKind,
    ParticipationCode,
    PermanencePlanType,
)

DATE_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%Y-%m-%d", "%d-%m-%Y"]
DATE_INVALID = "Enter the date as day, month and year, for example 27/03/2017"


def date_field(label: str, *, required: bool = True, required_message: str = "", help_text: str = ""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text or "For example, 27/03/2017",
        input_formats=DATE_FORMATS,
        error_messages={
            "required": required_message or f"Enter the {label.lower()}",
            "invalid": DATE_INVALID,
        },
    )


def _no_tag_helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields)
    return helper


class VersionedForm(VersionedFormMixin, forms.Form):
    """A reviews form that changes a record two people may edit at once (see the mixin)."""

    version_field = "updated_at"
    updated_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)


class ChildrenInCareFilterForm(forms.Form):
    """Filters of the children-in-care list. Bad values are ignored rather than failing."""

    q = forms.CharField(label="Name or child ID", required=False, max_length=100)
    iro = forms.ModelChoiceField(
        label="IRO", required=False, queryset=StaffMember.objects.none(), empty_label="Any"
    )
    status = forms.ChoiceField(
        label="Next review", required=False, choices=[("", "Any"), *CareStatus.choices]
    )

    def __init__(self, *args, iros=None, **kwargs):
        super().__init__(*args, **kwargs)
        if iros is not None:
            self.fields["iro"].queryset = iros
        self.helper = _no_tag_helper(
            Field.text("q", field_width=Fluid.FULL), Field.select("iro"), Field.select("status")
        )


class ReviewsToBookFilterForm(forms.Form):
    weeks = forms.IntegerField(
        label="Due within (weeks)",
        required=False,
        min_value=1,
        max_value=26,
        initial=6,
        error_messages={
            "min_value": "Enter a number of weeks from 1 to 26",
            "max_value": "Enter a number of weeks from 1 to 26",
        },
    )
    iro = forms.ModelChoiceField(
        label="IRO", required=False, queryset=StaffMember.objects.none(), empty_label="Any"
    )

    def __init__(self, *args, iros=None, **kwargs):
        super().__init__(*args, **kwargs)
        if iros is not None:
            self.fields["iro"].queryset = iros
        self.helper = _no_tag_helper(Field.text("weeks", field_width=4), Field.select("iro"))


class RecordsFilterForm(ListFilterForm):
    """Filters of 'Records to distribute'."""

    completed_from = date_field("Record completed from", required=False)
    completed_to = date_field("Record completed to", required=False)
    iro = forms.ModelChoiceField(
        label="Chair", required=False, queryset=StaffMember.objects.none(), empty_label="Any"
    )
    team = forms.ModelChoiceField(
        label="Chair's team", required=False, queryset=Team.objects.none(), empty_label="Any"
    )
    overdue = forms.BooleanField(label="Only records out of timescale", required=False)
    date_ranges = (("completed_from", "completed_to"),)

    def __init__(self, *args, iros=None, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        if iros is not None:
            self.fields["iro"].queryset = iros
        if teams is not None:
            self.fields["team"].queryset = teams
        self.helper = _no_tag_helper(
            Field.text("completed_from", field_width=Fluid.FULL),
            Field.text("completed_to", field_width=Fluid.FULL),
            Field.select("iro"),
            Field.select("team"),
            Field.checkbox("overdue"),
        )


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


class MeetingBookForm(forms.Form):
    date = date_field("Date of the meeting", required_message="Enter the date of the meeting")

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
    new_date = date_field(
        "New date", required=False, help_text="Leave blank to cancel. For example, 27/03/2017"
    )

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


# --- the care history: periods of care and episodes -------------------------------------------


class CodeChoiceField(forms.ChoiceField):
    """An SSDA903 code chosen from the list of one collection year. Whether the code is valid
    in the year of the date entered is the service's rule (``services.periods._check_codes``), whose
    message names the date; the form only offers the list."""

    def valid_value(self, value) -> bool:
        return True


def code_field(label: str, *, required: bool = True, help_text: str = "") -> CodeChoiceField:
    return CodeChoiceField(
        label=label,
        required=required,
        help_text=help_text,
        error_messages={"required": f"Select the {label[0].lower()}{label[1:]}"},
    )


def date_from_post(data, field: str):
    """The date typed into ``field`` of a posted form, or None: it chooses which collection
    year's code lists the page offers, before the form is validated."""
    if not data or not data.get(field):
        return None
    try:
        return forms.DateField(input_formats=DATE_FORMATS).clean(data.get(field))
    except forms.ValidationError:
        return None


class _CodesForm(forms.Form):
    """A form with SSDA903 code lists: ``code_lists`` maps each code field to its list name;
    ``codes`` is ``selectors.codes_in_year`` for the year of the date entered (or today)."""

    code_lists: dict[str, str] = {}
    # Codes offered nowhere on this form (the service refuses them with its own message).
    left_out: dict[str, str] = {}

    def __init__(self, *args, codes: dict[str, dict[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        for name, list_name in self.code_lists.items():
            field = self.fields[name]
            options = [
                (code, f"{code}: {label}")
                for code, label in sorted(codes.get(list_name, {}).items())
                if code != self.left_out.get(name)
            ]
            empty = "Choose a code" if field.required else "None"
            field.choices = [("", empty), *options]

    @staticmethod
    def _postcode(value: str) -> str:
        return " ".join(value.upper().split())


_YEAR_HELP = (
    "The codes are those of the SSDA903 collection year (1 April to 31 March) of the date above. "
    "If you change the date to another year, check the codes again."
)


class PeriodOfCareStartForm(_CodesForm):
    """The child comes into care: the period and its first episode."""

    code_lists = {
        "legal_status": CodeListName.LS,
        "category_of_need": CodeListName.CIN,
        "placement": CodeListName.PLACE,
        "placement_provider": CodeListName.PLACE_PROVIDER,
    }

    start_date = date_field("Date the child came into care")
    legal_status = code_field("Legal status", help_text=_YEAR_HELP)
    category_of_need = code_field("Category of need")
    placement = code_field("Placement type")
    placement_provider = code_field("Placement provider", required=False)
    home_postcode = forms.CharField(label="Child's home postcode", required=False, max_length=8)
    placement_postcode = forms.CharField(label="Placement postcode", required=False, max_length=8)
    urn = forms.CharField(
        label="Ofsted URN of the placement", required=False, max_length=10, help_text="If it has one."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _no_tag_helper(
            Field.text("start_date", field_width=10),
            Field.select("legal_status"),
            Field.select("category_of_need"),
            Field.select("placement"),
            Field.select("placement_provider"),
            Field.text("home_postcode", field_width=10),
            Field.text("placement_postcode", field_width=10),
            Field.text("urn", field_width=10),
        )

    def clean_home_postcode(self):
        return self._postcode(self.cleaned_data["home_postcode"])

    def clean_placement_postcode(self):
        return self._postcode(self.cleaned_data["placement_postcode"])


class EpisodeChangeForm(_CodesForm):
    """A change of placement or legal status: a new episode of the open period."""

    code_lists = {
        "reason_for_new_episode": CodeListName.RNE,
        "legal_status": CodeListName.LS,
        "category_of_need": CodeListName.CIN,
        "placement": CodeListName.PLACE,
        "placement_provider": CodeListName.PLACE_PROVIDER,
        "reason_place_change": CodeListName.REASON_PLACE_CHANGE,
    }
    # S starts a period of care; it is never the reason for a change.
    left_out = {"reason_for_new_episode": STARTS_PERIOD}

    start_date = date_field("Date of the change")
    reason_for_new_episode = code_field("Reason for the new episode", help_text=_YEAR_HELP)
    legal_status = code_field("Legal status")
    category_of_need = code_field("Category of need")
    placement = code_field("Placement type")
    placement_provider = code_field("Placement provider", required=False)
    reason_place_change = code_field(
        "Reason for the placement change", required=False, help_text="Only if the placement changed."
    )
    placement_postcode = forms.CharField(label="Placement postcode", required=False, max_length=8)
    urn = forms.CharField(
        label="Ofsted URN of the placement", required=False, max_length=10, help_text="If it has one."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _no_tag_helper(
            Field.text("start_date", field_width=10),
            Field.select("reason_for_new_episode"),
            Field.select("legal_status"),
            Field.select("category_of_need"),
            Field.select("placement"),
            Field.select("placement_provider"),
            Field.select("reason_place_change"),
            Field.text("placement_postcode", field_width=10),
            Field.text("urn", field_width=10),
        )

    def clean_placement_postcode(self):
        return self._postcode(self.cleaned_data["placement_postcode"])


class PeriodOfCareEndForm(_CodesForm):
    """The child leaves care."""

    code_lists = {"reason_ceased": CodeListName.REC}
    # X1 ends an episode while the child stays in care; it is never why a child left care.
    left_out = {"reason_ceased": STAYS_IN_CARE}

    end_date = date_field("Date the child left care")
    reason_ceased = code_field("Reason the child left care", help_text=_YEAR_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _no_tag_helper(Field.text("end_date", field_width=10), Field.select("reason_ceased"))


# --- between reviews: plans, guardians and legal advice ----------------------------------------


class PermanencePlanForm(forms.Form):
    period = forms.TypedChoiceField(
        label="Period of care",
        coerce=int,
        error_messages={
            "required": "Select the period of care the plan is for",
            "invalid_choice": "Select a period of care from the list",
        },
    )
    plan_type = forms.ChoiceField(
        label="Plan for permanence",
        choices=PermanencePlanType.choices,
        error_messages={"required": "Select the plan for permanence"},
    )
    date_agreed = date_field("Date the plan was agreed")

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [
            (
                period.pk,
                f"From {period.start_date.day} {period.start_date:%B %Y}"
                + (
                    f" to {period.end_date.day} {period.end_date:%B %Y}"
                    if period.end_date
                    else " (in care now)"
                ),
            )
            for period in periods
        ]
        self.helper = _no_tag_helper(
            Field.radios("period"), Field.radios("plan_type"), Field.text("date_agreed", field_width=10)
        )


class GuardianDatesForm(VersionedForm):
    """The end of a Children's Guardian's involvement and their handover to the IRO."""

    end_date = date_field(
        "Date the guardian's involvement ended",
        required=False,
        help_text="If it has ended. For example, 27/03/2017",
    )
    handover_date = date_field(
        "Date the guardian handed over to the IRO",
        required=False,
        help_text="If they have. For example, 27/03/2017",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _no_tag_helper(*self._layout())

    def _layout(self):
        return [*self._dates(), "updated_at"]

    def _dates(self):
        return [Field.text("end_date", field_width=10), Field.text("handover_date", field_width=10)]


class GuardianForm(GuardianDatesForm):
    """A Children's Guardian appointed in care proceedings."""

    guardian_name = forms.CharField(
        label="Guardian's name",
        max_length=120,
        error_messages={"required": "Enter the Children's Guardian's name"},
    )
    start_date = date_field("Date the guardian was appointed")
    updated_at = None  # a new record has no version yet

    field_order = ["guardian_name", "start_date", "end_date", "handover_date"]

    def _layout(self):
        return [
            Field.text("guardian_name", field_width=20),
            Field.text("start_date", field_width=10),
            *self._dates(),
        ]


class LegalAdviceReferralForm(forms.Form):
    date_referred = date_field("Date of the referral")
    reason = forms.CharField(
        label="Reason for the referral",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the reason for the referral"},
    )
    outcome = forms.CharField(
        label="Outcome",
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Leave blank if it is not known yet.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _no_tag_helper(
            Field.text("date_referred", field_width=10), Field.textarea("reason"), Field.textarea("outcome")
        )


class LegalAdviceOutcomeForm(VersionedForm):
    outcome = forms.CharField(
        label="Outcome",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the outcome of the referral"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _no_tag_helper(Field.textarea("outcome"), "updated_at")
