"""Forms for the person's company, its funding streams and money received, and for the funder
officer who confirms a stream. Field names are the ones the services name in their errors, so
each message lands beside its field."""

from __future__ import annotations

import re

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovTextInput
from wtforms import RadioField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.core.fields import CheckboxesField, DateField, OneOffKeyField, PoundsField, coerce_id
from app.core.forms import BaseForm, radio_field, strip, textarea_field
from app.ledger.models import CompanyKind, PaymentSchedule
from app.ledger.services import CompanyDetails, StreamDetails
from app.taxonomy import services as taxonomy

OUTSIDE_THE_PORTAL = "other"  # the funder radio's value for a funder not on OurChoice
THE_PERSON = "self"  # the manager radio's value for the person themselves


def compact(value):
    """What a person types as "30-99-50" or "1234 5678": the digits without spaces or dashes."""
    return re.sub(r"[\s\-\u2010-\u2015]", "", value) if isinstance(value, str) else value


def compact_upper(value):
    value = compact(value)
    return value.upper() if isinstance(value, str) else value


def category_choices(kept=()) -> list[tuple[int, str]]:
    """The kinds of support a stream may pay for: those offered now, and any the stream already
    names that are no longer offered (so saving it does not drop them unseen)."""
    kept = set(kept or [])
    return [(c.id, c.name) for c in taxonomy.categories(active_only=False) if c.active or c.id in kept]


def _text(label: str, *, max_length: int, message: str | None = None, description: str = "", filters=(strip,),
          **kwargs) -> StringField:
    validators = [DataRequired(message=message)] if message else [Optional()]
    validators.append(Length(max=max_length, message=f"This must be {max_length} characters or fewer"))
    return StringField(label, description=description, widget=GovTextInput(), filters=list(filters),
                       validators=validators, **kwargs)


class CompanyForm(BaseForm):
    name = _text("The company's name", max_length=160, message="Enter the company's name",
                 description="As it appears on the bank account or at Companies House.")
    kind = radio_field("What kind of company is it?", "Choose what kind of company it is",
                       choices=CompanyKind.choices(),
                       description="A budget account is a bank account kept only for the budget, "
                                   "without registering a company.")
    companies_house_number = _text("Companies House number", max_length=20, filters=(compact_upper,),
                                   description="8 characters, like 01234567 or SC123456. It is on the "
                                               "certificate of incorporation.",
                                   render_kw={"spellcheck": "false", "autocomplete": "off"})
    manager = RadioField("Who manages the money day to day?", widget=GovRadioInput(), default=THE_PERSON,
                         validators=[Optional()],
                         description="They record money received and approve and pay invoices. The person and "
                                     "anyone who can act for them can still do this too.")
    bank_account_name = _text("Name on the account", max_length=120, render_kw={"autocomplete": "off"})
    bank_sort_code = _text("Sort code", max_length=20, filters=(compact,), description="6 digits, like 30-99-50",
                           render_kw={"inputmode": "numeric", "spellcheck": "false", "autocomplete": "off"})
    bank_account_number = _text("Account number", max_length=20, filters=(compact,), description="8 digits",
                                render_kw={"inputmode": "numeric", "spellcheck": "false", "autocomplete": "off"})

    def details(self) -> CompanyDetails:
        manager = self.manager.data
        return CompanyDetails(
            name=self.name.data or "", kind=self.kind.data or "",
            companies_house_number=self.companies_house_number.data or "",
            manager_delegation_id=None if manager in (None, "", THE_PERSON) else int(manager),
            bank_account_name=self.bank_account_name.data or "", bank_sort_code=self.bank_sort_code.data or "",
            bank_account_number=self.bank_account_number.data or "")


class _StreamFields(BaseForm):
    """What the person copies from the award letter."""

    name = _text("A name for this funding", max_length=160,
                 message="Enter a name for this funding, like Westminster personal budget 2026-27",
                 description="So you can tell it apart from other funding, like Westminster personal budget 2026-27.")
    allocation = PoundsField("Allocation for the whole period, in pounds",
                             required_message="Enter the allocation in pounds, like 24000",
                             description="The total the funder says you will get from the start to the end date.")
    starts_on = DateField("Start date", description="For example, 1 4 2026",
                          required_message="Enter the date the funding starts")
    ends_on = DateField("End date", description="For example, 31 3 2027. A period can be up to 3 years.",
                        required_message="Enter the date the funding ends")
    schedule = radio_field("How is the money paid?", "Choose how the money is paid", choices=PaymentSchedule.choices(),
                           description="As the award letter says.")
    category_ids = CheckboxesField(
        "What may it pay for?", coerce=coerce_id,
        description="Tick each kind of support the funder says this money may pay for. "
                    "Leave them all unticked if it may pay for any support.")

    def stream_details(self, *, funding_body_id: int | None, funder_name: str) -> StreamDetails:
        return StreamDetails(name=self.name.data or "", allocation_pence=self.allocation.data,
                             starts_on=self.starts_on.data, ends_on=self.ends_on.data, schedule=self.schedule.data or "",
                             funding_body_id=funding_body_id, funder_name=funder_name,
                             category_ids=list(self.category_ids.data or []))


def _funder_name_field() -> StringField:
    return _text("The funder's name", max_length=160, description="As it is written on the award letter.")


class NewStreamForm(_StreamFields):
    funding_body = radio_field("Who pays it?", "Choose who pays this funding",
                               description="Choose the funder on your award letter. If it is not in the list, "
                                           "choose the last option and type its name.")
    funder_name = _funder_name_field()
    key = OneOffKeyField()

    def details(self) -> StreamDetails:
        chosen = self.funding_body.data
        if chosen == OUTSIDE_THE_PORTAL:
            return self.stream_details(funding_body_id=None, funder_name=self.funder_name.data or "")
        return self.stream_details(funding_body_id=int(chosen), funder_name="")


class EditStreamForm(_StreamFields):
    """The same details; a funder outside the portal can be renamed (one in it cannot be changed:
    the view removes `funder_name` for those)."""

    funder_name = _funder_name_field()
    reason = textarea_field("Why are you changing it?", message="Say why you are changing it", max_length=1000,
                            description="For example: the council sent a new award letter on 3 November.")

    def details(self, stream) -> StreamDetails:
        if self.funder_name is None:
            return self.stream_details(funding_body_id=stream.funding_body_id, funder_name="")
        return self.stream_details(funding_body_id=None, funder_name=self.funder_name.data or "")


class ReceiptForm(BaseForm):
    amount = PoundsField("Amount received, in pounds", required_message="Enter the amount received, more than £0")
    received_on = DateField("Date it arrived in the bank account",
                            required_message="Enter the date the money arrived in the bank account")
    reference = _text("Reference on the bank statement", max_length=80,
                      message="Enter the reference on the bank statement",
                      description="The words beside the payment on the statement, like WCC DP 0425.")
    key = OneOffKeyField()


class ReverseReceiptForm(BaseForm):
    reason = textarea_field("Why are you reversing it?", message="Say why this is being reversed", max_length=1000,
                            description="For example: it was recorded twice, or against the wrong funding.")


class AllocationForm(BaseForm):
    allocation = PoundsField("Allocation for the whole period, in pounds",
                             required_message="Enter the allocation in pounds, like 24000")
    category_ids = CheckboxesField(
        "What may it pay for?", coerce=coerce_id,
        description="Tick each kind of support it may pay for. Leave them all unticked if it may pay for any support.")
    reason = textarea_field("The reason", message="Say why (for example: the care assessment of 3 November)",
                            max_length=1000,
                            description="The person is told, with this reason. For example: the care assessment "
                                        "of 3 November.")
