"""Provider forms: profile, spare capacity, staff, and a hub lead's verification."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovTextArea, GovTextInput
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.accounts.forms import name_field
from app.core.fields import CheckboxesField, PoundsField, coerce_id
from app.core.forms import BaseForm, email_field, radio_field, strip
from app.core.grid import SlotGridField
from app.core.money import HOURLY_MAXIMUM_PENCE
from app.core.reference import LANGUAGES, SKILLS, WORKER_GENDERS, choices
from app.providers.models import ProviderKind

YES_NO = [("yes", "Yes"), ("no", "No")]


class ProfileForm(BaseForm):
    name = StringField("Organisation name", widget=GovTextInput(), filters=[strip],
                       validators=[DataRequired(message="Enter your organisation's name"), Length(max=160)])
    kind = radio_field("Type of organisation", "Choose the type of organisation", choices=ProviderKind.choices())
    description = TextAreaField("About your organisation", widget=GovTextArea(), filters=[strip],
                                validators=[Optional(), Length(max=2000)])
    regulated_personal_care = radio_field("Do you deliver regulated personal care?", "Choose yes or no",
                                          description="Personal care that must be registered with the Care Quality Commission (CQC).",
                                          choices=YES_NO)
    cqc_number = StringField("CQC registration number", description="For example, 1-101234567",
                             widget=GovTextInput(), filters=[strip], validators=[Optional(), Length(max=16)],
                             render_kw={"spellcheck": "false"})
    category_ids = CheckboxesField("Services you offer", coerce=coerce_id,
                                   required_message="Choose at least one service you offer")
    districts = StringField("Postcode districts you serve", description="Separate them with commas, for example: W2, W9, NW8",
                            widget=GovTextInput(), filters=[strip],
                            validators=[DataRequired(message="Enter at least one postcode district you serve")])
    languages = CheckboxesField("Languages your staff speak", choices=choices(LANGUAGES))
    skills = CheckboxesField("Staff skills", choices=choices(SKILLS))
    worker_genders = CheckboxesField("Workers you can offer", choices=choices(WORKER_GENDERS))
    double_up = radio_field("Can you send two workers at once (double-up visits)?", "Choose yes or no", choices=YES_NO)
    drivers = radio_field("Do you have workers who drive?", "Choose yes or no", choices=YES_NO)
    rate_from = PoundsField("Typical hourly rate from, in pounds (optional)", maximum=HOURLY_MAXIMUM_PENCE)
    rate_to = PoundsField("Typical hourly rate up to, in pounds (optional)", maximum=HOURLY_MAXIMUM_PENCE)


class CapacityForm(BaseForm):
    slots = SlotGridField("When can you take new work?")


class StaffForm(BaseForm):
    name = name_field("Their full name", "Enter the person's full name")
    email = email_field("Their email address", description="We will email them an invitation to join.")


class VerifyForm(BaseForm):
    decision = radio_field("Verification", "Choose verified or not verified",
                           choices=[("verify", "I have checked their registration and insurance: verified"),
                                    ("decline_changes", "Keep them verified, but do not accept the new services or "
                                                        "districts waiting for my check"),
                                    ("unverify", "Not verified: they stop seeing needs posted to everyone")])
    note = TextAreaField("Note (the provider sees this)", widget=GovTextArea(), filters=[strip],
                         validators=[Optional(), Length(max=1000)])
