"""The confirmation a manager gives before a child's whole record is erased."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Submit
from django import forms


class DisposalConfirmForm(forms.Form):
    """Typing the child ID, not ticking a box: erasure cannot be undone, so the manager shows
    they have the right child in front of them."""

    child_id = forms.CharField(
        label="Type the child ID to confirm",
        max_length=20,
        error_messages={"required": "Enter the child ID to confirm the disposal"},
        help_text="Everything listed above is erased for ever. It cannot be undone.",
    )

    def __init__(self, *args, expected: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.expected = expected
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("child_id", field_width=Fluid.ONE_THIRD),
            Submit("submit", "Erase this child's record", css_class="govuk-button--warning"),
        )

    def clean_child_id(self) -> str:
        value = self.cleaned_data["child_id"].strip()
        if value.upper() != self.expected.upper():
            raise forms.ValidationError(
                "The child ID does not match this child's: check it and type it again"
            )
        return value
