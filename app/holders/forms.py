"""Forms for a budget holder's own space: helpers, claiming a record, about me."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovTextInput
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from app.accounts.forms import name_field
from app.core.fields import CheckboxesField
from app.core.forms import BaseForm, email_field, radio_field, strip
from app.core.reference import COMMUNICATION_NEEDS, LANGUAGES, choices
from app.holders.models import DelegateAccess


class HelperForm(BaseForm):
    name = name_field("Their full name", "Enter the person's full name")
    email = email_field("Their email address", description="We will email them an invitation.")
    relationship = StringField("How do you know them? (optional)", description="For example: daughter, friend, advocate",
                               widget=GovTextInput(), filters=[strip], validators=[Optional(), Length(max=80)])
    access = radio_field("What can they do?", "Choose what they can do",
                         choices=[(a.value, f"{a.label}: {a.description}") for a in DelegateAccess])


class AboutForm(BaseForm):
    district = StringField("The district you live in", description="The first part of your postcode, like W9 or NW8",
                           widget=GovTextInput(), filters=[strip], validators=[Optional(), Length(max=8)],
                           render_kw={"autocomplete": "off", "spellcheck": "false"})
    communication_needs = CheckboxesField("How should people communicate with you? (optional)",
                                          choices=choices(COMMUNICATION_NEEDS))
    preferred_language = SelectField("Your preferred language (optional)", widget=GovSelect(),
                                     choices=[("", "No preference")] + choices(LANGUAGES), validators=[Optional()])
