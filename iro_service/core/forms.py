"""The sign-in form, and what every app's forms share: the GOV.UK error summary, a service's
errors shown against their fields, constraint messages a person can act on, the check that a
record has not changed since the page was opened, and the filters and bulk selections of list
pages. How each field is drawn is in ``iro_service.core.widgets``."""

import copy

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from iro_service.core.error_messages import DATE_INVALID, field_phrase
from iro_service.core.formats import long_date
from iro_service.core.roles import Role
from iro_service.core.widgets import DATE_INPUT_FORMATS, control_id, date_hint


def query_text(request, name: str, *, limit: int = 100) -> str:
    """The text typed into a search box (``name`` in the query string), trimmed and at most
    ``limit`` characters, without NUL characters: PostgreSQL text cannot hold them, so a search
    for one was a server error. A search box takes any text; there is nothing to refuse."""
    return request.GET.get(name, "").replace("\x00", "").strip()[:limit]


def whole_number(value: str) -> int | None:
    """``value`` as a primary key or page number, or None. ``str.isdigit`` is true of "²",
    which ``int`` refuses; only the digits 0 to 9 are taken."""
    return int(value) if value.isascii() and value.isdigit() else None


class SignInForm(AuthenticationForm):
    """Django's authentication form in GOV.UK dress. Its messages never say whether the
    account exists: a wrong username and a wrong password read the same."""

    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "Enter a correct username and password. Both are case-sensitive.",
        "api_only": "This account is for the REST API and cannot sign in to the web pages.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Username"
        self.fields["password"].label = "Password"
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("username", field_width=20),
            Field.text("password", field_width=20),
            Submit("submit", "Sign in"),
        )
        # GOV.UK pattern: autocomplete hints help password managers and people with memory
        # impairments (WCAG 1.3.5).
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "spellcheck": "false"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.groups.filter(name=Role.API_CLIENT).exists():
            raise forms.ValidationError(self.error_messages["api_only"], code="api_only")


def date_field(
    label: str, *, required: bool = True, hint: str = "", required_message: str = ""
) -> forms.DateField:
    """A date in the one pattern every page uses: a text input, the hint "For example,
    27/3/2017" after ``hint``, the formats people type, and GOV.UK messages ("Enter the date of
    the meeting")."""
    return forms.DateField(
        label=label,
        required=required,
        help_text=date_hint(hint),
        input_formats=DATE_INPUT_FORMATS,
        error_messages={
            "required": required_message or f"Enter {field_phrase(label)}",
            "invalid": DATE_INVALID,
        },
    )


def date_from_post(data, name: str):
    """The date typed into the field ``name`` of a posted form, or None: for a page that must
    know it before the form is checked (which year's code lists to offer, say)."""
    if not data or not data.get(name):
        return None
    try:
        return forms.DateField(input_formats=DATE_INPUT_FORMATS).clean(data.get(name))
    except forms.ValidationError:
        return None


def error_summary(*forms_on_the_page) -> list[tuple[str, str]]:
    """(id of the control, message) for every problem of the page's forms, in page order, for
    the GOV.UK error summary: each link goes to the control that takes the correction (the
    first box of a group of checkboxes or radios). A form's own errors, not about one field,
    go to ``form.non_field_errors_target`` (the id of a control the view knows, such as the
    first box of a table the form does not draw), or else to its first field."""
    items = []
    first_control = next(
        (control_id(fields[0]) for form in forms_on_the_page if (fields := form.visible_fields())), None
    )
    for form in forms_on_the_page:
        if not form.errors:
            continue
        fields = form.visible_fields()
        # A form drawing no field (the version of the record, say) sends its errors to the
        # page's first control.
        target = getattr(form, "non_field_errors_target", None) or (
            control_id(fields[0]) if fields else first_control or "main-content"
        )
        items.extend((target, message) for message in form.non_field_errors())
        for bound in fields:
            items.extend((control_id(bound), message) for message in bound.errors)
    return items


def form_add_service_errors(error: ValidationError, form, fallback_form=None) -> None:
    """Show a service's ValidationError on the form: each message against the field it names,
    or (for a field the form does not have) at the top of ``fallback_form`` or ``form``, so the
    GOV.UK error summary lists every problem."""
    if not hasattr(error, "error_dict"):
        # A message for the whole record (a stale edit, say) rather than for named fields.
        (fallback_form or form).add_error(None, error.messages)
        return
    for field, field_errors in error.message_dict.items():
        target = form if field in form.fields else (fallback_form or form)
        target.add_error(field if field in target.fields else None, field_errors)


