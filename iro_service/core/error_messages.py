"""Error messages in the GOV.UK style, for a field whose form did not write its own: Django's
generic ones ("This field is required.", "Ensure this value is greater than or equal to 0.",
"Select a valid choice. ...") name no field and say nothing a person can act on. Each is
replaced, when the field is drawn, by the message the GOV.UK Design System gives for that
kind of problem, written from the field's label: "Enter the date of the meeting", "Select the
chair", "Notes must be 5,000 characters or fewer". A message a form or a service wrote is
never touched: only Django's own wording is replaced."""

from __future__ import annotations

from functools import cache

from django import forms
from django.core import validators
from django.db import models

# How a date is asked for again when what was typed is not one.
DATE_INVALID = "Enter the date as day, month and year, for example 27/3/2017"

# Labels that read as a clause ("How the child took part") or already have their article.
_NO_ARTICLE = ("how ", "who ", "why ", "what ", "when ", "where ", "which ", "whether ", "if ")
_HAS_ARTICLE = ("the ", "a ", "an ", "your ", "their ", "his ", "her ")


def field_phrase(label: str) -> str:
    """A field's label as words in a sentence: "Date of the meeting" -> "the date of the
    meeting", "New IRO" -> "the new IRO", "How the child took part" unchanged but its case."""
    label = " ".join(str(label or "").split()).rstrip(":?")
    if not label:
        return "this"
    # Keep the capital of an abbreviation (IRO, GP, URN); lower an ordinary first word.
    if not (len(label) > 1 and label[1].isupper()):
        label = label[0].lower() + label[1:]
    if label.startswith(_NO_ARTICLE) or label.startswith(_HAS_ARTICLE):
        return label
    return f"the {label}"


def field_subject(label: str) -> str:
    """A field's label as the subject of a sentence, as GOV.UK writes it: "Notes must be 5,000
    characters or fewer", "Due within (weeks) must be between 1 and 26"."""
    label = " ".join(str(label or "").split()).rstrip(":?")
    return (label[0].upper() + label[1:]) if label else "This"


@cache
def django_default_messages() -> frozenset[str]:
    """Every message Django gives on its own: form and model fields' defaults, the validators',
    the unique checks'."""
    messages: set[str] = set()
    stack = [forms.Field, models.Field]
    seen = set()
    while stack:
        klass = stack.pop()
        if klass in seen:
            continue
        seen.add(klass)
        messages.update(str(message) for message in getattr(klass, "default_error_messages", {}).values())
        stack.extend(sub for sub in klass.__subclasses__() if sub.__module__.startswith("django."))
    for name in dir(validators):
        message = getattr(getattr(validators, name), "message", None)
        if message is not None:
            messages.add(str(message))
    return frozenset(messages)


def _limits(field: forms.Field) -> tuple[object, object]:
    low = high = None
    for validator in field.validators:
        if isinstance(validator, validators.MinValueValidator):
            low = validator.limit_value
        elif isinstance(validator, validators.MaxValueValidator):
            high = validator.limit_value
    return low, high


# Controls a person picks from (or picks a file with) rather than types into.
_CHOSEN = (forms.Select, forms.SelectMultiple, forms.RadioSelect, forms.CheckboxInput, forms.FileInput)


def _chooses(widget: forms.Widget) -> bool:
    return isinstance(widget, _CHOSEN)


def govuk_message(bound, error) -> str | None:
    """The GOV.UK message for ``error`` (a ValidationError of one message) on the bound field
    ``bound``, or None when the message is not Django's own."""
    if str(error.message) not in django_default_messages():
        return None
    field = bound.field
    phrase = field_phrase(bound.label)
    subject = field_subject(bound.label)
    params = error.params or {}
    code = error.code
    if code in ("required", "blank", "null", "missing", "empty", "incomplete"):
        return f"Select {phrase}" if _chooses(field.widget) else f"Enter {phrase}"
    if code in ("invalid_choice", "invalid_list", "invalid_pk_value", "list"):
        if isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            return f"Select {phrase} from the choices shown"  # nosec B608
        return f"Select {phrase} from the list"  # nosec B608
    if isinstance(field, forms.DateField) and code == "invalid":
        return DATE_INVALID
    if code == "max_length":
        return f"{subject} must be {params.get('limit_value', 0):,} characters or fewer"
    if code == "min_length":
        return f"{subject} must be {params.get('limit_value', 0):,} characters or more"
    if code in ("min_value", "max_value"):
        low, high = _limits(field)
        if low is not None and high is not None:
            return f"{subject} must be between {low} and {high}"
        if low is not None:
            return f"{subject} must be {low} or more"
        return f"{subject} must be {high} or less"
    if code == "invalid" and isinstance(field, forms.IntegerField):
        return f"{subject} must be a whole number"
    numeric = ("invalid", "max_digits", "max_decimal_places", "max_whole_digits", "step_size")
    if code in numeric and isinstance(field, forms.DecimalField | forms.FloatField):
        return f"{subject} must be a number"
    if code == "unique":
        return f"{subject} is already recorded: enter another"
    return f"Check {phrase} and enter it again"


def govuk_errors(bound, errors: forms.utils.ErrorList) -> forms.utils.ErrorList:
    """``errors`` of the field ``bound`` with each of Django's generic messages replaced by
    its GOV.UK one; the same list when there is nothing to replace."""
    if not errors:
        return errors
    replaced = []
    changed = False
    for error in errors.as_data():
        message = govuk_message(bound, error)
        changed = changed or message is not None
        replaced.append(forms.ValidationError(message, code=error.code) if message else error)
    if not changed:
        return errors
    result = errors.copy()
    result.data = replaced
    return result
