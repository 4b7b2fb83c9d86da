"""Account forms. Field labels are what the user reads; validators say what to do."""

from __future__ import annotations

from dataclasses import replace

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovPasswordInput,
    GovTextInput,
)
from wtforms import BooleanField, PasswordField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, ValidationError

from app.accounts.passwords import password_problem
from app.accounts.registration import AccountKind, Registration, account_kinds
from app.core.forms import BaseForm, email_field, radio_field, strip


class NewPassword:
    """The password rules, checked on the form so every problem shows at once (the service
    checks again). Reads the email and name from the same form when it has them."""

    def __init__(self, email_from: str | None = "email", name_from: str | None = "name"):
        self.email_from = email_from
        self.name_from = name_from

    def __call__(self, form, field) -> None:
        email = getattr(form, self.email_from).data if self.email_from and hasattr(form, self.email_from) else None
        name = getattr(form, self.name_from).data if self.name_from and hasattr(form, self.name_from) else None
        problem = password_problem(field.data or "", email=email, name=name)
        if problem:
            raise ValidationError(problem)


def password_field(label: str, autocomplete: str, message: str, description: str = "",
                   new: bool = False) -> PasswordField:
    validators = [InputRequired(message=message)]
    if new:
        validators.append(NewPassword())
    return PasswordField(
        label,
        description=description,
        widget=GovPasswordInput(),
        validators=validators,
        render_kw={"autocomplete": autocomplete},
    )


NEW_PASSWORD_HINT = (
    "At least 10 characters. A few unrelated words together are easy to remember and hard to guess."  # noqa: S105
)


def new_password_field(label: str = "Create a password", message: str = "Enter a password") -> PasswordField:
    """A password being chosen: the password rules checked, with the hint."""
    return password_field(label, "new-password", message, NEW_PASSWORD_HINT, new=True)


def confirm_password_field(label: str = "Confirm your password", message: str = "Enter your password again",
                           matches: str = "password") -> PasswordField:
    """The chosen password typed again: it must match the field `matches`."""
    return PasswordField(
        label,
        widget=GovPasswordInput(),
        validators=[InputRequired(message=message), EqualTo(matches, message="The passwords do not match")],
        render_kw={"autocomplete": "new-password"},
    )


def name_field(label: str = "Full name", message: str = "Enter your full name") -> StringField:
    return StringField(
        label,
        widget=GovTextInput(),
        filters=[strip],
        validators=[DataRequired(message=message), Length(max=120, message="Name must be 120 characters or fewer")],
        render_kw={"autocomplete": "name", "spellcheck": "false"},
    )


class SignInForm(BaseForm):
    email = email_field()
    password = password_field("Password", "current-password", "Enter your password")


class RegisterChoiceForm(BaseForm):
    # Its choices: the kinds the features registered, in their order.
    kind = radio_field("What kind of account do you need?", "Choose the kind of account you need", choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(kind.key, kind.label) for kind in account_kinds()]


class RegisterForm(BaseForm):
    name = name_field()
    email = email_field(description="We will send you a link to confirm it.")
    password = new_password_field()
    confirm_password = confirm_password_field()
    agree = BooleanField(
        "I have read the privacy notice",
        widget=GovCheckboxInput(),
        validators=[DataRequired(message="Confirm you have read the privacy notice")],
    )

    def registration(self, kind: str) -> Registration:
        return Registration(kind=kind, name=self.name.data, email=self.email.data, password=self.password.data)


class OrganisationRegisterForm(RegisterForm):
    """Registering an organisation's account: its name and kind, then its first user."""

    organisation_name = StringField(
        "Organisation name",
        description="If you are a self-employed personal assistant, use your own name or trading name.",
        widget=GovTextInput(),
        filters=[strip],
        validators=[DataRequired(message="Enter your organisation's name"),
                    Length(max=160, message="Organisation name must be 160 characters or fewer")],
        render_kw={"autocomplete": "organization"},
    )
    # Its choices: the account kind's organisation kinds.
    organisation_kind = radio_field("Type of organisation", "Choose the type of organisation", choices=[])

    def registration(self, kind: str) -> Registration:
        return replace(super().registration(kind), organisation_name=self.organisation_name.data or "",
                       organisation_kind=self.organisation_kind.data or "")


def registration_form(kind: AccountKind) -> RegisterForm:
    """The registration form for this kind of account."""
    if not kind.for_an_organisation:
        return RegisterForm()
    form = OrganisationRegisterForm()
    form.organisation_kind.choices = list(kind.organisation_kinds)
    return form


class EmailOnlyForm(BaseForm):
    email = email_field()


class ResetPasswordForm(BaseForm):
    password = new_password_field("New password", "Enter a new password")
    confirm_password = confirm_password_field("Confirm your new password", "Enter your new password again")


class ChangePasswordForm(BaseForm):
    current_password = password_field("Current password", "current-password", "Enter your current password")
    new_password = new_password_field("New password", "Enter a new password")
    confirm_password = confirm_password_field("Confirm your new password", "Enter your new password again",
                                              matches="new_password")


class DetailsForm(BaseForm):
    name = name_field()


class ChangeEmailForm(BaseForm):
    email = email_field("New email address", description="We will send a link to this address to confirm it.")
    password = password_field("Your password", "current-password", "Enter your password")


ACCESSIBILITY_CHOICES = [
    ("larger_text", "Larger text"),
    ("high_contrast", "High contrast (black text, darker links and borders)"),
    ("reduced_motion", "Reduce motion (no animations or smooth scrolling)"),
]


class AccessibilityForm(BaseForm):
    preferences = SelectMultipleField(
        "How would you like pages to look?",
        description="These settings apply on every page while you are signed in, on any device.",
        widget=GovCheckboxesInput(),
        choices=ACCESSIBILITY_CHOICES,
        validate_choice=True,
    )

    def show(self, user) -> None:
        """Tick the settings this user has on."""
        self.preferences.data = [key for key, _ in ACCESSIBILITY_CHOICES if getattr(user, f"pref_{key}")]

    def settings(self) -> dict[str, bool]:
        """Each setting, on or off, as `update_accessibility` takes them."""
        chosen = set(self.preferences.data or [])
        return {key: key in chosen for key, _ in ACCESSIBILITY_CHOICES}


class NotificationSettingsForm(BaseForm):
    email_kinds = SelectMultipleField(
        "Which notifications should we also send by email?",
        description="You will always see notifications in OurChoice. Security messages are always emailed.",
        widget=GovCheckboxesInput(),
        choices=[],
    )


class CloseAccountForm(BaseForm):
    password = password_field("Your password", "current-password", "Enter your password")
    understood = BooleanField(
        "I understand that closing my account cannot be undone",
        widget=GovCheckboxInput(),
        validators=[DataRequired(message="Confirm you understand that closing your account cannot be undone")],
    )
