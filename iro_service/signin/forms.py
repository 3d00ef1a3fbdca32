"""The forms of signing in: a code from the authenticator app, a passkey's name, signing in
again, changing one's password, and a manager's lockout lift and reset."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Submit
from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password


def _helper(*fields, button: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields, Submit("submit", button))
    return helper


def own_password(request, password: str, wrong: str) -> str:
    """The signed-in user's own password, or the error ``wrong``. Through authenticate(), so
    that django-axes counts a wrong password here as at sign-in."""
    user = authenticate(request, username=request.user.get_username(), password=password)
    if user is None or user.pk != request.user.pk:
        raise forms.ValidationError(wrong)
    return password


class CodeField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            max_length=20,
            error_messages={"required": "Enter the code from your authenticator app or a recovery code"},
            **kwargs,
        )
        self.widget.attrs.update(
            {"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "none"}
        )


class SecondFactorForm(forms.Form):
    """The code from the authenticator app, or one of the recovery codes."""

    code = CodeField(
        label="Code",
        help_text="The 6-digit code your authenticator app shows now, or one of your recovery codes.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.text("code", field_width=10), button="Continue")


class SetUpForm(forms.Form):
    code = CodeField(
        label="Code from the app", help_text="The 6-digit code the app shows after you add the account."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].error_messages["required"] = "Enter the 6-digit code from your authenticator app"
        self.helper = _helper(Field.text("code", field_width=10), button="Set up the app")


class SignInAgainForm(forms.Form):
    """The password again, and a code from the app when the account has one and must use it."""

    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )

    def __init__(self, *args, request, ask_for_code: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        fields = [Field.text("password", field_width=20)]
        if ask_for_code:
            self.fields["code"] = CodeField(
                label="Code", help_text="The 6-digit code your authenticator app shows now."
            )
            fields.append(Field.text("code", field_width=10))
        self.helper = _helper(*fields, button="Continue")

    def clean_password(self):
        return own_password(self.request, self.cleaned_data["password"], "Enter your password correctly")


def _staff_field(**extra) -> forms.ModelChoiceField:
    """The member of staff a manager acts for (their queryset is set by ``_offer_staff``)."""
    return forms.ModelChoiceField(
        queryset=None,
        label="Member of staff",
        empty_label="Choose a member of staff",
        error_messages={
            "required": "Select the member of staff",
            "invalid_choice": "Select the member of staff",
        },
        **extra,
    )


def _offer_staff(field: forms.ModelChoiceField, users) -> None:
    field.queryset = users
    field.label_from_instance = lambda u: f"{u.get_full_name() or u.username} ({u.username})"


def _new_password_field(*, label: str, help_text: str, required: str) -> forms.CharField:
    """A new password: never stripped (spaces count), offered to password managers as new."""
    return forms.CharField(
        label=label,
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=help_text,
        error_messages={
            "required": required,
            "max_length": "Enter a new password of 4,096 characters or fewer",
        },
    )


class LockoutLiftForm(forms.Form):
    username = forms.CharField(required=False, max_length=150)
    address = forms.GenericIPAddressField(required=False)

    def clean(self):
        data = super().clean()
        if bool(data.get("username")) == bool(data.get("address")):
            raise forms.ValidationError("Choose one lockout to lift")
        return data


class SecondFactorResetForm(forms.Form):
    """Which member of staff's authenticator app to remove."""

    user = _staff_field(
        help_text="Their app, recovery codes and passkeys are removed. They will set up their "
        "authenticator app again the next time they sign in."
    )

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_staff(self.fields["user"], users)
        self.helper = _helper(Field.select("user"), button="Reset their authenticator app")


class PasswordResetForm(forms.Form):
    """Which member of staff a manager gives a new password. The manager does not choose it: the
    service makes a one-time password (``iro_service.signin.passwords.one_time_password``)."""

    user = _staff_field(
        help_text="The service makes a one-time password for them and shows it to you once. "
        "They must change it when they next sign in."
    )

    def __init__(self, *args, users, **kwargs):
        # Its own ids: it shares the sign-in security page with the app reset's form, whose
        # field has the same name, and a label must point at its own field.
        kwargs.setdefault("auto_id", "id_password_reset_%s")
        super().__init__(*args, **kwargs)
        _offer_staff(self.fields["user"], users)
        self.helper = _helper(Field.select("user"), button="Reset their password")


class PasswordChangeForm(forms.Form):
    """A local account's own password change: the current password, then the new one twice.
    The new password must pass every validator in AUTH_PASSWORD_VALIDATORS (12 characters,
    not one of the 20,000 commonest passwords of breach lists, not all digits, not like the
    username or name, and zxcvbn's strength check)."""

    old_password = forms.CharField(
        label="Current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your current password"},
    )
    new_password = _new_password_field(
        label="New password",
        help_text="At least 12 characters. A few unrelated words together make a strong password.",
        required="Enter a new password",
    )
    new_password_again = forms.CharField(
        label="New password again",
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter the new password again"},
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.helper = _helper(
            Field.text("old_password", field_width=20),
            Field.text("new_password", field_width=20),
            Field.text("new_password_again", field_width=20),
            button="Change your password",
        )

    def clean_old_password(self):
        return own_password(
            self.request, self.cleaned_data["old_password"], "Enter your current password correctly"
        )

    def clean_new_password(self):
        password = self.cleaned_data["new_password"]
        try:
            validate_password(password, user=self.request.user)
        except forms.ValidationError as error:
            raise forms.ValidationError(_in_words(error.messages)) from error
        return password

    def clean(self):
        data = super().clean()
        new, again = data.get("new_password"), data.get("new_password_again")
        if new and again is not None and new != again:
            self.add_error("new_password_again", "Enter the same new password twice")
        if new and data.get("old_password") and new == data["old_password"]:
            self.add_error("new_password", "Choose a new password that is not your current one")
        return data


# Django's own validators speak of "This password"; here the field is the new password.
_WORDS = {
    "This password is too common.": "Choose a password that is not one of the commonest passwords",
    "This password is entirely numeric.": "Choose a password that is not only numbers",
}


def _in_words(messages: list[str]) -> list[str]:
    return [_WORDS.get(message, message.rstrip(".")) for message in messages]


class PasskeyNameForm(forms.Form):
    """The holder's name for one of their passkeys. Which passkey is a hidden field: the view
    finds it among the holder's own only."""

    passkey = forms.IntegerField(
        widget=forms.HiddenInput, error_messages={"required": "Choose a passkey to name"}
    )
    name = forms.CharField(
        label="Name of the passkey",
        max_length=64,
        help_text="Where it is kept, so that you can tell it from others: for example, “Work laptop”.",
        error_messages={
            "required": "Enter a name for the passkey",
            "max_length": "Enter a name of 64 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("passkey", Field.text("name", field_width=20), button="Save the name")
