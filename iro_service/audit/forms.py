"""Filters of the access history pages and the unusual access report."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout
from django import forms

from iro_service.audit.selectors import Unusual
from iro_service.core.forms import ListFilterForm, date_field


class AccessHistoryFilterForm(ListFilterForm):
    """Filters of a child's or a member of staff's access history."""

    viewed_from = date_field("Viewed from", required=False)
    viewed_to = date_field("Viewed to", required=False)
    unusual = forms.ChoiceField(label="Show", required=False, choices=[("", "Every view"), *Unusual.CHOICES])
    date_ranges = (("viewed_from", "viewed_to"),)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("viewed_from", field_width=Fluid.FULL),
            Field.text("viewed_to", field_width=Fluid.FULL),
            Field.select("unusual"),
        )


class UnusualAccessFilterForm(ListFilterForm):
    """The period of the unusual access report."""

    viewed_from = date_field("Viewed from", required=False)
    viewed_to = date_field("Viewed to", required=False)
    date_ranges = (("viewed_from", "viewed_to"),)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("viewed_from", field_width=Fluid.FULL),
            Field.text("viewed_to", field_width=Fluid.FULL),
        )
