"""The person's forms for invoices: querying one, paying one (split over funding streams if they
choose), reversing a payment recorded by mistake, and the standing approval of an agreement."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from markupsafe import Markup
from wtforms import Field, StringField
from wtforms.validators import DataRequired, Length

from app.core.fields import DateField, OneOffKeyField, PoundsField, WholeNumberField
from app.core.forms import BaseForm, radio_field, strip, textarea_field


class QueryForm(BaseForm):
    message = textarea_field("What do you want to ask?", message="Say what you want to ask about the invoice",
                             description="The provider or broker who sent it will see this and can answer or send "
                                         "a corrected invoice.", max_length=2000)


class ErrorsOnly(Field):
    """Holds what the service says about a group of fields (the template draws the group)."""

    def __call__(self, **kwargs):
        return Markup("")


class PayForm(BaseForm):
    key = OneOffKeyField()
    shares = ErrorsOnly("Which funding stream pays")
    reference = StringField("Bank transfer reference", widget=GovTextInput(), filters=[strip],
                            description="As it shows on the bank statement, for example OC-000123",
                            validators=[DataRequired(message="Enter the reference of the bank transfer"),
                                        Length(max=80, message="The reference must be 80 characters or fewer")])
    paid_on = DateField("Date paid", description="The day the bank transfer was made. For example, 27 11 2026",
                        required_message="Enter the date you paid")
    over_allocation_reason = textarea_field(
        "If this payment goes past a stream's allocation, why? (optional otherwise)",
        description="For example: the council agreed extra hours after a hospital stay.", max_length=1000)

    def share_fields(self):
        return [field for field in self if field.name.startswith("share_")]

    def share_amounts(self) -> dict[int, int]:
        return {int(field.name.removeprefix("share_")): field.data for field in self.share_fields() if field.data}


class CardPayForm(BaseForm):
    """Paying on Stripe's page: only which streams pay (and why past an allocation) are asked here."""

    key = OneOffKeyField()
    shares = ErrorsOnly("Which funding stream pays")
    over_allocation_reason = PayForm.over_allocation_reason
    share_fields = PayForm.share_fields
    share_amounts = PayForm.share_amounts


def pay_form_class(choices, base=PayForm):
    """A pay form with an amount box for each of the person's streams (`choices`: PayChoice)."""

    class _PayForm(base):
        pass

    for choice in choices:
        stream = choice.stream
        funder, name = stream.funder_label.lower(), stream.name.lower()
        label = stream.name if funder in name or name in funder else f"{stream.name} ({stream.funder_label})"
        setattr(_PayForm, f"share_{stream.id}", PoundsField(label, description=choice.hint))
    return _PayForm


class ReversePaymentForm(BaseForm):
    reason = textarea_field("Why are you reversing this payment?", message="Say why the payment is being reversed",
                            description="For example: recorded twice, or the bank transfer was not made. The "
                                        "provider or broker will see this.", max_length=1000)


class StandingApprovalForm(BaseForm):
    choice = radio_field("How should invoices for this agreement be approved?", "Choose how invoices are approved",
                         choices=[("every", "I will look at every invoice before it is approved"),
                                  ("standing", "Approve them for me after a waiting period, unless an invoice is "
                                               "for more than the agreement")])
    waiting_days = WholeNumberField("Waiting period", minimum=1, maximum=60,
                                    description="From 1 to 60 days; left empty, 7 days. An invoice can still be "
                                                "queried while it waits.")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators=extra_validators)
        typed = "".join(self.waiting_days.raw_data or [])
        if self.choice.data == "every" and self.waiting_days.errors and "\x00" not in typed:
            self.waiting_days.errors = []  # no waiting period is used: a number out of range is not in the way
            return not any(field.errors for field in self)
        return valid
