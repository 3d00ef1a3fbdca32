"""The field builders and helpers the qa_alerts forms share."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Submit
from django import forms

from iro_service.core.forms import VersionedFormMixin
from iro_service.core.forms import date_field as kernel_date_field


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


YES_NO = [("yes", "Yes"), ("no", "No")]
