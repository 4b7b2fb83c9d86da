"""The forms a provider and a broker send invoices with, and the payee's answer to a query.

Field names are the ones the invoicing services name on their errors (period_start, period_end,
hours, rate, extras, message), so what a service refuses is shown beside the right field."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovTextInput
from wtforms import Field, RadioField, StringField
from wtforms.validators import Length, Optional

from app.core.fields import DateField, PoundsField, WholeNumberField
from app.core.forms import BaseForm, strip, textarea_field
from app.core.money import HOURLY_MAXIMUM_PENCE
from app.payments.models import LineKind

EXTRA_LINES = (1, 2)  # how many extra lines the form offers (no JavaScript to add more)
MAX_HOURS = 35 * 24  # an invoice covers up to 5 weeks


class _NoWidget:
    def __call__(self, field, **kwargs):
        return ""


class GroupErrors(Field):
    """Holds the errors that concern a group of fields (the extra lines as a whole): the
    template shows them at the top of the group, whose element has this field's id."""

    widget = _NoWidget()

    def process_formdata(self, valuelist):
        self.data = None


def _period_fields() -> tuple[DateField, DateField]:
    return (DateField("Start of the period", description="For example, 3 11 2026",
                      required_message="Enter the first day of the period"),
            DateField("End of the period", description="The last day this invoice covers, for example, 30 11 2026",
                      required_message="Enter the last day of the period"))


def _extra_line_fields(number: int) -> tuple[RadioField, StringField, WholeNumberField, PoundsField]:
    return (
        RadioField(f"What is extra line {number}?", widget=GovRadioInput(), validators=[Optional()],
                   description="Mileage is charged by the mile. Another agreed cost is one amount.",
                   choices=[(LineKind.MILEAGE.value, "Mileage"), (LineKind.OTHER.value, "Another agreed cost")]),
        StringField(f"Description of extra line {number}", widget=GovTextInput(), filters=[strip],
                    description="For example: trips to the day centre, or entry to the swimming pool",
                    validators=[Optional(), Length(max=200, message="Keep the description to 200 characters or fewer")]),
        WholeNumberField(f"Miles for extra line {number} (mileage only)", minimum=1, maximum=10_000),
        PoundsField(f"Amount for extra line {number}, in pounds",
                    description="For mileage, the amount a mile, like 0.45. For any other cost, the whole amount."),
    )


def _note_field():
    return textarea_field("Note to the person (optional)", max_length=2000,
                          description="Anything they should know about this invoice. They see it with the invoice.")


class _ProviderInvoiceFields(BaseForm):
    period_start, period_end = _period_fields()
    hours = WholeNumberField("Hours", minimum=0, maximum=MAX_HOURS)
    minutes = WholeNumberField("Minutes", minimum=0, maximum=59)
    rate = PoundsField("Hourly rate, in pounds", required_message="Enter the hourly rate", maximum=HOURLY_MAXIMUM_PENCE)
    extras = GroupErrors("Extra lines")
    extra1_kind, extra1_description, extra1_miles, extra1_amount = _extra_line_fields(1)
    extra2_kind, extra2_description, extra2_miles, extra2_amount = _extra_line_fields(2)
    note = _note_field()


class ProviderInvoiceForm(_ProviderInvoiceFields):
    """Hours delivered in a period at an hourly rate, and up to two extra lines."""

    def total_minutes(self) -> int:
        return (self.hours.data or 0) * 60 + (self.minutes.data or 0)

    def line(self, number: int) -> dict:
        return {part: getattr(self, f"extra{number}_{part}") for part in ("kind", "description", "miles", "amount")}

    def used_lines(self) -> list[int]:
        """The extra lines the person filled in (a kind chosen alone is not a line: a radio
        button cannot be cleared without JavaScript)."""
        return [n for n in EXTRA_LINES if any(self.line(n)[part].data not in (None, "")
                                              for part in ("description", "miles", "amount"))]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators=extra_validators)
        for number in self.used_lines():
            valid = self._check_line(number, self.line(number)) and valid
        return valid

    @staticmethod
    def _check_line(number: int, line: dict) -> bool:
        kind = line["kind"].data
        problems = [
            (line["kind"], "Choose mileage or another agreed cost", not kind),
            (line["description"], "Say what this line is for", not line["description"].data),
            (line["miles"], "Enter the miles", kind == LineKind.MILEAGE.value and line["miles"].data is None),
            (line["miles"], "Miles are only for mileage: leave the miles empty or choose mileage",
             kind == LineKind.OTHER.value and line["miles"].data is not None),
            (line["amount"], "Enter the amount", line["amount"].data is None),
            (line["amount"], "The amount must be more than £0", line["amount"].data == 0),
        ]
        for field, message, wrong in problems:
            if wrong and not field.errors:
                field.errors = [*field.errors, f"Extra line {number}: {message[0].lower()}{message[1:]}"]
        return not any(field.errors for field in line.values())

    def extra_lines(self) -> list[tuple[str, str, int, int]]:
        """(kind, description, quantity, unit pence) of each filled-in line."""
        lines = []
        for number in self.used_lines():
            line = self.line(number)
            mileage = line["kind"].data == LineKind.MILEAGE.value
            lines.append((line["kind"].data, line["description"].data, line["miles"].data if mileage else 1,
                          line["amount"].data))
        return lines

    def fill_from(self, invoice) -> None:
        """Prefill from an invoice being corrected."""
        self.period_start.data, self.period_end.data = invoice.period_start, invoice.period_end
        self.hours.data, self.minutes.data = divmod(invoice.minutes, 60)
        self.rate.data, self.note.data = invoice.rate_pence, invoice.note
        extras = [line for line in invoice.lines if line.kind in (LineKind.MILEAGE, LineKind.OTHER)]
        for number, line in zip(EXTRA_LINES, extras, strict=False):
            fields = self.line(number)
            fields["kind"].data, fields["description"].data = line.kind.value, line.description
            fields["miles"].data = line.quantity if line.kind == LineKind.MILEAGE else None
            fields["amount"].data = line.unit_pence


class BrokerInvoiceForm(BaseForm):
    """The period: the time logged in it is invoiced at the hourly fee agreed."""

    period_start, period_end = _period_fields()
    note = _note_field()


class AnswerForm(BaseForm):
    message = textarea_field("Your answer", message="Write your answer", max_length=2000,
                             description="The person will see this with the invoice.")
