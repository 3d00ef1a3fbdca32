"""The checks the page walk (``test_every_form``) holds every page to find what they are for:
each fault below, in a page written by hand, is reported, and the same page done right passes."""

from __future__ import annotations

from tests.support.govuk_html import form_problems, page_forms

RIGHT = """<html><body><main id="main-content">
<div class="govuk-error-summary"><ul class="govuk-list govuk-error-summary__list">
  <li><a href="#id_date">Enter the date of the meeting</a></li>
  <li><a href="#id_children_1">Select the children the conference is about</a></li>
</ul></div>
<form method="post">
  <input type="hidden" name="updated_at" value="v1">
  <div class="govuk-form-group govuk-form-group--error">
    <span class="govuk-error-message">Enter the date of the meeting</span>
    <input class="govuk-input govuk-input--error" type="text" name="date" id="id_date">
  </div>
  <div class="govuk-form-group"><input class="govuk-input" type="text" inputmode="numeric" name="weeks"></div>
  <div class="govuk-form-group"><select class="govuk-select" name="chair">
    <option value="">Choose the chair</option><option value="3">Helen Ashworth</option></select></div>
  <div class="govuk-character-count" data-maxlength="500"><div class="govuk-form-group">
    <textarea class="govuk-textarea govuk-js-character-count" name="reason" id="id_reason"
              aria-describedby="id_reason-info"></textarea>
    <span id="id_reason-info">You can enter up to 500 characters</span></div></div>
  <div class="govuk-form-group govuk-form-group--error"><div class="govuk-checkboxes">
    <input class="govuk-checkboxes__input" type="checkbox" name="children" id="id_children_1" value="1">
    <input class="govuk-checkboxes__input" type="checkbox" name="children" id="id_children_2" value="2">
  </div></div>
  <button type="submit">Save</button>
</form></main></body></html>"""


def _broken(old: str, new: str) -> list[str]:
    assert old in RIGHT
    return form_problems(RIGHT.replace(old, new))


def test_a_page_done_right_passes():
    assert form_problems(RIGHT) == []


def test_a_control_without_its_govuk_class_is_reported():
    assert _broken(
        'class="govuk-input" type="text" inputmode', 'class="dateinput" type="text" inputmode'
    ) == ["<input name='weeks' type='text'> has no govuk-input class"]


def test_a_number_input_is_reported():
    problems = _broken('type="text" inputmode="numeric"', 'type="number"')
    assert problems == [
        "<input name='weeks' type='number'> is type=number: GOV.UK asks for text, inputmode=numeric"
    ]


def test_a_field_in_error_without_its_error_class_or_with_another_s_is_reported():
    assert _broken("govuk-input govuk-input--error", "govuk-input") == [
        "<input name='date' type='text'> is in error without the govuk-input--error class"
    ]
    problems = _broken('<select class="govuk-select"', '<select class="govuk-select govuk-input--error"')
    assert "<select name='chair'> has govuk-input--error, the error class of another component" in problems


def test_django_s_empty_choice_is_reported():
    assert _broken("Choose the chair", "---------") == [
        "<select name='chair'> offers '---------': write 'Choose ...'"
    ]


def test_a_textarea_that_cuts_text_or_is_not_a_whole_character_count_is_reported():
    cut = _broken('name="reason" id="id_reason"', 'name="reason" id="id_reason" maxlength="500"')
    assert cut == [
        "<textarea name='reason'> has maxlength=500: the browser cuts longer text without a word "
        "(use the character count)"
    ]
    assert _broken('aria-describedby="id_reason-info"', "") == [
        "<textarea name='reason'> is not described by its character count #id_reason-info"
    ]


def test_an_error_link_to_nothing_to_a_wrapper_or_past_the_first_box_is_reported():
    assert _broken('href="#id_date"', 'href="#id_meeting_date"') == [
        "error summary link 'Enter the date of the meeting' goes to #id_meeting_date, "
        "which is not on the page"
    ]
    assert _broken('href="#id_children_1"', 'href="#id_children_2"') == [
        "error summary link 'Select the children the conference is about' goes to #id_children_2, not to the "
        "first choice of its group (#id_children_1)"
    ]
    group = '<div class="govuk-form-group govuk-form-group--error"'
    page = RIGHT.replace('href="#id_children_1"', 'href="#id_children"').replace(
        f'{group}><div class="govuk-checkboxes">', f'{group} id="id_children"><div class="govuk-checkboxes">'
    )
    assert form_problems(page) == [
        "error summary link 'Select the children the conference is about' goes to #id_children, a <div> "
        "around the field, not the field itself"
    ]


def test_django_s_generic_messages_are_reported_wherever_they_are():
    problems = _broken("Enter the date of the meeting</span>", "This field is required.</span>")
    assert problems == ["the page shows Django's default message 'This field is required'"]
    problems = _broken(
        "Enter the date of the meeting</span>", "Ensure this value is greater than or equal to 0.</span>"
    )
    assert (
        "the page shows Django's default message 'Ensure this value is greater than or equal to'" in problems
    )


def test_error_messages_without_a_summary_are_reported():
    start = RIGHT.index('<div class="govuk-error-summary">')
    end = RIGHT.index("</div>", start) + len("</div>")
    assert form_problems(RIGHT[:start] + RIGHT[end:]) == [
        "1 error message(s) on the page but no error summary above them"
    ]


def test_a_page_s_form_is_sent_back_blank_and_wrong_as_a_browser_would():
    (form,) = page_forms(RIGHT, "/reviews/meeting/1/")
    assert form.action == "/reviews/meeting/1/" and form.method == "post"
    # Blank: hidden fields kept, text empty, the select on its empty choice, no box ticked.
    assert form.blank() == {"updated_at": ["v1"], "date": [""], "weeks": [""], "chair": [""], "reason": [""]}
    assert form.left_empty() == {"date", "weeks", "chair", "reason", "children"}
    wrong = form.wrong()
    assert wrong["reason"] == ["x" * 501]  # one over the character count's limit
    assert wrong["chair"] == wrong["children"] == ["not-one-of-the-choices"]
    assert wrong["date"] == ["not a number or a date"]
