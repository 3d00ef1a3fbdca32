"""What the GOV.UK Design System asks of a rendered form, checked on the HTML a page sends
(parsed with lxml, never matched with regular expressions), for the tests that walk every page.

``form_problems(html)`` lists, in words, every way a page breaks the rules below;
``page_forms(html)`` reads the page's forms so a test can send them back as a browser would:
blank (to see every required field's error) or with values no field accepts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

import lxml.html
from django import forms
from django.db.models import constraints

from iro_service.core.error_messages import django_default_messages as kernel_default_messages

# The GOV.UK class each kind of control carries, and the one it adds when in error.
CONTROL_CLASSES = {
    "input": ("govuk-input", "govuk-input--error"),
    "file": ("govuk-file-upload", "govuk-file-upload--error"),
    "select": ("govuk-select", "govuk-select--error"),
    "textarea": ("govuk-textarea", "govuk-textarea--error"),
    "checkbox": ("govuk-checkboxes__input", None),
    "radio": ("govuk-radios__input", None),
}
NOT_FIELDS = {"hidden", "submit", "button", "image", "reset"}
DJANGO_EMPTY_CHOICE = "---------"


def has_class(element, name: str) -> bool:
    return name in (element.get("class") or "").split()


def _class_xpath(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _kind(control) -> str | None:
    if control.tag in ("select", "textarea"):
        return control.tag
    kind = (control.get("type") or "text").lower()
    if kind in NOT_FIELDS:
        return None
    if kind in ("checkbox", "radio", "file"):
        return kind
    return "input"


def _describe(control) -> str:
    name = control.get("name") or control.get("id") or "(no name)"
    kind = control.get("type") if control.tag == "input" else control.tag
    return f"<{control.tag} name={name!r}{f' type={kind!r}' if control.tag == 'input' else ''}>"


def _closest(element, predicate):
    node = element.getparent()
    while node is not None:
        if predicate(node):
            return node
        node = node.getparent()
    return None


@cache
def django_default_messages() -> tuple[str, ...]:
    """The generic messages Django gives when a form says nothing of its own (fields',
    validators', constraints', formsets'), each cut at its placeholders into the pieces a page
    would show word for word."""
    messages = {
        *kernel_default_messages(),
        str(constraints.BaseConstraint.default_violation_error_message),
        *(str(message) for message in forms.BaseFormSet.default_error_messages.values()),
    }
    pieces = set()
    for message in messages:
        for piece in re.split(r"%\(\w+\)[a-z]|%[a-z]|\{\w*\}", message):
            # Quotes around a placeholder ("Constraint “%(name)s” is violated.") are not words.
            piece = piece.strip(" “”\"'.")
            if len(piece) >= 12:
                pieces.add(piece)
    return tuple(sorted(pieces))


def form_problems(html: str) -> list[str]:
    """Every way the page's forms depart from the GOV.UK components, in words."""
    document = lxml.html.document_fromstring(html)
    problems: list[str] = []
    controls = document.xpath("//input | //select | //textarea")
    for control in controls:
        kind = _kind(control)
        if kind is None:
            continue
        wanted, error_class = CONTROL_CLASSES[kind]
        if not has_class(control, wanted):
            problems.append(f"{_describe(control)} has no {wanted} class")
        if control.tag == "input" and (control.get("type") or "").lower() == "number":
            problems.append(f"{_describe(control)} is type=number: GOV.UK asks for text, inputmode=numeric")
        group = _closest(control, lambda node: has_class(node, "govuk-form-group"))
        in_error = group is not None and has_class(group, "govuk-form-group--error")
        if error_class and in_error and not has_class(control, error_class):
            problems.append(f"{_describe(control)} is in error without the {error_class} class")
        if error_class and has_class(control, error_class) and not in_error:
            problems.append(f"{_describe(control)} has {error_class} but its field is not in error")
        for wrong in ("govuk-input--error", "govuk-select--error", "govuk-textarea--error"):
            if wrong != error_class and has_class(control, wrong):
                problems.append(f"{_describe(control)} has {wrong}, the error class of another component")
    for option in document.xpath("//option"):
        if DJANGO_EMPTY_CHOICE in (option.text_content() or ""):
            select = _closest(option, lambda node: node.tag == "select")
            problems.append(f"{_describe(select)} offers {DJANGO_EMPTY_CHOICE!r}: write 'Choose ...'")
    for textarea in document.xpath("//textarea"):
        if textarea.get("maxlength"):
            problems.append(
                f"{_describe(textarea)} has maxlength={textarea.get('maxlength')}: the browser cuts "
                "longer text without a word (use the character count)"
            )
        count = _closest(textarea, lambda node: has_class(node, "govuk-character-count"))
        if count is not None:
            info = f"{textarea.get('id')}-info"
            if not document.xpath(f"//*[@id='{info}']"):
                problems.append(f"{_describe(textarea)} is in a character count without its #{info} message")
            if info not in (textarea.get("aria-describedby") or "").split():
                problems.append(f"{_describe(textarea)} is not described by its character count #{info}")
            if not has_class(textarea, "govuk-js-character-count"):
                problems.append(f"{_describe(textarea)} lacks govuk-js-character-count")
    problems.extend(_error_summary_problems(document))
    text = document.text_content()
    for message in django_default_messages():
        if message in text:
            problems.append(f"the page shows Django's default message {message!r}")
    return problems


def control_names(html: str) -> set[str]:
    """The names of the page's form controls."""
    document = lxml.html.document_fromstring(html)
    return {control.get("name") for control in document.xpath("//input | //select | //textarea")}


def character_counts(html: str) -> dict[str, int]:
    """The name of each textarea in a character count, and the count's limit."""
    document = lxml.html.document_fromstring(html)
    counts = {}
    for textarea in document.xpath("//textarea"):
        count = _closest(textarea, lambda node: has_class(node, "govuk-character-count"))
        if count is not None and count.get("data-maxlength"):
            counts[textarea.get("name")] = int(count.get("data-maxlength"))
    return counts


def _is_choice_group(node) -> bool:
    return has_class(node, "govuk-checkboxes") or has_class(node, "govuk-radios")


def _error_summary_problems(document) -> list[str]:
    problems = []
    summaries = document.xpath(f"//*[{_class_xpath('govuk-error-summary')}]")
    errors_shown = document.xpath(f"//*[{_class_xpath('govuk-error-message')}]")
    if errors_shown and not summaries:
        problems.append(f"{len(errors_shown)} error message(s) on the page but no error summary above them")
    for link in document.xpath(f"//*[{_class_xpath('govuk-error-summary__list')}]//a"):
        message = " ".join(link.text_content().split())
        href = link.get("href") or ""
        if not href.startswith("#") or len(href) < 2:
            problems.append(f"error summary link {message!r} goes to {href!r}, not to a field on the page")
            continue
        targets = document.xpath(f"//*[@id='{href[1:]}']")
        if not targets:
            problems.append(f"error summary link {message!r} goes to {href}, which is not on the page")
            continue
        target = targets[0]
        if target.tag == "input" and (target.get("type") or "") == "hidden":
            problems.append(f"error summary link {message!r} goes to {href}, a hidden field")
            continue
        wraps_a_field = target.xpath(".//input | .//select | .//textarea")
        if target.tag not in ("input", "select", "textarea") and wraps_a_field:
            problems.append(
                f"error summary link {message!r} goes to {href}, a <{target.tag}> around the field, "
                "not the field itself"
            )
            continue
        group = _closest(target, _is_choice_group)
        if group is not None:
            first = group.xpath(".//input[@type='checkbox' or @type='radio']")[0]
            if first is not target:
                problems.append(
                    f"error summary link {message!r} goes to {href}, not to the first choice of its group "
                    f"(#{first.get('id')})"
                )
    return problems


@dataclass
class PageForm:
    """One <form> of a page: where it goes, how, and its controls as a browser sees them."""

    action: str
    method: str
    hidden: list[tuple[str, str]] = field(default_factory=list)
    # (name, kind, first option's value, the empty option's value or None, max length or None)
    controls: list[tuple[str, str, str | None, str | None, int | None]] = field(default_factory=list)
    # What a browser sends if the form is submitted as the page shows it (hidden fields too).
    filled: list[tuple[str, str]] = field(default_factory=list)

    @property
    def names(self) -> set[str]:
        return {name for name, *_ in self.controls}

    def blank(self) -> dict[str, list[str]]:
        """What a browser sends when nobody fills anything in: text empty, no box ticked, each
        select on its empty choice (or its first, when it has none)."""
        data: dict[str, list[str]] = {}
        for name, value in self.hidden:
            data.setdefault(name, []).append(value)
        for name, kind, first, empty, _ in self.controls:
            if kind in ("checkbox", "radio", "file"):
                continue
            if kind == "select":
                data.setdefault(name, []).append(empty if empty is not None else (first or ""))
            else:
                data.setdefault(name, []).append("")
        return data

    def left_empty(self) -> set[str]:
        """The controls ``blank()`` leaves without a value: all but a select with no empty
        choice, which a browser sends on its first."""
        return {name for name, kind, _, empty, _ in self.controls if kind != "select" or empty is not None}

    def wrong(self) -> dict[str, list[str]]:
        """Values no field should take: words where a number or date goes, a choice that is not
        offered, and text one character over its limit."""
        data: dict[str, list[str]] = {}
        for name, value in self.hidden:
            data.setdefault(name, []).append(value)
        for name, kind, _, _, limit in self.controls:
            if kind == "file":
                continue
            if kind in ("select", "checkbox", "radio"):
                data[name] = ["not-one-of-the-choices"]
            elif limit:
                data[name] = ["x" * (limit + 1)]
            else:
                data[name] = ["not a number or a date"]
        return data


def page_forms(html: str, url: str, *, leave_out: tuple[str, ...] = ()) -> list[PageForm]:
    """The forms of the page at ``url``, but those going to ``leave_out`` (sign-out, say)."""
    document = lxml.html.document_fromstring(html)
    found = []
    for form in document.xpath("//form"):
        action = form.get("action") or url
        if action in leave_out:
            continue
        page_form = PageForm(
            action=action, method=(form.get("method") or "get").lower(), filled=list(form.form_values())
        )
        seen = set()
        for control in form.xpath(".//input | .//select | .//textarea"):
            name = control.get("name")
            if not name:
                continue
            kind = _kind(control)
            if control.tag == "input" and (control.get("type") or "").lower() == "hidden":
                page_form.hidden.append((name, control.get("value") or ""))
                continue
            if kind is None or name in seen:
                continue
            seen.add(name)
            first = empty = None
            limit = None
            if kind == "select":
                options = control.xpath(".//option")
                first = options[0].get("value", options[0].text_content()) if options else None
                empty = next((o.get("value") for o in options if o.get("value") == ""), None)
            if control.get("maxlength"):
                limit = int(control.get("maxlength"))
            count = _closest(control, lambda node: has_class(node, "govuk-character-count"))
            if count is not None and count.get("data-maxlength"):
                limit = int(count.get("data-maxlength"))
            page_form.controls.append((name, kind, first, empty, limit))
        found.append(page_form)
    return found
