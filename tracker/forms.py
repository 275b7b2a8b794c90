from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm

from forces.models import Force

from . import oidc
from .models import Invitation


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is not active. Ask your administrator.",
        "single_sign_on_only": "Portfolio staff and administrators sign in with {provider}, not a password.",
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if oidc.password_refused_for(user):
            raise forms.ValidationError(
                self.error_messages["single_sign_on_only"].format(provider=settings.OIDC_PROVIDER_NAME),
                code="single_sign_on_only",
            )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("username", field_width=20, autocomplete="username", spellcheck="false"),
            Field.text("password", field_width=20, autocomplete="current-password"),
            Button("submit", "Sign in"),
        )


class TwoFactorCodeForm(forms.Form):
    """The six-digit code an authenticator app shows."""

    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code your app shows now, for example 123456.",
        max_length=20,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )

    def __init__(self, *args, button: str = "Continue", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("code", field_width=5, autocomplete="one-time-code", inputmode="numeric", spellcheck="false"),
            Button("verify", button),
        )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split()).replace("-", "")
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise forms.ValidationError("Enter the code as 6 digits, for example 123456")
        return code


class PasswordResetRequestForm(PasswordResetForm):
    """The address to send a reset link to. What happens next does not depend on whether it has an account."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].help_text = "The address your account was set up with."
        self.fields["email"].error_messages = {
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.police.uk",
        }
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("email", autocomplete="email", spellcheck="false"),
            Button("submit", "Send the reset link"),
        )


def _new_password_layout(form, button: str, *first) -> None:
    form.fields["new_password1"].label = "New password"
    form.fields["new_password1"].help_text = "At least 12 characters. A few unrelated words make a good one."
    form.fields["new_password2"].label = "New password again"
    form.fields["new_password1"].error_messages["required"] = "Enter a new password"
    form.fields["new_password2"].error_messages["required"] = "Enter the new password again"
    form.helper = FormHelper()
    form.helper.form_tag = False
    form.helper.layout = Layout(
        *first,
        Field.text("new_password1", field_width=20, autocomplete="new-password"),
        Field.text("new_password2", field_width=20, autocomplete="new-password"),
        Button("submit", button),
    )


class NewPasswordForm(SetPasswordForm):
    """A new password, typed twice: after a reset link, or to accept an invitation."""

    def __init__(self, *args, button: str = "Change password", **kwargs):
        super().__init__(*args, **kwargs)
        _new_password_layout(self, button)


class ChangePasswordForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        self.error_messages = {
            **self.error_messages,
            "password_incorrect": "Your current password is wrong. Enter it again.",
        }
        _new_password_layout(
            self, "Change password", Field.text("old_password", field_width=20, autocomplete="current-password")
        )


class InvitationForm(forms.Form):
    """One person to invite. Which roles are offered depends on who is inviting."""

    name = forms.CharField(label="Full name", max_length=150, error_messages={"required": "Enter the person's name"})
    email = forms.EmailField(
        label="Email address",
        help_text="Their work address. The invitation goes there, and it becomes their username.",
        error_messages={
            "required": "Enter the person's email address",
            "invalid": "Enter an email address in the correct format, like name@example.police.uk",
        },
    )
    role = forms.ChoiceField(label="Role", widget=forms.RadioSelect, error_messages={"required": "Choose a role"})
    force = forms.ModelChoiceField(
        label="Force",
        queryset=None,
        required=False,
        empty_label="Choose a force",
        help_text="The force a force lead answers for.",
    )

    def __init__(self, *args, roles: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(value, Invitation.Role(value).label) for value in roles]
        if len(roles) == 1:
            self.fields["role"].initial = roles[0]
        self.fields["force"].queryset = Force.objects.order_by("name")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("name", field_width=20, autocomplete="off", spellcheck="false"),
            Field.text("email", autocomplete="off", spellcheck="false"),
            Field.radios("role", legend_size="s"),
            Field.select("force"),
            Button("send", "Send invitation"),
        )

    def clean(self):
        data = super().clean()
        if data.get("role") == Invitation.Role.FORCE_LEAD and not data.get("force"):
            self.add_error("force", "Choose the force this person leads for")
        return data


class InvitationUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a CSV file",
        help_text="Columns: email, name, role, force. Role is force lead, portfolio staff or administrator.",
        error_messages={"required": "Select the CSV file to upload", "empty": "The file you selected is empty"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field("file"), Button("upload", "Check and send invitations"))
