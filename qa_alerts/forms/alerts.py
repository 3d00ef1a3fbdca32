"""Forms of an alert's own pages: raising it, responding, judging, escalating, addressing,
referring and resolving."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Fieldset, Fluid, Size
from django import forms

from qa_alerts.forms._common import (
    YES_NO,
    _helper,
    _Versioned,
    date_field,
    email_field,
    long_text,
    text_field,
)
from qa_alerts.models import (
    DESCRIPTION_LIMIT,
    NOTE_LIMIT,
    AlertKind,
    AlertOutcome,
    ReferralKind,
)


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


def _resolves_the_concern(label: str) -> forms.ChoiceField:
    """Whether a response resolves the alert's concern: asked when it is recorded and when an
    IRO judges it, with one error message."""
    return forms.ChoiceField(
        label=label,
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the response resolves the concern"},
    )


class ResponseForm(_Versioned):
    received_on = date_field("Date the response was received", what="the date the response was received")
    responder_name = text_field("Who responded", what="the name of who responded")
    summary = long_text("Summary of the response", what="a summary of the response", limit=DESCRIPTION_LIMIT)
    satisfactory = _resolves_the_concern("Does the response resolve the concern?")

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
    satisfactory = _resolves_the_concern("Does this response resolve the concern?")

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
