"""Forms for the qa_alerts app's pages. Rules live in the services; these forms only turn what was
typed into values and say which field is wrong, in GOV.UK words that name the field."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Fluid, Layout, Size, Submit
from django import forms

from iro_service.core.forms import VersionedFormMixin
from iro_service.core.forms import date_field as kernel_date_field
from qa_alerts.models import (
    DESCRIPTION_LIMIT,
    NOTE_LIMIT,
    AlertContext,
    AlertKind,
    AlertOutcome,
    AlertStatus,
    ReferralKind,
)
from qa_alerts.models import CategoryContext as CategoryContextChoices


def date_field(label: str, *, what: str, required: bool = True) -> forms.DateField:
    """The kernel's date field (the one pattern, formats and hint of every page), with messages
    naming ``what`` is to be entered."""
    field = kernel_date_field(label, required=required, required_message=f"Enter {what}")
    field.error_messages["invalid"] = f"Enter {what} as day, month and year, for example 27/3/2017"
    return field


def text_field(label: str, *, what: str, max_length: int = 120, required: bool = True, **kwargs):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        error_messages={
            "required": f"Enter {what}",
            "max_length": f"{label} must be {max_length} characters or fewer",
        },
        **kwargs,
    )


def email_field(label: str, *, what: str, required: bool = True):
    return forms.EmailField(
        label=label,
        required=required,
        error_messages={
            "required": f"Enter {what}",
            "invalid": f"Enter {what} in the correct format, like name@example.gov.uk",
        },
    )


def long_text(label: str, *, what: str, limit: int, required: bool = True, help_text: str = ""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        help_text=help_text,
        # crispy-forms-gds' character count appends to this attribute and fails (KeyError) on a
        # field without a hint unless it is already there.
        widget=forms.Textarea(attrs={"aria-describedby": ""}),
        error_messages={
            "required": f"Enter {what}",
            "max_length": f"{label} must be {limit} characters or fewer",
        },
    )


def _helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper


class _Versioned(VersionedFormMixin, forms.Form):
    # The alert's version when the page was opened (isoformat, which keeps the offset): the
    # change is refused if someone else has changed the alert since.
    seen_updated_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)


# --- raising --------------------------------------------------------------------------------


class AlertRaiseForm(forms.Form):
    children = forms.MultipleChoiceField(
        label="Children the alert is about",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the children the alert is about"},
    )
    raised_by = forms.ModelChoiceField(
        label="IRO raising the alert",
        queryset=None,
        required=False,
        empty_label="Choose an IRO",
        error_messages={"invalid_choice": "Choose an IRO from the list"},
    )
    kind = forms.ChoiceField(
        label="Kind of alert",
        choices=AlertKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the alert is good practice or a concern"},
    )
    categories = forms.MultipleChoiceField(
        label="Categories of concern",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="For a concern: select all that apply.",
        error_messages={"invalid_choice": "Select categories from the list"},
    )
    description = long_text(
        "What the alert is about",
        what="what the alert is about",
        limit=DESCRIPTION_LIMIT,
        help_text="The practitioner reads this. Leave out the child's name: the email gives the child ID.",
    )
    raised_on = date_field("Date raised", what="the date the alert was raised")
    practitioner_name = text_field("Practitioner's name", what="the practitioner's name")
    practitioner_email = email_field("Practitioner's email address", what="the practitioner's email address")
    team = forms.ModelChoiceField(
        label="Practitioner's team",
        queryset=None,
        empty_label="Choose a team",
        error_messages={
            "required": "Choose the practitioner's team",
            "invalid_choice": "Choose a team from the list",
        },
    )
    team_manager_name = text_field("Team manager's name", what="the team manager's name")
    team_manager_email = email_field("Team manager's email address", what="the team manager's email address")

    def __init__(self, *args, children, categories, teams, iros=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["children"].choices = [
            (str(c.pk), f"{c.full_name} ({c.local_child_id})") for c in children
        ]
        self.fields["categories"].choices = [(str(c.pk), c.name) for c in categories]
        self.fields["team"].queryset = teams
        layout = [Field.checkboxes("children", legend_size=Size.SMALL)]
        if iros is None:
            del self.fields["raised_by"]
        else:
            self.fields["raised_by"].queryset = iros
            self.fields["raised_by"].required = True
            self.fields["raised_by"].error_messages["required"] = "Choose the IRO raising the alert"
            layout.append(Field.select("raised_by"))
        layout += [
            Field.radios("kind", legend_size=Size.SMALL, inline=True),
            Field.checkboxes("categories", legend_size=Size.SMALL, small=True),
            Field.textarea("description", rows=6, max_characters=DESCRIPTION_LIMIT),
            Field.text("raised_on", field_width=Fluid.ONE_THIRD),
            Fieldset(
                Field.text("practitioner_name", field_width=Fluid.TWO_THIRDS),
                Field.text("practitioner_email", field_width=Fluid.TWO_THIRDS),
                Field.select("team"),
                Field.text("team_manager_name", field_width=Fluid.TWO_THIRDS),
                Field.text("team_manager_email", field_width=Fluid.TWO_THIRDS),
                legend="Who the alert is addressed to",
                legend_size=Size.MEDIUM,
            ),
        ]
        self.helper = _helper(*layout, submit="Raise alert")
        self.fields["practitioner_email"].widget.attrs["autocomplete"] = "off"
        self.fields["team_manager_email"].widget.attrs["autocomplete"] = "off"


# --- responses and transitions --------------------------------------------------------------

YES_NO = [("yes", "Yes"), ("no", "No")]


class ResponseForm(_Versioned):
    received_on = date_field("Date the response was received", what="the date the response was received")
    responder_name = text_field("Who responded", what="the name of who responded")
    summary = long_text("Summary of the response", what="a summary of the response", limit=DESCRIPTION_LIMIT)
    satisfactory = forms.ChoiceField(
        label="Does the response resolve the concern?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the response resolves the concern"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("received_on", field_width=Fluid.ONE_THIRD),
            Field.text("responder_name", field_width=Fluid.TWO_THIRDS),
            Field.textarea("summary", rows=6, max_characters=DESCRIPTION_LIMIT),
            Field.radios("satisfactory", legend_size=Size.SMALL, inline=True),
            "seen_updated_at",
            submit="Save response",
        )


class JudgeForm(_Versioned):
    satisfactory = forms.ChoiceField(
        label="Does this response resolve the concern?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the response resolves the concern"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("satisfactory", legend_size=Size.MEDIUM, inline=True),
            "seen_updated_at",
            submit="Save",
        )


class EscalateForm(_Versioned):
    to_stage = forms.TypedChoiceField(
        label="Escalate to",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the stage to escalate to",
            "invalid_choice": "Select a stage from the list",
        },
    )
    on = date_field("Date of the escalation", what="the date of the escalation")
    addressee_name = text_field(
        "Name of the person it goes to", what="the name of the person it goes to", required=False
    )
    addressee_email = email_field("Their email address", what="their email address", required=False)
    reason = long_text(
        "Reason",
        what="the reason",
        limit=NOTE_LIMIT,
        required=False,
        help_text="Needed when you skip a stage.",
    )

    def __init__(self, *args, stages: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [(number, f"Stage {number}: {name}") for number, name in stages]
        self.helper = _helper(
            Field.radios("to_stage", legend_size=Size.SMALL),
            Field.text("on", field_width=Fluid.ONE_THIRD),
            Field.text("addressee_name", field_width=Fluid.TWO_THIRDS),
            Field.text("addressee_email", field_width=Fluid.TWO_THIRDS),
            Field.textarea("reason", rows=3, max_characters=NOTE_LIMIT),
            "seen_updated_at",
            submit="Escalate alert",
        )


class AddressForm(_Versioned):
    addressee_name = text_field("Name of the person it goes to", what="the name of the person it goes to")
    addressee_email = email_field("Their email address", what="their email address")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("addressee_name", field_width=Fluid.TWO_THIRDS),
            Field.text("addressee_email", field_width=Fluid.TWO_THIRDS),
            "seen_updated_at",
            submit="Send the alert to them",
        )


class ReferForm(_Versioned):
    kind = forms.ChoiceField(
        label="Refer to",
        choices=ReferralKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select Cafcass or independent legal advice"},
    )
    referred_on = date_field("Date of the referral", what="the date of the referral")
    cafcass_involvement = forms.ChoiceField(label="Children's Guardian", required=False)
    legal_advice_referral = forms.ChoiceField(label="Referral for legal advice", required=False)
    notes = long_text("Notes", what="notes", limit=NOTE_LIMIT, required=False)

    def __init__(self, *args, guardians, legal_referrals, **kwargs):
        super().__init__(*args, **kwargs)
        self.guardians = {str(g.pk): g for g in guardians}
        self.legal_referrals = {str(r.pk): r for r in legal_referrals}
        self.fields["cafcass_involvement"].choices = [("", "Choose a Children's Guardian")] + [
            (pk, f"{g.guardian_name} for {g.child.full_name}, from {g.start_date:%-d %B %Y}")
            for pk, g in self.guardians.items()
        ]
        self.fields["legal_advice_referral"].choices = [("", "Choose a referral")] + [
            (pk, f"{r.child.full_name}, referred {r.date_referred:%-d %B %Y}")
            for pk, r in self.legal_referrals.items()
        ]
        for name in ("cafcass_involvement", "legal_advice_referral"):
            self.fields[name].error_messages["invalid_choice"] = (
                f"Choose a {self.fields[name].label.lower()} from the list"
            )
        self.helper = _helper(
            Field.radios("kind", legend_size=Size.SMALL),
            Field.text("referred_on", field_width=Fluid.ONE_THIRD),
            Field.select("cafcass_involvement"),
            Field.select("legal_advice_referral"),
            Field.textarea("notes", rows=3, max_characters=NOTE_LIMIT),
            "seen_updated_at",
            submit="Save referral",
        )

    def clean_cafcass_involvement(self):
        return self.guardians.get(self.cleaned_data["cafcass_involvement"])

    def clean_legal_advice_referral(self):
        return self.legal_referrals.get(self.cleaned_data["legal_advice_referral"])


class ResolveForm(_Versioned):
    outcome = forms.ChoiceField(
        label="How was the concern resolved?",
        choices=AlertOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the concern was resolved"},
    )
    resolved_on = date_field("Date resolved", what="the date it was resolved")
    detail = long_text("Details", what="details", limit=NOTE_LIMIT, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("outcome", legend_size=Size.SMALL),
            Field.text("resolved_on", field_width=Fluid.ONE_THIRD),
            Field.textarea("detail", rows=3, max_characters=NOTE_LIMIT),
            "seen_updated_at",
            submit="Resolve alert",
        )


class LinkResponseForm(forms.Form):
    """The form behind the link in the email, for someone without an account."""

    responder_name = text_field("Your name", what="your name")
    summary = long_text("Your response", what="your response", limit=DESCRIPTION_LIMIT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responder_name"].widget.attrs["autocomplete"] = "name"
        self.helper = _helper(
            Field.text("responder_name", field_width=Fluid.TWO_THIRDS),
            Field.textarea("summary", rows=8, max_characters=DESCRIPTION_LIMIT),
            submit="Send response",
        )


# --- the board ------------------------------------------------------------------------------


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


# --- the lists managers keep ----------------------------------------------------------------


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


# --- challenge meetings ---------------------------------------------------------------------


class ChallengeMeetingForm(VersionedFormMixin, forms.Form):
    held_on = date_field("Date of the meeting", what="the date of the meeting")
    attendees = long_text(
        "Who attended", what="who attended", limit=NOTE_LIMIT, help_text="One a line, with their role."
    )
    alerts = forms.MultipleChoiceField(
        label="Alerts brought",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select alerts from the list"},
    )
    cases = forms.CharField(
        label="Other cases brought",
        required=False,
        help_text="Child IDs, separated by commas.",
        max_length=1000,
        error_messages={"max_length": "Other cases brought must be 1000 characters or fewer"},
    )
    themes = forms.MultipleChoiceField(
        label="Themes discussed",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select themes from the list"},
    )
    notes = long_text("Notes", what="notes", limit=DESCRIPTION_LIMIT, required=False)
    seen_updated_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, alerts, themes, find_children, **kwargs):
        super().__init__(*args, **kwargs)
        self.find_children = find_children
        self.alert_rows = {str(a.pk): a for a in alerts}
        self.theme_rows = {str(t.pk): t for t in themes}
        self.fields["alerts"].choices = [
            (
                pk,
                f"{a.reference}: {', '.join(link.child.full_name for link in a.children.all())} "
                f"({a.stage_name or 'not escalated'})",
            )
            for pk, a in self.alert_rows.items()
        ]
        self.fields["themes"].choices = [(pk, t.name) for pk, t in self.theme_rows.items()]
        self.helper = _helper(
            Field.text("held_on", field_width=Fluid.ONE_THIRD),
            Field.textarea("attendees", rows=4, max_characters=NOTE_LIMIT),
            Field.checkboxes("alerts", legend_size=Size.SMALL, small=True),
            Field.text("cases", field_width=Fluid.TWO_THIRDS),
            Field.checkboxes("themes", legend_size=Size.SMALL, small=True),
            Field.textarea("notes", rows=6, max_characters=DESCRIPTION_LIMIT),
            "seen_updated_at",
            submit="Save meeting",
        )

    def clean_alerts(self):
        return [self.alert_rows[pk] for pk in self.cleaned_data["alerts"]]

    def clean_themes(self):
        return [self.theme_rows[pk] for pk in self.cleaned_data["themes"]]

    def clean_cases(self):
        ids = [part.strip() for part in self.cleaned_data["cases"].split(",") if part.strip()]
        children = self.find_children(ids)
        unknown = sorted(set(ids) - {child.local_child_id for child in children})
        if unknown:
            raise forms.ValidationError(f"There is no child with the child ID {', '.join(unknown)}")
        return children


class ChallengeActionForm(forms.Form):
    description = long_text("Action", what="the action", limit=NOTE_LIMIT)
    owner = text_field("Who will do it", what="who will do it")
    due_on = date_field("Due by", what="the date it is due by")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("description", rows=3, max_characters=NOTE_LIMIT),
            Field.text("owner", field_width=Fluid.TWO_THIRDS),
            Field.text("due_on", field_width=Fluid.ONE_THIRD),
            submit="Add action",
        )


class ActionCompleteForm(forms.Form):
    completed_on = date_field("Date completed", what="the date it was completed")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("completed_on", field_width=Fluid.ONE_THIRD), submit="Mark completed"
        )
