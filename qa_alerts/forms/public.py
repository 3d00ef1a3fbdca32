"""The form behind a response link: a social worker or manager answers an alert without signing in."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Fluid
from django import forms

from qa_alerts.forms._common import _helper, long_text, text_field
from qa_alerts.models import (
    DESCRIPTION_LIMIT,
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
