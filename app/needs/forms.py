"""Forms for posting needs, publishing and re-opening them, offers, messages and agreements."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovTextInput,
)
from wtforms import BooleanField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.core.fields import CheckboxesField, DateField, PoundsField, WholeNumberField, coerce_id
from app.core.forms import BaseForm, strip, textarea_field
from app.core.grid import SlotGridField
from app.core.money import HOURLY_MAXIMUM_PENCE
from app.core.reference import LANGUAGES, SKILLS, WORKER_GENDERS, choices
from app.needs.models import Medication, Urgency, Visibility

RESPONSE_WINDOWS = [("1", "1 hour (urgent only)"), ("2", "2 hours (urgent only)"), ("4", "4 hours (urgent only)"),
                    ("8", "8 hours (urgent only)"), ("12", "12 hours"), ("24", "24 hours"), ("48", "48 hours"),
                    ("72", "3 days"), ("120", "5 days"), ("168", "7 days")]


def district_field(description: str, too_long: str) -> StringField:
    """A postcode district (W9), never a full address."""
    return StringField("Postcode district", description=description, widget=GovTextInput(), filters=[strip],
                       validators=[DataRequired(message="Enter the postcode district, like W9"),
                                   Length(max=8, message=too_long)],
                       render_kw={"spellcheck": "false"})


class NeedForm(BaseForm):
    category_id = SelectField("Kind of service", widget=GovSelect(), coerce=coerce_id,
                              validators=[InputRequired(message="Choose the kind of service needed")])
    district = district_field("Only the first part of the postcode, like W9. Never the full address.",
                              "Enter the postcode district only, like W9 (never the full address)")
    schedule = SlotGridField("When is support needed?")
    times_note = StringField("Times in more detail (optional)", description="For example: 7.30am to 8.30am and 6pm to 7pm",
                             widget=GovTextInput(), filters=[strip], validators=[Optional(), Length(max=300)])
    hours = WholeNumberField("Hours", minimum=0, maximum=168)
    minutes = WholeNumberField("Minutes", minimum=0, maximum=59)
    start_date = DateField("Start date", description="For example, 1 12 2026", required_message="Enter the start date")
    end_date = DateField("End date (leave empty if ongoing)")
    required_skills = CheckboxesField("Skills the worker needs", choices=choices(SKILLS))
    required_languages = CheckboxesField("Languages the worker needs to speak", choices=choices(LANGUAGES))
    worker_gender = RadioField("Worker", widget=GovRadioInput(),
                               choices=[("", "No preference")] + choices(WORKER_GENDERS), default="",
                               validators=[Optional()])
    double_up = BooleanField("Two workers are needed at once (double-up)", widget=GovCheckboxInput())
    driver = BooleanField("The worker needs to drive", widget=GovCheckboxInput())
    urgency = RadioField("How urgent is it?", widget=GovRadioInput(), choices=Urgency.choices(),
                         default=Urgency.ROUTINE.value, validators=[InputRequired(message="Choose how urgent it is")])
    max_rate = PoundsField("Most you can pay an hour, in pounds", required_message="Enter the most you can pay an hour",
                           maximum=HOURLY_MAXIMUM_PENCE)
    public_description = textarea_field(
        "Description for providers",
        description="What the support is for, in a way that does not identify the person: no name, address or "
                    "other details someone could recognise them by.",
        message="Describe the support needed", max_length=2000)
    health_conditions = textarea_field("Health conditions and disabilities (private)", max_length=2000)
    medication = RadioField("Help with medication (private)", widget=GovRadioInput(),
                            choices=Medication.choices(), default=Medication.NONE.value,
                            validators=[InputRequired(message="Choose the help needed with medication")])
    medication_notes = textarea_field("About the medication (private, optional)", max_length=1000)
    address = textarea_field("Address (private)", max_length=500)
    access_arrangements = textarea_field("Getting in: key safe, door, pets (private)", max_length=1000)

    def minutes_per_week(self) -> int:
        return (self.hours.data or 0) * 60 + (self.minutes.data or 0)


class PublishForm(BaseForm):
    response_hours = SelectField("How long do providers have to apply?", widget=GovSelect(),
                                 choices=RESPONSE_WINDOWS, default="48")
    visibility = RadioField("Who can see it?", widget=GovRadioInput(), choices=Visibility.choices(),
                            default=Visibility.ALL_VERIFIED.value,
                            validators=[InputRequired(message="Choose who can see the need")])
    invited_ids = CheckboxesField("Invite named providers (optional)", coerce=coerce_id)


class ReopenForm(BaseForm):
    response_hours = SelectField("New deadline: how long do providers have to apply?", widget=GovSelect(),
                                 choices=RESPONSE_WINDOWS, default="48")
    max_rate = PoundsField("New maximum hourly rate, in pounds (optional, can only go up)", maximum=HOURLY_MAXIMUM_PENCE)
    travel_supplement = PoundsField("Travel supplement per hour, in pounds (optional)", maximum=HOURLY_MAXIMUM_PENCE)
    invited_ids = CheckboxesField("Invite named providers (optional)", coerce=coerce_id)


class ReasonForm(BaseForm):
    reason = textarea_field("Reason", message="Give the reason", max_length=1000)


class GapForm(BaseForm):
    note = textarea_field("What is missing?", message="Describe the gap, so your hub can act on it",
                    description="For example: no provider offers Tamil-speaking workers in W10.", max_length=2000)


class RaiseGapForm(BaseForm):
    """A gap no posted need shows: a kind of service nobody offers where it was needed."""

    engagement_id = SelectField("Who is it about?", widget=GovSelect(), coerce=coerce_id, validators=[Optional()],
                                description="Their hub's answer will reach them too, in plain words.")
    category_id = SelectField("Kind of service", widget=GovSelect(), coerce=coerce_id,
                              validators=[InputRequired(message="Choose the kind of service that was needed")])
    district = district_field("Only the first part of the postcode, like W9.", "Enter the postcode district only, like W9")
    needed = textarea_field("What was needed?", message="Say what was needed", max_length=2000,
                            description="For example: an Arabic-speaking personal assistant, weekday mornings.")
    happened = textarea_field("What happened when you looked for it?", message="Say what happened when you looked for it",
                              max_length=2000,
                              description="For example: the three agencies serving W10 have no Arabic-speaking workers.")


class OfferForm(BaseForm):
    hourly_rate = PoundsField("Your hourly rate, in pounds", required_message="Enter your hourly rate",
                              maximum=HOURLY_MAXIMUM_PENCE)
    confirm_above_maximum = BooleanField("Send my offer at this rate, above the maximum", widget=GovCheckboxInput())
    proposed_start = DateField("When could you start?", required_message="Enter the date you could start")
    requirements_met = CheckboxesField("Which requirements can you meet?")
    message = textarea_field("How would you meet this need?", message="Say how you would meet the need",
                       description="Who would do it, their experience, and anything the broker should know.",
                       max_length=3000)
    worker_languages = CheckboxesField("Languages the worker speaks", choices=choices(LANGUAGES))
    worker_gender = RadioField("The worker is", widget=GovRadioInput(),
                               choices=[("", "Not decided yet")] + choices(WORKER_GENDERS), default="",
                               validators=[Optional()])


class MessageForm(BaseForm):
    body = textarea_field("Your message", message="Enter your message", max_length=2000)


class DeclineProposalForm(BaseForm):
    note = textarea_field("Why not this one?", message="Tell your broker why, so they can find something better",
                    max_length=1000)


class HandBackForm(BaseForm):
    notice_ends_on = DateField("Last day you will provide support", required_message="Enter the last day of support")
    reason = textarea_field("Why are you handing the support back?", message="Say why you are handing the support back",
                      max_length=1000)


class GapResponseForm(BaseForm):
    response = textarea_field("Your response", message="Enter your response", max_length=2000,
                        description="The broker who raised or saw this gap will be told.")


class GapClosingForm(GapResponseForm):
    """The hub lead's response to a gap, which can also close it."""

    close = BooleanField("Close this gap: it has been dealt with", widget=GovCheckboxInput())


class BoardFilterForm(BaseForm):
    class Meta:
        csrf = False

    category = SelectField("Service", widget=GovSelect(), coerce=coerce_id, validators=[Optional()])
    district = SelectField("District", widget=GovSelect(), validators=[Optional()])
    urgent = BooleanField("Urgent needs only", widget=GovCheckboxInput())


class CategoryForm(BaseForm):
    name = StringField("Name", widget=GovTextInput(), filters=[strip],
                       validators=[DataRequired(message="Enter the category's name"), Length(max=120)])
    description = textarea_field("Description (optional)", max_length=1000)
    regulated = RadioField("Is it regulated personal care (needs CQC registration)?", widget=GovRadioInput(),
                           choices=[("yes", "Yes"), ("no", "No")], default="no",
                           validators=[InputRequired(message="Choose yes or no")])
    active = RadioField("Can it be chosen?", widget=GovRadioInput(), choices=[("yes", "Yes"), ("no", "No, retired")],
                        default="yes", validators=[InputRequired(message="Choose yes or no")])
