"""Forms of challenge meetings and their actions."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Fluid, Size
from django import forms

from iro_service.core.forms import VersionedFormMixin
from qa_alerts.forms._common import _helper, date_field, long_text, text_field
from qa_alerts.models import (
    DESCRIPTION_LIMIT,
    NOTE_LIMIT,
)


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
