"""Template helpers used across the apps' pages."""

from datetime import date

from django import template

register = template.Library()


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
