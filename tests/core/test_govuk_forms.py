"""The kernel's GOV.UK form mechanisms, one at a time, on a form written the way any app writes
one (plain Django fields, a crispy-forms-gds layout): the renderer gives every control its
class and error class, numbers the GOV.UK input, dates the one pattern, selects "Choose ...",
textareas the character count, Django's generic messages a GOV.UK one, and the error summary
links to the control that takes the correction."""

from __future__ import annotations

from datetime import date

import lxml.html
import pytest
from crispy_forms.utils import render_crispy_form
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from iro_service.core.error_messages import DATE_INVALID, field_phrase, field_subject
from iro_service.core.forms import date_field, date_from_post, error_summary
from iro_service.core.widgets import DATE_EXAMPLE, date_hint, govuk_widget
from iro_service.people.models import StaffMember
from tests.factories import StaffMemberFactory


class MeetingForm(forms.Form):
    """Fields of every kind, with none of the GOV.UK care a form might forget."""

    name = forms.CharField(label="Guardian's name", max_length=20)
    weeks = forms.IntegerField(label="Due within (weeks)", min_value=1, max_value=26)
    held_on = forms.DateField(label="Date of the meeting", help_text="For example, 27 3 2017")
    kind = forms.ChoiceField(label="Kind of contact", choices=[("", "---------"), ("visit", "Visit")])
    notes = forms.CharField(label="Notes", max_length=5000, widget=forms.Textarea)
    children = forms.MultipleChoiceField(
        label="Children the conference is about",
        widget=forms.CheckboxSelectMultiple,
        choices=[("1", "Amy"), ("2", "Ben")],
    )
    appellant = forms.ChoiceField(
        label="Who is appealing", widget=forms.RadioSelect, choices=[("p", "Parent")]
    )
    upload = forms.FileField(label="Header table", required=False)
    urgent = forms.BooleanField(label="Urgent", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("name"),
            Field.text("weeks", field_width=3),
            Field.text("held_on", field_width=20),
            Field.select("kind"),
            Field.textarea("notes"),
            Field.checkboxes("children"),
            Field.radios("appellant"),
            Field("upload"),
            Field.checkbox("urgent"),
        )


WRONG = {
    "name": "x" * 21,
    "weeks": "27",
    "held_on": "31/2/2017",
    "kind": "phone",
    "notes": "y" * 5001,
    "children": ["9"],
    "appellant": "someone",
}


def _controls(html: str) -> dict[str, lxml.html.HtmlElement]:
    document = lxml.html.fragment_fromstring(html, create_parent="div")
    return {c.get("name"): c for c in document.xpath(".//input | .//select | .//textarea")}


def _classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def test_every_control_has_its_govuk_class():
    controls = _controls(render_crispy_form(MeetingForm()))
    assert "govuk-input" in _classes(controls["name"])
    assert "govuk-input" in _classes(controls["weeks"])
    assert "govuk-input" in _classes(controls["held_on"])  # Django's DateInput: crispy gives "dateinput"
    assert "dateinput" not in _classes(controls["held_on"])
    assert "govuk-select" in _classes(controls["kind"])
    assert "govuk-textarea" in _classes(controls["notes"])
    assert "govuk-file-upload" in _classes(controls["upload"])
    assert "govuk-checkboxes__input" in _classes(controls["urgent"])
    assert "govuk-checkboxes__input" in _classes(controls["children"])
    assert "govuk-radios__input" in _classes(controls["appellant"])


def test_a_control_in_error_has_the_error_class_of_its_own_component():
    controls = _controls(render_crispy_form(MeetingForm(WRONG)))
    assert {"govuk-input", "govuk-input--error"} <= _classes(controls["name"])
    assert {"govuk-input", "govuk-input--error"} <= _classes(controls["held_on"])
    # crispy-forms-gds alone gives a select and a textarea the text input's error class.
    assert {"govuk-select", "govuk-select--error"} <= _classes(controls["kind"])
    assert "govuk-input--error" not in _classes(controls["kind"])
    assert {"govuk-textarea", "govuk-textarea--error"} <= _classes(controls["notes"])
    assert "govuk-input--error" not in _classes(controls["notes"])


def test_a_number_is_a_text_input_with_the_numeric_keypad():
    weeks = _controls(render_crispy_form(MeetingForm()))["weeks"]
    assert weeks.get("type") == "text"
    assert weeks.get("inputmode") == "numeric"
    assert weeks.get("spellcheck") == "false"
    assert weeks.get("min") is None and weeks.get("max") is None and weeks.get("step") is None
    assert "govuk-input--width-3" in _classes(weeks)


def test_a_number_outside_its_range_says_the_range():
    form = MeetingForm({"weeks": "27"})
    assert form["weeks"].errors == ["Due within (weeks) must be between 1 and 26"]


