"""Forms for asking a broker, answering, logging time, band changes, ending and reviewing."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovSelect,
    GovTextInput,
)
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.core.fields import CheckboxesField, DateField, WholeNumberField, coerce_id
from app.core.forms import BaseForm, email_field, radio_field, strip, textarea_field
from app.core.reference import BROKERAGE_FUNCTION_HINTS, BROKERAGE_FUNCTIONS, QUALITY_ANSWERS, QUALITY_QUESTIONS


class AskBrokerForm(BaseForm):
    holder_id = radio_field("Who is this for?", "Choose who you are asking for", coerce=coerce_id)
    help_wanted = CheckboxesField(
        "What would you like help with?", description="Choose all that apply.",
        choices=[(key, f"{label}: {BROKERAGE_FUNCTION_HINTS[key]}") for key, label in BROKERAGE_FUNCTIONS.items()],
        required_message="Choose at least one kind of help")
    message = textarea_field("Your message to the broker",
                             description="Say a little about yourself and what you want. You can share more later.",
                             message="Write a short message to the broker", max_length=2000)
    consent = BooleanField(
        "I agree to share my name, my message and the district I live in with this broker, so they can answer",
        widget=GovCheckboxInput(),
        validators=[DataRequired(message="You need to agree to share your details with this broker so they can answer")])


class DeclineForm(BaseForm):
    reason = textarea_field("Why can you not take this on?", message="Tell the person why, so they can choose another broker",
                            description="The person will see this.", max_length=1000)


class TimeEntryForm(BaseForm):
    worked_on = DateField("Date", description="For example, 20 11 2026", required_message="Enter the date you did the work")
    hours = WholeNumberField("Hours", minimum=0, maximum=12)
    minutes = WholeNumberField("Minutes", minimum=0, maximum=59)
    function = radio_field("Which kind of brokerage work was it?", "Choose which kind of brokerage work this was",
                           choices=list(BROKERAGE_FUNCTIONS.items()))
    note = textarea_field("Note (optional)", max_length=1000)

    def total_minutes(self) -> int:
        return (self.hours.data or 0) * 60 + (self.minutes.data or 0)


class BandChangeForm(BaseForm):
    to_band_id = radio_field("Which band is needed?", "Choose the band you need", coerce=coerce_id)
    reason = textarea_field("Why are more hours needed?", message="Explain why more hours are needed",
                            description="Your hub lead decides.", max_length=2000)


class EndEngagementForm(BaseForm):
    reason = textarea_field("Why is the work ending? (optional)", max_length=1000)
    confirm = BooleanField("Yes, end this engagement", widget=GovCheckboxInput(),
                           validators=[DataRequired(message="Confirm you want to end the engagement")])


class BrokerEndForm(BaseForm):
    reason = textarea_field("Why is the work ending?", message="Tell the person why the work is ending",
                            description="The person will see this.", max_length=1000)


class DecisionWithNoteForm(BaseForm):
    decision = radio_field("Decision", "Choose approve or decline",
                           choices=[("approve", "Approve"), ("decline", "Decline")])
    note = textarea_field("Note (the broker will see this)", max_length=1000)


class ModerationForm(BaseForm):
    decision = radio_field("Decision", "Choose publish or do not publish",
                           choices=[("publish", "Publish on the broker's profile"), ("reject", "Do not publish")])
    note = textarea_field("Reason if not published", max_length=1000)


class ReplyForm(BaseForm):
    reply = textarea_field("Your reply", message="Enter your reply", max_length=2000,
                           description="You can reply once. Your hub lead checks your reply, as they check reviews, before it is shown under the review.")


class NewClientForm(BaseForm):
    name = StringField("The person's full name", widget=GovTextInput(), filters=[strip],
                       validators=[DataRequired(message="Enter the person's full name"), Length(max=120)])
    district = StringField("The district they live in (optional)", description="The first part of their postcode, like W9",
                           widget=GovTextInput(), filters=[strip], validators=[Optional(), Length(max=8)])
    email = email_field("Their email address (optional)",
                        description="We will email them a link to claim their record and sign in themselves.")
    consent_method = radio_field("How did they agree to share their details with you?",
                                 "Say how the person gave their consent",
                                 choices=[("verbal", "Verbally, for example by phone"), ("written", "In writing")])
    consent_note = textarea_field("When and how did they agree?", message="Record when and how the person agreed",
                                  description="For example: by phone on 20 November 2026, after I explained what I would keep.",
                                  max_length=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The email address is optional here.
        self.email.validators = [v for v in self.email.validators if not isinstance(v, DataRequired)]
        self.email.validators.insert(0, Optional())


class ClaimInviteForm(BaseForm):
    email = email_field("Their email address")


def review_form_class():
    """The review form: one Yes / No / Partly / Don't know question per quality question."""

    class ReviewForm(BaseForm):
        rating = radio_field("Overall, how would you rate your broker?", "Choose a rating from 1 to 5",
                             choices=[("5", "5: excellent"), ("4", "4: good"), ("3", "3: all right"), ("2", "2: poor"),
                                      ("1", "1: very poor")])
        comment = textarea_field("Anything else you want to say? (optional)",
                                 description="Your comment is shown on the broker's profile after your hub checks it. "
                                             "Do not include anyone's name or contact details.", max_length=2000)

    for key, question in QUALITY_QUESTIONS.items():
        setattr(ReviewForm, f"q_{key}", radio_field(
            question, "Answer this question (choose \u201cDon\u2019t know\u201d if you are not sure)",
            choices=list(QUALITY_ANSWERS.items())))
    return ReviewForm


class BandForm(BaseForm):
    code = StringField("Code", description="A short code, like A or LD1", widget=GovTextInput(), filters=[strip],
                       validators=[DataRequired(message="Enter a short code"), Length(max=8)])
    name = StringField("Name", widget=GovTextInput(), filters=[strip],
                       validators=[DataRequired(message="Enter the band's name"), Length(max=80)])
    hours = WholeNumberField("Hours", minimum=1, maximum=200, required_message="Enter the hours for this band")
    description = textarea_field("Description (optional)", max_length=1000)
    active = SelectField("Can it be used for new work?", widget=GovSelect(),
                         choices=[("yes", "Yes"), ("no", "No, keep it for existing engagements only")])
