"""Forms of the consultations pages: sending an invitation and keeping the questions (staff),
and one question at a time for the person answering."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Submit
from django import forms

from consultations.codes import CHOICES, AnswerKind, Audience, Channel
from consultations.models import ANSWER_LIMIT, QUESTION_LIMIT, Question
from consultations.recordings import NO_SOUND
from consultations.wording import REVIEW_CHILD, Wording


def _helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper


class SendForm(forms.Form):
    """Invite one named person to give their views before the meeting or conference."""

    audience = forms.ChoiceField(
        label="Who is it for?",
        choices=Audience.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who the consultation is for"},
    )
    respondent_name = forms.CharField(
        label="Their name",
        max_length=120,
        error_messages={
            "required": "Enter the name of the person you are sending it to",
            "max_length": "Their name must be 120 characters or fewer",
        },
    )
    channel = forms.ChoiceField(
        label="How will it reach them?",
        choices=Channel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the consultation will reach them"},
    )
    email = forms.EmailField(
        label="Email address (for email)",
        required=False,
        error_messages={"invalid": "Enter the email address in the correct format, like name@example.com"},
    )
    mobile = forms.RegexField(
        label="Mobile number (for a text message)",
        required=False,
        regex=r"^\+?[0-9 ]{10,16}$",
        error_messages={"invalid": "Enter the mobile number like 07700 900 982"},
    )

    def __init__(self, *args, audiences: list[str] | None = None, **kwargs):
        """``audiences``: who may be asked, when not everyone may (before a conference, a carer
        only for a child in care); the rule is ``selectors.conference_audiences``."""
        super().__init__(*args, **kwargs)
        if audiences is not None:
            self.fields["audience"].choices = [
                (value, label) for value, label in Audience.choices if value in audiences
            ]
        self.helper = _helper(
            Field.radios("audience", legend_size="s"),
            Field.text("respondent_name", field_width=Fluid.TWO_THIRDS),
            Field.radios("channel", legend_size="s"),
            Field.text("email", field_width=Fluid.TWO_THIRDS),
            Field.text("mobile", field_width=Fluid.ONE_THIRD),
            submit="Send the consultation",
        )

    def clean(self):
        data = super().clean()
        if data.get("channel") == Channel.EMAIL and not data.get("email") and "email" not in self.errors:
            self.add_error("email", "Enter the email address to send it to")
        if data.get("channel") == Channel.SMS and not data.get("mobile") and "mobile" not in self.errors:
            self.add_error("mobile", "Enter the mobile number to send it to")
        return data


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["text", "hint", "kind", "active"]
        labels = {"text": "Question", "hint": "Hint (optional)", "kind": "How they answer"}
        error_messages = {
            "text": {
                "required": "Enter the question",
                "max_length": f"The question must be {QUESTION_LIMIT} characters or fewer",
            },
            "hint": {"max_length": f"The hint must be {QUESTION_LIMIT} characters or fewer"},
            "kind": {"required": "Select how they answer"},
        }
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = [
            Field.text("text"),
            Field.text("hint"),
            Field.radios("kind", legend_size="s"),
            Field.checkbox("active"),
        ]
        if self.instance.key:
            # The safety check and the participation code read this question's answers: its
            # wording may change, not how it is answered, and it is always asked.
            del self.fields["kind"], self.fields["active"]
            fields = fields[:2]
        self.helper = _helper(*fields, submit="Save the question")


class HeardForm(forms.Form):
    """What the IRO (or the chair) heard said in a voice note, written down for the record."""

    heard_as = forms.CharField(
        label="What they said",
        help_text="In their own words as far as you can: this is what the record will say they said.",
        max_length=ANSWER_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Enter what they said in their voice note",
            "max_length": f"What they said must be {ANSWER_LIMIT} characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("heard_as", label_size="m", rows=6, max_characters=ANSWER_LIMIT),
            submit="Save what they said",
        )


class PeopleField(forms.MultipleChoiceField):
    """Pictures of people, any number chosen, kept as one answer: their codes joined by commas
    in the order of the list ("mum,teacher"), read back the same way."""

    def prepare_value(self, value):
        return value.split(",") if isinstance(value, str) else value

    def clean(self, value):
        chosen = set(super().clean(value))
        return ",".join(code for code, _ in self.choices if code in chosen)


_AGAIN = "Record your answer again, or choose another recording."


def _voice_note_fields(form: forms.Form, *, recorded, limit_mb: int) -> list:
    """A question asked in words may be answered by saying it instead: a file input that a
    phone offers to record into (or to choose a recording from), with no script needed. Once
    one is saved, a box to take it back."""
    form.fields["voice_note"] = forms.FileField(
        label="Or send a voice note instead of typing" if recorded is None else "Send a new voice note",
        help_text=(
            "Record yourself saying your answer on your phone, or choose a recording you have made. "
            f"It must be smaller than {limit_mb} MB (a few minutes)."
        ),
        required=False,
        # The size, for the page's recorder (static/js/voice-recorder.js) to say so before sending.
        widget=forms.FileInput(attrs={"accept": "audio/*", "data-max-bytes": limit_mb * 1024 * 1024}),
        # Django's own words for these ("The submitted file is empty") do not say what to do.
        error_messages={
            "empty": NO_SOUND,
            "invalid": f"That voice note could not be read. {_AGAIN}",
            "missing": f"That voice note could not be read. {_AGAIN}",
        },
    )
    fields = [Field("voice_note")]
    if recorded is not None:
        form.fields["voice_note_remove"] = forms.BooleanField(
            label="Delete the voice note I sent", required=False
        )
        fields.append(Field.checkbox("voice_note_remove"))
    return fields


def answer_form(
    question: Question, data=None, initial: str = "", *, files=None, recorded=None, limit_mb: int = 10
) -> forms.Form:
    """The form for one question: typed words (or a voice note), a scale of faces, yes and
    no, or pictures of people to choose from, each choice with words as well as the picture.
    Every answer may be left blank: nobody has to answer. ``recorded``: the voice note already
    sent for this question, if any."""
    if question.kind == AnswerKind.TEXT:
        field = forms.CharField(
            label=question.text,
            help_text=question.hint,
            required=False,
            max_length=ANSWER_LIMIT,
            widget=forms.Textarea(attrs={"rows": 5, "aria-describedby": ""}),
            error_messages={"max_length": f"Your answer must be {ANSWER_LIMIT} characters or fewer"},
        )
        layout = Field.textarea("value", label_size="l", label_tag="h1", rows=5, max_characters=ANSWER_LIMIT)
    elif question.kind == AnswerKind.PEOPLE:
        field = PeopleField(
            label=question.text,
            help_text=question.hint or "Choose as many as you like.",
            required=False,
            choices=CHOICES[AnswerKind.PEOPLE],
            widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": "Choose from the people shown"},
        )
        layout = Field.checkboxes("value", legend_size="l", legend_tag="h1")
    else:
        field = forms.ChoiceField(
            label=question.text,
            help_text=question.hint,
            required=False,
            choices=CHOICES[question.kind],
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": "Choose one of the answers shown"},
        )
        layout = Field.radios("value", legend_size="l", legend_tag="h1")
    form = forms.Form(data, files, initial={"value": initial})
    form.fields["value"] = field
    extra = []
    if question.kind == AnswerKind.TEXT:
        extra = _voice_note_fields(form, recorded=recorded, limit_mb=limit_mb)
    form.helper = _helper(layout, *extra, submit="Save and continue")
    return form


class ChoicesForm(forms.Form):
    """The child's last page: who may see their answers and whether the IRO should call."""

    share_with_parents = forms.ChoiceField(
        label="Can your mum, dad or other family see your answers?",
        choices=[("yes", "Yes, they can see them"), ("no", "No, just the IRO")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose yes or no: can your family see your answers?"},
    )
    wants_iro_contact = forms.BooleanField(
        label="I would like my IRO to get in touch with me", required=False
    )

    def __init__(self, *args, words: Wording = REVIEW_CHILD, **kwargs):
        """``words``: the consultation's, naming who reads the answers (before a conference, the
        person who leads the meeting: a child at a conference may have no IRO)."""
        super().__init__(*args, **kwargs)
        if words != REVIEW_CHILD:
            self.fields["share_with_parents"].choices = [
                ("yes", "Yes, they can see them"),
                ("no", f"No, just {words.reader}"),
            ]
            self.fields["wants_iro_contact"].label = f"I would like {words.reader} to get in touch with me"
        self.helper = _helper(
            Field.radios("share_with_parents", legend_size="m"),
            Field.checkbox("wants_iro_contact"),
            submit="Send my answers",
        )


class FinishForm(forms.Form):
    """An adult's last page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(submit="Send my answers")
