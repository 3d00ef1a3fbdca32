"""Template tags and filters for the GOV.UK form components (see ``iro_service.core.widgets``)."""

from django import template

from iro_service.core.forms import error_summary
from iro_service.core.widgets import character_limit as field_character_limit
from iro_service.core.widgets import is_password as field_is_password

register = template.Library()


@register.filter
def character_limit(bound_field):
    """The limit of the character count a textarea is drawn in: its field's ``max_length``."""
    return field_character_limit(bound_field.field)


@register.filter
def is_password(bound_field) -> bool:
    """Whether the field is drawn as GOV.UK's password input (its "Show" button)."""
    return field_is_password(bound_field.field)


@register.simple_tag
def error_summary_items(*forms):
    """(id of the control, message) for each problem of ``forms``, in the order of the page."""
    return error_summary(*forms)
