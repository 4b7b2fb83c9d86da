"""Forms for writing a plan, the funder's answers, signatures, reviews and the thread. Field names
are the ones the services name in their errors, so each message lands beside its field."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovTextInput
from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import HiddenInput

from app.core.fields import CheckboxesField, DateField, PoundsField
from app.core.forms import BaseForm, radio_field, strip, textarea_field
from app.plans.content import stream_label
from app.plans.models import GivenBy, MoneyArrangement, Rating
from app.plans.sections import SECTIONS
from app.plans.writing import TEXT_LIMIT, LineDetails

INDICATIVE, UNPAID = "indicative", "unpaid"  # the "paid from" radio's values besides "stream-<id>"


def _text(label: str, *, max_length: int = 160, message: str | None = None, description: str = "") -> StringField:
    validators = [DataRequired(message=message)] if message else [Optional()]
    validators.append(Length(max=max_length, message=f"This must be {max_length} characters or fewer"))
    return StringField(label, description=description, widget=GovTextInput(), filters=[strip], validators=validators)


class NewPlanForm(BaseForm):
    funding_body = radio_field("Who is the plan for?", "Choose the funder the plan is for",
                               description="The council or other funder who will read, approve and sign it. "
                                           "You write one plan for each funder.")


class SectionForm(BaseForm):
    text = textarea_field("Your answer", max_length=TEXT_LIMIT)


class MoneyForm(BaseForm):
    arrangement = radio_field("How is the money paid and managed?", "Choose how the money is paid and managed",
                              choices=MoneyArrangement.choices())
    text = textarea_field("How you stay in control", max_length=TEXT_LIMIT,
                          description="Who makes the decisions, who keeps the records, and who helps you.")


class StartForm(BaseForm):
    starts_on = DateField("Date the support starts", description="For example, 4 1 2027",
                          required_message="Enter the date the support starts")
    review_weeks = radio_field("When should the first review be?", "Choose when the first review should be",
                               choices=[("6", "6 weeks after support starts"), ("7", "7 weeks after"),
                                        ("8", "8 weeks after")], coerce=int)


class LineForm(BaseForm):
    need = textarea_field("Which need does this meet?", message="Say which need this meets", max_length=1000,
                          description="As the care assessment describes it, like “help to wash and dress each morning”.")
    support = textarea_field("What is the support?", message="Describe the support", max_length=1000)
    given_by = radio_field("Who gives it?", "Choose who gives the support", choices=GivenBy.choices())
    given_by_name = _text("Their name (optional)", description="The provider, person, group or equipment.")
    quantity = _text("How many hours, or how much?", message="Say how many hours, or how much",
                     description="For example, “7 hours a week” or “one wheelchair”.")
    cost = PoundsField("What it costs a year, in pounds", description="Leave empty if it is unpaid or free.")
    paid_by = radio_field("What pays for it?", "Choose what pays for it")

    def details(self) -> LineDetails:
        paid = self.paid_by.data or ""
        stream_id = int(paid.split("-", 1)[1]) if paid.startswith("stream-") and paid[7:].isdigit() else None
        return LineDetails(need=self.need.data or "", support=self.support.data or "", given_by=self.given_by.data or "",
                           given_by_name=self.given_by_name.data or "", quantity=self.quantity.data or "",
                           cost_pence=self.cost.data, paid_by="stream" if stream_id else paid,
                           funding_stream_id=stream_id)


def paid_by_choices(streams) -> list[tuple[str, str]]:
    return [*((f"stream-{s.id}", stream_label(s)) for s in streams),
            (INDICATIVE, "The funder’s budget, not yet set up as funding"), (UNPAID, "Nobody: it is unpaid or free")]


class SubmitForm(BaseForm):
    explanation = textarea_field("Why the plan costs more than the money available", max_length=TEXT_LIMIT,
                                 description="Only needed when the plan is over budget. The funder reads this.")
    agree = BooleanField("I have read this plan and I agree with it", widget=GovCheckboxInput(),
                         validators=[DataRequired(message="Confirm that you agree with the plan")])


class ChangesForm(BaseForm):
    sections = CheckboxesField("Which parts need to change?", choices=[(s.key, s.heading) for s in SECTIONS],
                               required_message="Choose the part or parts of the plan to change")
    reason = textarea_field("What needs to change, and why?", message="Say what needs to change, and why",
                            max_length=2000, description="The person, their helpers and their broker read this.")


class VersionForm(BaseForm):
    """A button that answers one version: the number of the version the page showed."""

    version = IntegerField(widget=HiddenInput(), validators=[Optional()])


class SignForm(BaseForm):
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    confirm = BooleanField("I have read this version of the plan and I sign it", widget=GovCheckboxInput(),
                           validators=[DataRequired(message="Confirm that you have read this version and sign it")])


class EarlyReviewForm(BaseForm):
    reason = textarea_field("Why do you want an early review?", message="Say why you want an early review",
                            max_length=2000)


class MessageForm(BaseForm):
    body = textarea_field("Your message", message="Write your message", max_length=4000,
                          description="Everyone with a part in the plan reads it.")


class BudgetForm(BaseForm):
    amount = PoundsField("Indicative budget for a year, in pounds",
                         required_message="Enter the indicative budget for a year, more than £0")


def review_form(outcomes: list[str]) -> BaseForm:
    """The review: notes, and met / partly / not met for each outcome of the plan in force."""

    class ReviewForm(BaseForm):
        pass

    for n, outcome in enumerate(outcomes):
        setattr(ReviewForm, f"outcome_{n}", radio_field(f"“{outcome}”", f"Say whether “{outcome}” was met",
                                                        choices=Rating.choices()))
    # After the outcomes, as on the page, so the error summary lists problems in the page's order.
    ReviewForm.notes = textarea_field("What did the review find?", message="Write what the review found",
                                      max_length=TEXT_LIMIT)
    form = ReviewForm()
    form.outcome_fields = [form[f"outcome_{n}"] for n in range(len(outcomes))]
    return form