def test_every_date_field_has_one_hint_and_one_width():
    form = MeetingForm()
    # Its own example ("27 3 2017") is replaced by the one every date field gives.
    assert form["held_on"].help_text == DATE_EXAMPLE
    held_on = _controls(render_crispy_form(form))["held_on"]
    assert "govuk-input--width-10" in _classes(held_on)
    assert "govuk-input--width-20" not in _classes(held_on)
    assert held_on.get("aria-describedby") == "id_held_on_hint"


@pytest.mark.parametrize(
    ("hint", "expected"),
    [
        ("", "For example, 27/3/2017"),
        ("For example, 27/03/2017", "For example, 27/3/2017"),
        ("Leave blank to cancel. For example, 27/03/2017", "Leave blank to cancel. For example, 27/3/2017"),
        ("Receiving-in conferences only.", "Receiving-in conferences only. For example, 27/3/2017"),
        ("For example, 27/12/2027", "For example, 27/3/2017"),
    ],
)
def test_a_date_hint_keeps_what_it_says_and_gives_the_one_example(hint, expected):
    assert date_hint(hint) == expected


@pytest.mark.parametrize("typed", ["27/3/2017", "27/03/2017", "27 3 2017", "2017-03-27", "27-03-2017"])
def test_the_kernel_date_field_takes_the_ways_people_type_a_date(typed):
    assert date_field("Date of the meeting").clean(typed) == date(2017, 3, 27)
    assert date_from_post({"held_on": typed}, "held_on") == date(2017, 3, 27)


def test_the_kernel_date_field_asks_again_in_words():
    field = date_field("Date of the meeting")
    with pytest.raises(forms.ValidationError) as missing:
        field.clean("")
    assert missing.value.messages == ["Enter the date of the meeting"]
    with pytest.raises(forms.ValidationError) as wrong:
        field.clean("31/2/2017")
    assert wrong.value.messages == [DATE_INVALID]
    assert date_from_post({"held_on": "31/2/2017"}, "held_on") is None


def test_an_empty_choice_reads_choose_not_dashes():
    kind = _controls(render_crispy_form(MeetingForm()))["kind"]
    assert [option.text for option in kind.xpath("option")] == ["Choose the kind of contact", "Visit"]


@pytest.mark.django_db
def test_a_model_select_says_choose_and_still_reads_its_rows_once():
    StaffMemberFactory.create_batch(3)

    class ChairForm(forms.Form):
        chair = forms.ModelChoiceField(label="Chair", queryset=StaffMember.objects.order_by("pk"))

    form = ChairForm()
    with CaptureQueriesContext(connection) as queries:
        html = str(form["chair"])
    select = _controls(html)["chair"]
    options = [option.text for option in select.xpath("option")]
    # The empty choice and the three staff members, from one query.
    assert options[0] == "Choose the chair" and len(options) == 4
    assert len(queries) == 1


def _tree(element) -> tuple:
    return (
        element.tag,
        sorted(element.attrib.items()),
        (element.text or "").strip(),
        [_tree(child) for child in element],
    )


@pytest.mark.parametrize("value", [None, "", "visit", ["bad", "list"]])
def test_a_select_is_written_as_django_s_own_template_writes_it(value):
    """Selects are written out without Django's option templates (a select of every IRO has
    thousands of options nationally), so the markup must be the template's: the same elements,
    attributes, text and order, groups, a chosen option and characters to escape included."""
    choices = [
        ("", "---------"),
        ("visit", "Visit & <call>"),
        ("Contact by letter", [("letter", 'Letter "first"'), ("email", "Email")]),
    ]

    class ContactForm(forms.Form):
        kind = forms.ChoiceField(label="Kind of contact", choices=choices, required=False)

    bound = ContactForm({"kind": value} if value is not None else None)["kind"]
    widget = govuk_widget(bound.field.widget, bound)
    arguments = ("kind", bound.value(), bound.build_widget_attrs({"id": bound.auto_id}))
    written = lxml.html.fragment_fromstring(widget.render(*arguments))
    # The same widget drawn through Django's own templates.
    templated = lxml.html.fragment_fromstring(forms.Select.render(widget, *arguments))
    assert type(bound.field.widget) is forms.Select  # the field's own widget is left as it was
    assert _tree(written) == _tree(templated)
    assert [o.text for o in written.xpath(".//option")] == [
        "Choose the kind of contact",
        "Visit & <call>",
        'Letter "first"',
        "Email",
    ]
    chosen = [o.get("value") for o in written.xpath(".//option[@selected]")]
    # Nothing sent, or nothing chosen, selects the empty choice; a list matches no option.
    assert chosen == ([] if isinstance(value, list) else [value or ""])


