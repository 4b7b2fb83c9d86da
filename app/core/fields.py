"""Form fields with plain-English messages: dates (day, month, year boxes), pounds (stored as
pence), whole numbers and record ids chosen from a list. What the user typed is always shown
back to them; numbers are read by `app.core.converters` (ASCII digits, bounded), so no input
reaches the database as a number it cannot hold."""

from __future__ import annotations

import re
import secrets
from datetime import date

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovTextInput
from wtforms import Field, HiddenField, SelectMultipleField, StringField
from wtforms.utils import unset_value
from wtforms.validators import ValidationError

from app.core.converters import MAX_ID, is_ascii_digits, parse_id, parse_whole_number
from app.core.money import MAXIMUM_PENCE, MoneyError, parse_pounds, pence_to_pounds_text
from app.core.widgets import DateInput


class _SaysWhenEmpty:
    """`required_message` beside the field when nothing was entered (and nothing else is wrong)."""

    required_message: str | None = None

    def pre_validate(self, form):
        if self.data is None and self.required_message and not self.process_errors:
            raise ValidationError(self.required_message)


class DateField(_SaysWhenEmpty, Field):
    """A date typed into three boxes. Leaves `data` None when empty; explains what is wrong."""

    widget = DateInput()

    def __init__(self, label=None, validators=None, required_message: str | None = None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.required_message = required_message

    def _value(self):
        return self.data.strftime("%d %m %Y") if isinstance(self.data, date) else ""

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist or not any(v.strip() for v in valuelist):
            return
        parts = (list(valuelist) + ["", "", ""])[:3]
        day, month, year = (p.strip() for p in parts)
        missing = [name for name, value in (("day", day), ("month", month), ("year", year)) if not value]
        if missing:
            raise ValueError(f"{self.label.text} must include a {' and '.join(missing)}")
        if not (is_ascii_digits(day) and is_ascii_digits(month) and is_ascii_digits(year)) or len(year) != 4 \
                or len(day) > 2 or len(month) > 2:
            raise ValueError(f"{self.label.text} must be a real date, like 27 3 2026")
        try:
            self.data = date(int(year), int(month), int(day))
        except ValueError as exc:
            raise ValueError(f"{self.label.text} must be a real date, like 27 3 2026") from exc


CHOOSE_MESSAGE = "Choose from the options shown"


def coerce_id(value) -> int | None:
    """`coerce` for a select, radio or checkbox field whose options are record ids: None when
    nothing is chosen, else the id; anything that is not one (non-ASCII digits, beyond the
    database's integer, a 5,000-digit number) is "Choose from the options shown"."""
    if value in (None, "", "None"):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    chosen = parse_id(value)
    if chosen is None:
        raise ValueError(CHOOSE_MESSAGE)
    return chosen


class _TypedTextField(_SaysWhenEmpty, StringField):
    """A text box read into a number. Each kind (PoundsField, WholeNumberField) defines
    `read(text)`, which gives the value or raises ValueError with what is wrong; what was typed is
    shown back as typed; `required_message` when it is left empty."""

    widget = GovTextInput()

    def __init__(self, label=None, validators=None, required_message: str | None = None, *,
                 inputmode: str = "numeric", **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": inputmode, "spellcheck": "false"})
        super().__init__(label, validators, **kwargs)
        self.required_message = required_message
        self.raw_text = ""

    def shown(self, value: int) -> str:
        return str(value)

    def _value(self):
        if self.raw_text:
            return self.raw_text
        return self.shown(self.data) if isinstance(self.data, int) else ""

    def process_formdata(self, valuelist):
        self.raw_text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if self.raw_text:
            self.data = self.read(self.raw_text)


class PoundsField(_TypedTextField):
    """An amount in pounds typed by the user; `data` is integer pence (or None when empty).

    `maximum` (pence) is the most it accepts: `HOURLY_MAXIMUM_PENCE` for rates and fees an hour,
    `MAXIMUM_PENCE` (the default) for other amounts."""

    def __init__(self, label=None, validators=None, required_message: str | None = None,
                 maximum: int = MAXIMUM_PENCE, **kwargs):
        super().__init__(label, validators, required_message, inputmode="decimal", **kwargs)
        self.maximum = maximum

    def shown(self, value: int) -> str:
        return pence_to_pounds_text(value)

    def read(self, text: str) -> int:
        try:
            pence = parse_pounds(text, maximum=self.maximum)
        except MoneyError as exc:
            raise ValueError(str(exc)) from exc
        if pence < 0:
            raise ValueError("Amounts cannot be negative")
        return pence


class WholeNumberField(_TypedTextField):
    def __init__(self, label=None, validators=None, minimum: int | None = None, maximum: int | None = None,
                 required_message: str | None = None, **kwargs):
        super().__init__(label, validators, required_message, **kwargs)
        self.minimum, self.maximum = minimum, maximum

    def read(self, text: str) -> int:
        if not is_ascii_digits(text):
            raise ValueError(f"{self.label.text} must be a whole number, like 5")
        minimum = self.minimum if self.minimum is not None else 0
        maximum = self.maximum if self.maximum is not None else MAX_ID
        number = parse_whole_number(text, minimum=minimum, maximum=maximum)
        if number is None:
            raise ValueError(f"{self.label.text} must be between {minimum} and {maximum}")
        return number


class CheckboxesField(SelectMultipleField):
    """Several checkboxes; an optional message when none is ticked."""

    widget = GovCheckboxesInput()

    def __init__(self, label=None, validators=None, required_message: str | None = None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.required_message = required_message

    def pre_validate(self, form):
        if self.required_message and not self.data:
            raise ValidationError(self.required_message)
        if self.data:
            values = {str(c[0]) for c in self.choices}
            if any(str(d) not in values for d in self.data):
                raise ValidationError(CHOOSE_MESSAGE)


class OneOffKeyField(HiddenField):
    """A hidden key made when the form is first shown and sent back with it: the service records
    what the form does once per key, so pressing the button twice, or the browser sending the
    form again, does it once. A failed form shown again keeps the key it was sent with."""

    _PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}", re.ASCII)

    def process(self, formdata, data=unset_value, extra_filters=None):
        super().process(formdata, data, extra_filters)
        if not formdata or not self._PATTERN.fullmatch(self.data or ""):
            self.data = secrets.token_urlsafe(24)
