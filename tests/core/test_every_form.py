"""Every form of every page, as every role sees it, held to the GOV.UK Design System: the pages
of ``test_every_page.PAGES`` are opened (GET), posted empty, and each of their forms is sent
back as a browser would send it blank and with values no field takes. Every HTML page that
comes back (the form, and its error state) must pass ``tests.support.govuk_html.form_problems``:
each control has its GOV.UK class (and its error class when in error), every error-summary link
goes to a control on the page (the first box of a group of checkboxes or radios), no
"---------", no textarea cut by ``maxlength`` and every limited one in a character count, and
none of Django's generic messages. A page added to PAGES is walked here with no more work.

Then every form is sent garbled (``test_every_form_sent_garbled_...``): every field, hidden
ones included, set to one hostile value at a time (a NUL, a 30-digit number, 31 February, a
20,000-character text ...), and each field alone garbled in the form as the page filled it in,
so that the rest is valid and the garbled value reaches the view, the service and the
database. The answer is a page (a form error, a refusal), never a server error."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.formsets import BaseFormSet
from django.urls import reverse

from iro_service.core.widgets import DATE_EXAMPLE
from tests.core.test_every_page import PAGES, POST_ALLOWED, ROLES, _sign_in, _url
from tests.factories.county import small_county
from tests.support.govuk_html import character_counts, control_names, form_problems, page_forms

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(iro_user):
    return small_county(chair_user=iro_user)


def _forms_in(response) -> list[forms.BaseForm]:
    """The form objects the page was rendered from, to hold the HTML to what they define."""
    found: dict[int, forms.BaseForm] = {}
    for context in response.context or []:
        for value in context.flatten().values():
            for item in value if isinstance(value, list | tuple) else [value]:
                for form in item.forms if isinstance(item, BaseFormSet) else [item]:
                    if isinstance(form, forms.BaseForm):
                        found[id(form)] = form
    return list(found.values())


def _field_problems(response, html: str) -> list[str]:
    """What only the form objects can tell: a textarea's limit, a date field's hint."""
    problems = []
    counts = character_counts(html)
    names = control_names(html)
    for form in _forms_in(response):
        for bound in form.visible_fields():
            if bound.html_name not in names:
                continue
            field = bound.field
            limit = getattr(field, "max_length", None) if isinstance(field.widget, forms.Textarea) else None
            if limit and counts.get(bound.html_name) != limit:
                problems.append(
                    f"textarea {bound.html_name!r} (at most {field.max_length} characters) "
                    "is not in a character count of that limit"
                )
            if isinstance(field, forms.DateField) and DATE_EXAMPLE not in bound.help_text:
                problems.append(f"date field {bound.html_name!r} has the hint {bound.help_text!r}")
    return problems


def _required_names(response) -> set[str]:
    return {
        bound.html_name
        for form in _forms_in(response)
        for bound in form.visible_fields()
        if bound.field.required
    }


def _check(response, where: str, found: list[str], checked: list[str]) -> str | None:
    """Check the page if it is HTML; its text, or None."""
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return None
    html = response.content.decode()
    checked.append(where)
    found.extend(f"{where}: {problem}" for problem in form_problems(html) + _field_problems(response, html))
    return html


def walk(request, client, county, role) -> tuple[list[str], list[str]]:
    """Every page ``role`` may open, and every form on it, blank and wrong: the problems found
    and the pages checked (each GET and each answer to a POST that showed a page)."""
    _sign_in(request, client, role)
    found: list[str] = []
    checked: list[str] = []
    for name, (_, allowed, status) in sorted(PAGES.items()):
        if role not in allowed or status != 200 or name == "logout":
            continue
        url = _url(name, county)
        response = client.get(url)
        html = _check(response, f"GET {url}", found, checked)
        if html is None:
            continue
        required = _required_names(response)
        may_post = role in POST_ALLOWED.get(name, allowed)
        if may_post:
            _check(client.post(url, {}), f"empty POST {url}", found, checked)
        for form in page_forms(html, url, leave_out=(reverse("logout"),)):
            if form.method == "post" and not may_post:
                continue
            send = client.post if form.method == "post" else client.get
            method = form.method.upper()
            blank = send(form.action, form.blank())
            blank_html = _check(blank, f"blank {method} {form.action}", found, checked)
            left_empty = sorted(required & form.left_empty())
            shows_errors = blank_html is not None and "govuk-error-summary" in blank_html
            if form.method == "post" and left_empty and not shows_errors:
                found.append(
                    f"blank POST {form.action}: {blank.status_code} with no error summary, though "
                    f"{left_empty} are required"
                )
            _check(send(form.action, form.wrong()), f"wrong {method} {form.action}", found, checked)
    return found, checked


@pytest.mark.parametrize("role", [role for role in ROLES if role != "no_role_user"])
def test_every_form_on_every_page_follows_the_govuk_components(request, client, county, role):
    found, checked = walk(request, client, county, role)
    assert checked, "no page was checked"
    assert found == [], f"{len(found)} problems on {len(checked)} pages:\n" + "\n".join(found)


# Values a field should refuse in words, or store as the text they are; never a server error.
GARBLES = [
    "\x00",  # PostgreSQL text cannot hold NUL
    "9" * 30,  # past every integer column
    "-9223372036854775809",
    "1e999",
    "31/02/2017",
    "01/01/0001",
    "x" * 20_000,
    "\u00b2",  # "²": str.isdigit() says yes, int() says no
    "\uff11\uff12",  # full-width "12": int() takes it
    "\u202e\ufeff\u2028' OR 1=1 --<script>",
]


def _garbled_versions(form) -> list[tuple[str, dict[str, list[str]]]]:
    """(what was garbled, the data): all fields at once with each value, then, for a form that
    changes something (POST), each field alone in the form as filled in. The CSRF token is left
    alone: without it every POST is a 403."""
    keep = {"csrfmiddlewaretoken"}
    filled: dict[str, list[str]] = {}
    for name, value in form.filled:
        filled.setdefault(name, []).append(value)
    names = sorted(({name for name, _ in form.hidden} | form.names | set(filled)) - keep)
    versions = []
    for value in GARBLES:
        data = {name: list(values) for name, values in filled.items()}
        data.update({name: [value] for name in names})
        versions.append((f"every field {value[:12]!r}", data))
    for number, name in enumerate(names if form.method == "post" else []):
        value = GARBLES[number % len(GARBLES)]
        data = {key: list(values) for key, values in filled.items()}
        data[name] = [value]
        versions.append((f"{name}={value[:12]!r}", data))
    return versions


def walk_garbled(request, client, county, role) -> tuple[list[str], int]:
    """Every form ``role`` may send, garbled: the answers that were server errors, and the
    number of requests sent."""
    _sign_in(request, client, role)
    client.raise_request_exception = False
    found: list[str] = []
    sent = 0
    for name, (_, allowed, status) in sorted(PAGES.items()):
        if role not in allowed or status != 200 or name == "logout":
            continue
        url = _url(name, county)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        may_post = role in POST_ALLOWED.get(name, allowed)
        for form in page_forms(response.content.decode(), url, leave_out=(reverse("logout"),)):
            if form.method == "post" and not may_post:
                continue
            send = client.post if form.method == "post" else client.get
            for what, data in _garbled_versions(form):
                answer = send(form.action, data)
                sent += 1
                if answer.status_code >= 500:
                    found.append(f"{form.method.upper()} {form.action} with {what}: {answer.status_code}")
    return found, sent


# A manager may send every form business support and IROs may; the IRO chairs the county's
# meetings, whose records only their chair may change.
@pytest.mark.parametrize("role", ["manager_user", "iro_user"])
def test_every_form_sent_garbled_is_answered_with_a_page_never_a_server_error(request, client, county, role):
    found, sent = walk_garbled(request, client, county, role)
    assert sent > 100, f"only {sent} requests sent"
    assert found == [], f"{len(found)} server errors in {sent} requests:\n" + "\n".join(found)