def test_a_textarea_with_a_limit_is_a_character_count_that_cuts_nothing():
    html = render_crispy_form(MeetingForm())
    document = lxml.html.fragment_fromstring(html, create_parent="div")
    (count,) = document.xpath(".//*[@data-module='govuk-character-count']")
    assert count.get("data-maxlength") == "5000"
    assert count.get("data-module") == "govuk-character-count"
    notes = _controls(html)["notes"]
    assert notes.get("maxlength") is None  # a browser would cut pasted text without a word
    assert "govuk-js-character-count" in _classes(notes)
    assert "id_notes-info" in notes.get("aria-describedby").split()
    assert document.xpath(".//*[@id='id_notes-info']")


def test_text_over_the_limit_is_kept_and_the_limit_is_said():
    form = MeetingForm({**WRONG, "notes": "y" * 5001})
    assert form["notes"].errors == ["Notes must be 5,000 characters or fewer"]
    # What was typed comes back whole, for the person to shorten.
    assert "y" * 5001 in render_crispy_form(form)


def test_django_generic_messages_become_govuk_ones_named_after_the_field():
    form = MeetingForm(WRONG)
    assert form["name"].errors == ["Guardian's name must be 20 characters or fewer"]
    assert form["kind"].errors == ["Select the kind of contact from the list"]
    assert form["children"].errors == ["Select the children the conference is about from the choices shown"]
    assert form["appellant"].errors == ["Select who is appealing from the choices shown"]
    empty = MeetingForm({})
    assert empty["name"].errors == ["Enter the guardian's name"]
    assert empty["weeks"].errors == ["Enter the due within (weeks)"]
    assert empty["kind"].errors == ["Select the kind of contact"]
    assert empty["children"].errors == ["Select the children the conference is about"]
    assert empty["appellant"].errors == ["Select who is appealing"]
    # The form's own record of them is Django's: only what is drawn changes.
    assert empty.errors["name"] == ["This field is required."]


def test_a_message_the_form_wrote_is_left_alone():
    class Named(forms.Form):
        reason = forms.CharField(label="Reason", error_messages={"required": "Enter why the meeting moved"})

    assert Named({})["reason"].errors == ["Enter why the meeting moved"]


@pytest.mark.parametrize(
    ("label", "phrase", "subject"),
    [
        ("Date of the meeting", "the date of the meeting", "Date of the meeting"),
        ("New IRO", "the new IRO", "New IRO"),
        ("IRO", "the IRO", "IRO"),
        ("How the child took part", "how the child took part", "How the child took part"),
        ("Who is appealing", "who is appealing", "Who is appealing"),
        ("The reason", "the reason", "The reason"),
        ("Child's home postcode", "the child's home postcode", "Child's home postcode"),
    ],
)
def test_a_label_reads_as_words_in_a_sentence(label, phrase, subject):
    assert field_phrase(label) == phrase
    assert field_subject(label) == subject


def test_the_error_summary_links_each_message_to_the_control_that_takes_it():
    form = MeetingForm({})
    targets = dict((message, target) for target, message in error_summary(form))
    assert targets["Enter the guardian's name"] == "id_name"
    # A group's name is on no element: its first box is where to start.
    assert targets["Select the children the conference is about"] == "id_children_1"
    assert targets["Select who is appealing"] == "id_appellant_1"
    html = render_crispy_form(form)
    assert 'id="id_children_1"' in html and 'id="id_appellant_1"' in html


def test_the_error_summary_of_a_prefixed_form_links_to_its_prefixed_boxes():
    form = MeetingForm({}, prefix="child-7")
    targets = [target for target, _ in error_summary(form)]
    assert "id_child-7-children_1" in targets
    assert 'id="id_child-7-children_1"' in render_crispy_form(form)


def test_errors_about_the_whole_form_go_where_the_view_says_or_to_its_first_field():
    form = MeetingForm({})
    form.add_error(None, "Select at least one record")
    assert error_summary(form)[0] == ("id_name", "Select at least one record")
    form.non_field_errors_target = "review-12"
    assert error_summary(form)[0] == ("review-12", "Select at least one record")


def test_a_form_without_fields_sends_its_errors_to_the_page_s_first_control():
    class Version(forms.Form):
        seen = forms.CharField(widget=forms.HiddenInput)

    version = Version({})
    version.is_valid()
    version.add_error(None, "This page is out of date")
    assert error_summary(version, MeetingForm())[0] == ("id_name", "This page is out of date")


def test_the_crispy_error_summary_template_uses_the_same_links():
    form = MeetingForm({})
    html = Template('{% include "gds/layout/error_summary.html" %}').render(Context({"form": form}))
    links = lxml.html.fragment_fromstring(html, create_parent="div").xpath(".//a")
    assert [link.get("href") for link in links][:2] == ["#id_name", "#id_weeks"]
    assert "#id_children_1" in [link.get("href") for link in links]
