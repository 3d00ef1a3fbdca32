"""What the reviews app's forms share: a layout without its own <form> tag, and the version of a
record two people may edit at once. Dates are the kernel's one pattern (``date_field``)."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout
from django import forms

from iro_service.core.forms import VersionedFormMixin


def _no_tag_helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields)
    return helper


class VersionedForm(VersionedFormMixin, forms.Form):
    """A reviews form that changes a record two people may edit at once (see the mixin)."""

    version_field = "updated_at"
    updated_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)
