"""Template helpers used across the apps' pages."""

from datetime import date

from django import template

from iro_service.core.codes import codes_shown

register = template.Library()


@register.filter
def coded(codes, list_name: str) -> str:
    """A code, or a list of codes, with its label: ``{{ episode.legal_status|coded:"LS" }}``
    gives "Full care order (C2)". Every page that shows a code a person reads uses this (see
    ``iro_service.core.codes``; a test walks the pages for bare codes)."""
    return codes_shown(list_name, codes)


@register.filter
def age_on(child, on: date):
    """'7 years' or 'Unborn (due 3 May 2017)'."""
    if child.date_of_birth is None:
        due = child.expected_date_of_birth
        return f"Unborn (due {due:%-d %B %Y})" if due else "Unborn"
    years = child.age_on(on)
    return "Under 1 year" if years == 0 else f"{years} year{'s' if years != 1 else ''}"


@register.simple_tag
def roles_label(roles):
    return ", ".join(roles) if roles else "No role"
