"""Every form field of every app rendered as the GOV.UK Design System's components, without a
form having to ask: ``settings.FORM_RENDERER`` is ``GovukFormRenderer``, whose bound fields
(``GovukBoundField``) give each control its GOV.UK class and its error class, number inputs
the text-with-numeric-keyboard GOV.UK advises, date fields the one date pattern, an empty
choice that reads "Choose ..." rather than Django's "---------", textareas with a limit the
character count (with ``templates/gds/field.html``) instead of a ``maxlength`` that cuts text
without a word, and a GOV.UK message (``iro_service.core.error_messages``) wherever Django would show
its generic one.

crispy-forms-gds does part of this (for the widget classes it names) and this finishes it: it
gives ``DateInput`` and ``NumberInput`` no GOV.UK class, puts ``govuk-input--error`` on
selects and textareas, and links the error summary to ``id_children`` where the checkboxes are
``id_children_1`` onwards. Its choice of classes runs first; the bound field corrects it."""

from __future__ import annotations

import copy
import re

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.forms.utils import flatatt
from django.forms.widgets import Input
from django.utils.choices import BaseChoiceIterator
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

from iro_service.core.error_messages import field_phrase, govuk_errors

# One date pattern everywhere: a single text input ten characters wide, this hint, these
# formats (the hint's first).
DATE_EXAMPLE = "For example, 27/3/2017"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%Y-%m-%d", "%d-%m-%Y"]
DATE_WIDTH = "govuk-input--width-10"
# Django's empty choice, for a select whose form did not name its own.
DJANGO_EMPTY_CHOICE = "---------"

# (the component's class, its error modifier) for each kind of control.
CONTROL_CLASSES = {
    "input": ("govuk-input", "govuk-input--error"),
    "select": ("govuk-select", "govuk-select--error"),
    "textarea": ("govuk-textarea", "govuk-textarea--error"),
    "file": ("govuk-file-upload", "govuk-file-upload--error"),
    "checkbox": ("govuk-checkboxes__input", None),
}
_ERROR_CLASSES = {error for _, error in CONTROL_CLASSES.values() if error}
_WIDTH_CLASS = re.compile(r"^govuk-input--width-\d+$|^govuk-!-width-")
_EXAMPLE = re.compile(r"\s*For example,? [0-9][0-9 /.-]*[0-9]\.?")


def control_kind(widget: forms.Widget) -> str | None:
    """Which GOV.UK component a widget is drawn as; None for hidden fields and for the groups
    of radios and checkboxes, which crispy-forms-gds draws from its own templates."""
    if widget.is_hidden or isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return None
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, Input):
        return "input"
    return None


def is_password(field: forms.Field) -> bool:
    """Whether a field is drawn as GOV.UK's password input, with a button that shows what was
    typed (ASVS 2.1.12)."""
    return isinstance(field.widget, forms.PasswordInput)


def character_limit(field: forms.Field) -> int | None:
    """The limit a textarea's character count shows: its field's ``max_length``."""
    if isinstance(field.widget, forms.Textarea):
        return getattr(field, "max_length", None)
    return None


def date_hint(hint: str) -> str:
    """A date field's hint with the one example every date field gives: any other example it
    had is replaced, anything else it says is kept."""
    kept = _EXAMPLE.sub("", hint or "").strip()
    return f"{kept} {DATE_EXAMPLE}" if kept else DATE_EXAMPLE


def control_id(bound: BoundField) -> str:
    """The id of the control the error summary links to: the field itself, or the first box of
    a group of checkboxes or radios (crispy-forms-gds numbers them ``id_<name>_1`` onwards)."""
    if getattr(bound.field, "first_box_has_the_field_id", False):
        # Boxes the page draws in its own table (SelectedRecordsField): the first has the id.
        return bound.auto_id
    if isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"id_{bound.html_name}_1"
    if isinstance(bound.field.widget, forms.MultiWidget):
        return f"{bound.auto_id}_0"
    return bound.id_for_label or bound.auto_id


def _option_html(option: dict) -> str:
    # An option's attributes are almost always none, or only "selected": flatatt only then.
    attributes = flatatt(option["attrs"]) if option["attrs"] else ""
    label = conditional_escape(option["label"])
    return f'<option value="{escape(option["value"])}"{attributes}>{label}</option>'


