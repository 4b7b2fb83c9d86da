"""Form helpers shared by every feature."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import EmailField
from wtforms.validators import DataRequired, Length, ValidationError


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for POST buttons (sign out, mark as read...)."""


class EmailInput(GovTextInput):
    input_type = "email"


def strip(value):
    return value.strip() if isinstance(value, str) else value


class EmailAddress:
    """Checks the format of an email address (never its deliverability, which needs DNS).

    Outside production the reserved `.test` domain is accepted, for demo and test accounts.
    """

    message = "Enter an email address in the correct format, like name@example.com"

    def __call__(self, form, field) -> None:
        try:
            validate_email(
                field.data or "",
                check_deliverability=False,
                test_environment=current_app.config.get("ENV_NAME") != "production",
            )
        except EmailNotValidError as exc:
            raise ValidationError(self.message) from exc


def email_field(label: str = "Email address", description: str = "") -> EmailField:
    return EmailField(
        label,
        description=description,
        widget=EmailInput(),
        filters=[strip],
        validators=[
            DataRequired(message="Enter an email address"),
            EmailAddress(),
            Length(max=254, message="Email address must be 254 characters or fewer"),
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )


def apply_errors(form: FlaskForm, error) -> None:
    """Put a service's DomainError beside the field it concerns (or on the form)."""
    field = getattr(form, error.field, None) if getattr(error, "field", None) else None
    if field is not None:
        field.errors = list(field.errors) + [error.message]
    else:
        form.form_errors.append(error.message)
