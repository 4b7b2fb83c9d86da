"""Form helpers shared by every feature, and `BaseForm`, the base of every form."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovTextArea, GovTextInput
from wtforms import EmailField, RadioField, StringField, TextAreaField
from wtforms.i18n import DummyTranslations
from wtforms.validators import DataRequired, InputRequired, Length, Optional, StopValidation, ValidationError

from app.core.fields import CHOOSE_MESSAGE

NUL_MESSAGE = "{label} contains a character that cannot be saved (a NUL character). Type it again rather than pasting it"

# WTForms' own messages for a choice that is not one of the options (sometimes with the value
# sent, which may be 5,000 digits long), said one way.
_CHOICE_MESSAGES = {
    "Invalid Choice: could not coerce.",
    "Not a valid choice.",
    "Invalid choice(s): one or more data inputs could not be coerced.",
    "'%(value)s' is not a valid choice for this field.",
    "'%(value)s' are not valid choices for this field.",
}


class _PlainChoiceMessages:
    """Translations that answer "Choose from the options shown" for a choice not offered."""

    def __init__(self, translations):
        self.translations = translations

    def gettext(self, string):
        return CHOOSE_MESSAGE if string in _CHOICE_MESSAGES else self.translations.gettext(string)

    def ngettext(self, singular, plural, n):
        if singular in _CHOICE_MESSAGES:
            return CHOOSE_MESSAGE
        return self.translations.ngettext(singular, plural, n)


class NoNul:
    """A NUL character can never be stored (PostgreSQL refuses it in text), so say so beside
    the field. Skipped when the field has already said what is wrong with the value."""

    def __call__(self, form, field) -> None:
        if field.process_errors:
            return
        if any(isinstance(value, str) and "\x00" in value for value in field.raw_data or []):
            raise StopValidation(NUL_MESSAGE.format(label=field.label.text))


class BaseForm(FlaskForm):
    """Every form's base: every text field refuses NUL characters, and every choice field says
    "Choose from the options shown" for a value it did not offer."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            field = super().bind_field(form, unbound_field, options)
            if isinstance(field, StringField):
                field.validators = [NoNul(), *field.validators]
            return field

        def get_translations(self, form):
            return _PlainChoiceMessages(super().get_translations(form) or DummyTranslations())

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators=extra_validators)
        for field in self:  # a select that could not read the value also finds it is not an option: say it once
            if isinstance(field.errors, list) and all(isinstance(e, str) for e in field.errors):
                field.errors = list(dict.fromkeys(field.errors))
        return valid


class EmptyForm(BaseForm):
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


def radio_field(label: str, message: str, **kwargs) -> RadioField:
    """Radios that must be answered: `message` when none is chosen (`choices`, `coerce`,
    `description`, `default` as for any RadioField)."""
    return RadioField(label, widget=GovRadioInput(), validators=[InputRequired(message=message)], **kwargs)


def textarea_field(label: str, *, message: str | None = None, max_length: int = 2000,
                   description: str = "") -> TextAreaField:
    """A text area, required when `message` says what to write (optional otherwise), of at most
    `max_length` characters."""
    validators = [DataRequired(message=message)] if message else [Optional()]
    validators.append(Length(max=max_length, message=f"This must be {max_length} characters or fewer"))
    return TextAreaField(label, description=description, widget=GovTextArea(), filters=[strip], validators=validators)


def apply_errors(form: FlaskForm, error) -> None:
    """Put a service's DomainError (or each of a DomainErrors) beside the field it concerns, or
    at the top of the form."""
    for one in getattr(error, "errors", None) or [error]:
        field = getattr(form, one.field, None) if getattr(one, "field", None) else None
        if field is not None:
            field.errors = list(field.errors) + [one.message]
        else:
            form.form_errors.append(one.message)