class _WrittenSelect(forms.Select):
    """A select written out here rather than through Django's widget templates, which draw
    each option as a template of its own: nationally a select of every IRO has 6,250 options,
    and a dashboard's filters (every IRO and every team) took 1.8 s to draw. The same markup
    as ``django/forms/widgets/select.html``."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            written = "".join(_option_html(option) for option in options)
            groups.append(
                f'<optgroup label="{escape(group_name)}">{written}</optgroup>' if group_name else written
            )
        attributes = flatatt({"name": widget["name"], **widget["attrs"]})
        # Every value and label is escaped above, as the template would.
        return mark_safe(f"<select{attributes}>{''.join(groups)}</select>")  # nosec B308 B703


class _ChooseInsteadOfDashes(BaseChoiceIterator):
    """A select's choices with Django's "---------" replaced by "Choose ..."; lazy, so a model
    select still runs its one query when it is drawn."""

    def __init__(self, choices, empty_label: str):
        self.choices = choices
        self.empty_label = empty_label

    def __iter__(self):
        for value, label in self.choices:
            yield value, (self.empty_label if label == DJANGO_EMPTY_CHOICE else label)


def govuk_widget(widget: forms.Widget, bound: BoundField) -> forms.Widget:
    """A copy of ``widget`` as the GOV.UK component of its kind draws it, for ``bound``."""
    kind = control_kind(widget)
    if kind is None:
        return widget
    widget = copy.copy(widget)
    widget.attrs = dict(widget.attrs)
    base, error = CONTROL_CLASSES[kind]
    # crispy-forms-gds names classes after the widget ("dateinput") when it knows no better.
    junk = {widget.__class__.__name__.lower(), *_ERROR_CLASSES}
    classes = [name for name in widget.attrs.get("class", "").split() if name not in junk]
    if base not in classes:
        classes.insert(0, base)
    if error and bound.errors:
        classes.append(error)
    if isinstance(widget, forms.NumberInput):
        # GOV.UK: a number is typed into a text input that brings up the numeric keypad, so
        # the browser neither rounds it nor changes it when the page scrolls.
        widget.input_type = "text"
        widget.attrs.update({"inputmode": "numeric", "spellcheck": "false"})
        for name in ("min", "max", "step"):
            widget.attrs.pop(name, None)
    if isinstance(widget, forms.PasswordInput):
        # GOV.UK's password input: its "Show" button (templates/gds/field.html) finds the
        # control by this class; no spelling check or capital letter changes what is typed.
        classes.extend(["govuk-password-input__input", "govuk-js-password-input-input"])
        widget.attrs.update({"spellcheck": "false", "autocapitalize": "none"})
    if isinstance(bound.field, forms.DateField):
        classes = [name for name in classes if not _WIDTH_CLASS.match(name)] + [DATE_WIDTH]
    if kind == "textarea":
        # The character count says how much may be typed and when it is too much; maxlength
        # would cut what is pasted in without a word.
        widget.attrs.pop("maxlength", None)
        if character_limit(bound.field):
            classes.append("govuk-js-character-count")
            info = f"{widget.attrs.get('id') or bound.auto_id}-info"
            described = widget.attrs.get("aria-describedby", "").split()
            if info not in described:
                widget.attrs["aria-describedby"] = " ".join([*described, info])
    if kind == "select" and isinstance(widget, forms.Select):
        widget.choices = _ChooseInsteadOfDashes(widget.choices, f"Choose {field_phrase(bound.label)}")
        if type(widget) is forms.Select:
            # The copy keeps every setting of the field's widget; only its drawing changes.
            widget.__class__ = _WrittenSelect
    widget.attrs["class"] = " ".join(dict.fromkeys(classes))
    return widget


class GovukBoundField(BoundField):
    """A field as the GOV.UK components draw it (see the module's docstring)."""

    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        if isinstance(field, forms.DateField) and not field.widget.is_hidden:
            self.help_text = date_hint(self.help_text)

    @property
    def errors(self):
        return govuk_errors(self, super().errors)

    def as_widget(self, widget=None, attrs=None, only_initial=False):
        return super().as_widget(govuk_widget(widget or self.field.widget, self), attrs, only_initial)


class GovukFormRenderer(DjangoTemplates):
    """Django's renderer, with every form's fields bound as ``GovukBoundField``."""

    bound_field_class = GovukBoundField
