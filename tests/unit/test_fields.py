"""The one way to read numbers someone sent (ids, pages, whole numbers, choices) and the base
form every form uses (NUL refused beside the field, one message for a choice not offered)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import RadioField, SelectField, StringField, TextAreaField

import app as app_package
from app.core.converters import MAX_ID, parse_id, parse_whole_number
from app.core.fields import CHOOSE_MESSAGE, CheckboxesField, DateField, PoundsField, WholeNumberField, coerce_id
from app.core.forms import BaseForm
from app.core.money import HOURLY_MAXIMUM_PENCE
from app.core.pagination import page_number

NOT_NUMBERS = ["", " 1", "1 ", "+1", "-1", "1.0", "1e3", "0x10", "\u00b2", "\u0663", "\uff11", "1\x00", "NaN", None, 7]


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_only_plain_ascii_digits_are_whole_numbers(text):
    assert parse_whole_number(text) is None


def test_whole_numbers_are_bounded_before_int_is_called():
    assert parse_whole_number("42") == 42
    assert parse_whole_number("0042") == 42
    assert parse_whole_number("0" * 5000 + "7") == 7  # int() alone would refuse 5,001 digits
    assert parse_whole_number(str(MAX_ID)) == MAX_ID
    assert parse_whole_number(str(MAX_ID + 1)) is None
    assert parse_whole_number("9" * 5000) is None
    assert parse_whole_number("12", maximum=10) is None
    assert parse_whole_number("0") == 0 and parse_id("0") is None


@pytest.mark.parametrize(("raw", "page"), [
    (None, 1), ("", 1), ("3", 3), ("0", 1), ("-2", 1), ("\u00b2", 1), ("\u0663", 1), ("abc", 1),
    ("2147483648", MAX_ID), ("9223372036854775807", MAX_ID), ("9" * 5000, MAX_ID),
])
def test_page_numbers(raw, page):
    assert page_number({} if raw is None else {"page": raw}) == page


def test_coerce_id():
    assert coerce_id("") is None and coerce_id(None) is None and coerce_id("None") is None
    assert coerce_id("12") == 12 and coerce_id(12) == 12
    for value in ("\u00b2", "\u0663", "9" * 5000, "2147483648", "-1", "x"):
        with pytest.raises(ValueError, match=CHOOSE_MESSAGE):
            coerce_id(value)


# --- Fields in the base form --------------------------------------------------------------------------


class SampleForm(BaseForm):
    class Meta:
        csrf = False

    name = StringField("Name")
    notes = TextAreaField("Notes")
    amount = PoundsField("Amount")
    rate = PoundsField("Rate", maximum=HOURLY_MAXIMUM_PENCE)
    count = WholeNumberField("Count", minimum=0, maximum=10)
    when = DateField("When")
    colour = SelectField("Colour", choices=[("red", "Red")])
    size = RadioField("Size", choices=[("s", "Small")])
    category = SelectField("Category", coerce=coerce_id, choices=[(1, "One"), (2, "Two")])
    extras = CheckboxesField("Extras", coerce=coerce_id, choices=[(1, "One")])


def submitted(app, **data):
    with app.test_request_context(method="POST", data=MultiDict(data)):
        form = SampleForm()
        form.validate()
        return form


def test_a_nul_in_a_text_field_gets_a_message_beside_it(app):
    form = submitted(app, name="Ann\x00", notes="a\x00b")
    assert form.name.errors == ["Name contains a character that cannot be saved (a NUL character). "
                                "Type it again rather than pasting it"]
    assert form.notes.errors and "NUL character" in form.notes.errors[0]
    assert not submitted(app, name="Ann", notes="fine").name.errors


def test_a_nul_in_a_number_field_gets_one_message(app):
    form = submitted(app, amount="1\x00", count="2\x00")
    assert form.amount.errors == ["Enter an amount in pounds, like 25 or 25.50"]
    assert form.count.errors == ["Count must be a whole number, like 5"]


@pytest.mark.parametrize("value", ["\u00b2", "\u0663", "9" * 5000, "2147483648", "9223372036854775808", "\x00"])
def test_every_choice_not_offered_says_choose_from_the_options_shown(app, value):
    form = submitted(app, colour=value, size=value, category=value, extras=value)
    for field in (form.colour, form.size, form.category, form.extras):
        assert field.errors == [CHOOSE_MESSAGE], (field.name, field.errors)


def test_choices_offered_are_accepted(app):
    form = submitted(app, colour="red", size="s", category="2", extras="1")
    assert (form.category.data, form.extras.data) == (2, [1])
    assert not (form.colour.errors or form.size.errors or form.category.errors or form.extras.errors)


@pytest.mark.parametrize(("value", "message"), [
    ("\u0663", "Count must be a whole number, like 5"),
    ("\u00b2", "Count must be a whole number, like 5"),
    ("9" * 5000, "Count must be between 0 and 10"),
    ("11", "Count must be between 0 and 10"),
])
def test_whole_numbers(app, value, message):
    assert submitted(app, count=value).count.errors == [message]
    assert submitted(app, count="10").count.data == 10


@pytest.mark.parametrize(("value", "message"), [
    ("1e30", "Enter an amount in pounds, like 25 or 25.50"),
    ("NaN", "Enter an amount in pounds, like 25 or 25.50"),
    ("inf", "Enter an amount in pounds, like 25 or 25.50"),
    ("-inf", "Enter an amount in pounds, like 25 or 25.50"),
    ("1000000.01", "Enter an amount of £1,000,000 or less"),
    ("9" * 5000, "Enter an amount of £1,000,000 or less"),
])
def test_amounts(app, value, message):
    assert submitted(app, amount=value).amount.errors == [message]


def test_hourly_amounts_stop_at_ten_thousand_pounds(app):
    assert submitted(app, rate="10000").rate.data == HOURLY_MAXIMUM_PENCE
    assert submitted(app, rate="10000.01").rate.errors == ["Enter an amount of £10,000 or less"]


@pytest.mark.parametrize("parts", [["\u0663", "3", "2026"], ["1", "1", "\u0662\u0660\u0662\u0666"],
                                   ["9" * 5000, "1", "2026"], ["\u00b2", "1", "2026"]])
def test_dates_with_digits_that_are_not_ascii(app, parts):
    with app.test_request_context(method="POST", data=MultiDict([("when", p) for p in parts])):
        form = SampleForm()
        form.validate()
    assert form.when.errors == ["When must be a real date, like 27 3 2026"]


def test_every_form_in_the_app_is_a_base_form():
    """A form that skipped BaseForm would let a NUL through to the database."""
    for module in pkgutil.walk_packages(app_package.__path__, "app."):
        importlib.import_module(module.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    forms = [cls for cls in subclasses(FlaskForm) if cls.__module__.startswith("app.")]
    assert len(forms) > 40
    strays = sorted(f"{cls.__module__}.{cls.__qualname__}" for cls in forms if not issubclass(cls, BaseForm))
    assert not strays, f"forms that do not use app.core.forms.BaseForm: {strays}"
