"""The forms of signing in: a code from the authenticator app, signing in again, and a manager's
lockout lift and reset."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Submit
from django import forms
from django.contrib.auth import authenticate


def _helper(*fields, button: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields, Submit("submit", button))
    return helper


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
        password = self.cleaned_data["password"]
        # Through authenticate(), so that django-axes counts a wrong password here as at sign-in.
        user = authenticate(self.request, username=self.request.user.get_username(), password=password)
        if user is None or user.pk != self.request.user.pk:
            raise forms.ValidationError("Enter your password correctly")
        return password


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

    user = forms.ModelChoiceField(
        queryset=None,
        label="Member of staff",
        empty_label="Choose a member of staff",
        error_messages={
            "required": "Select the member of staff",
            "invalid_choice": "Select the member of staff",
        },
        help_text="They will set up their authenticator app again the next time they sign in.",
    )

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username} ({u.username})"
        )
        self.helper = _helper(Field.select("user"), button="Reset their authenticator app")