class VersionedFormMixin:
    """For a form that changes a record two people may edit at once.

    Its hidden field ``version_field`` holds the record's ``updated_at`` when the page was
    opened (give it in ``initial`` as ``isoformat()``, which keeps the offset); the service
    refuses the change if the record has changed since. A form given the version in its
    ``initial`` is editing that record, so a POST must send the version back: a missing,
    blank or garbled version is an error at the top of the form (an error on a hidden field
    would not appear in the error summary), never a silent "no check". A form with no version
    in ``initial`` (a new record) has nothing to check.

    A field the POST leaves out altogether keeps the value in ``initial`` (the stored one), so
    a partial POST cannot blank what the user never saw; a field sent empty still clears it,
    where the form allows that. Checkboxes are exempt: a browser leaves out an unticked box."""

    version_field = "seen_updated_at"
    version_missing = (
        "This page was sent without the version of the record it changes. "
        "Reload it, then make your change again."
    )
    version_garbled = "This page is out of date. Reload it, then make your change again."

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        version = self.fields.get(self.version_field)
        self.editing = version is not None and bool(self.initial.get(self.version_field))
        if version is not None:
            version.required = self.editing
        if self.is_bound and self.editing:
            self.data = self._keep_what_was_not_sent(self.data)

    def _keep_what_was_not_sent(self, data):
        kept = data.copy()
        for name, field in self.fields.items():
            key = self.add_prefix(name)
            if name == self.version_field or name not in self.initial:
                continue
            if field.widget.value_omitted_from_data(data, self.files, key):
                value = self.initial[name]
                if isinstance(value, list | tuple) and hasattr(kept, "setlist"):
                    kept.setlist(key, list(value))
                else:
                    kept[key] = "" if value is None else value
        return kept

    def clean(self):
        cleaned = super().clean()
        if self._errors and self.version_field in self._errors:
            sent = self.data.get(self.add_prefix(self.version_field), "")
            del self._errors[self.version_field]
            raise ValidationError(self.version_garbled if sent.strip() else self.version_missing)
        return cleaned


class ConstraintMessagesMixin:
    """For a ModelForm whose model has check constraints across fields.

    Django reports a broken check constraint at the top of the form as 'Constraint
    "timescale_settings_caseload_range" is violated.', which tells a person neither what is
    wrong nor what to enter. ``constraint_messages`` maps a constraint's name to ``{field:
    message}``. The form checks that constraint itself, before the model does (the model's own
    constraint, so the rule stays written once), and puts each message against its field:
    against the fields the person changed, when they changed any of them, otherwise against
    all of them. A field in error is then left out of the model's own check, so the generic
    message never appears."""

    constraint_messages: dict[str, dict[str, str]] = {}

    def clean(self):
        cleaned = super().clean()
        model = self._meta.model
        candidate = copy.copy(self.instance)
        for name, value in cleaned.items():
            setattr(candidate, name, value)
        for constraint in model._meta.constraints:
            messages = self.constraint_messages.get(constraint.name)
            if not messages:
                continue
            try:
                # A constraint on a field already in error is skipped (the field's own error says
                # what to enter).
                constraint.validate(model, candidate, exclude=set(self._errors))
            except ValidationError:
                changed = [name for name in messages if name in self.changed_data]
                for name in changed or list(messages):
                    self.add_error(name, messages[name])
        return cleaned


class SelectedRecordsField(forms.Field):
    """The rows ticked on a list page people act on in bulk, as a sorted list of primary keys.

    The page draws the checkboxes in its table, one per row, named as the field; the first has
    the field's id (``auto_id``) and the rest ``<auto_id>-<pk>``, as GOV.UK's checkboxes do, so
    that the error summary's link for "select at least one" goes to the first checkbox. Which
    rows may be chosen is for the service to say."""

    widget = forms.CheckboxSelectMultiple
    # For the error summary's link (core.widgets.control_id).
    first_box_has_the_field_id = True

    def to_python(self, value) -> list[int]:
        return sorted({number for item in value or [] if (number := whole_number(str(item))) is not None})


class ListFilterForm(forms.Form):
    """The filters of a list page, sent with GET so that they stay in the URL (and in the links
    to other pages and sorts). A value that cannot be read is shown against its field and left
    out; the other filters still apply (``filters``). Each pair in ``date_ranges`` (from, to)
    must not end before it starts."""

    date_ranges: tuple[tuple[str, str], ...] = ()

    def clean(self):
        cleaned = super().clean()
        for start_name, end_name in self.date_ranges:
            start, end = cleaned.get(start_name), cleaned.get(end_name)
            if start and end and end < start:
                label = self.fields[end_name].label
                self.add_error(end_name, f"{label} must be the same as or after {long_date(start)}")
        return cleaned

    def filters(self) -> dict:
        """The filters that could be read: every field without an error (none if unbound)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return self.cleaned_data
