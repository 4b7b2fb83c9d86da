"""Directory forms: the search filters, a community service's details, suggestions and
moderation."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovRadioInput, GovSelect, GovTextInput
from wtforms import BooleanField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.core.contact_details import EmailAddressFormat, PhoneNumberFormat, WebAddressFormat
from app.core.fields import CheckboxesField, coerce_id
from app.core.forms import BaseForm, radio_field, strip, textarea_field
from app.core.reference import ACCESSIBILITY_FEATURES, LANGUAGES, choices


def text(label, *, message=None, max_length=200, description="", checks=()):
    validators = [DataRequired(message=message)] if message else [Optional()]
    validators.append(Length(max=max_length, message=f"This must be {max_length} characters or fewer"))
    validators.extend(checks)
    return StringField(label, description=description, widget=GovTextInput(), filters=[strip], validators=validators)


class EntryForm(BaseForm):
    name = text("Name of the service", message="Enter the name of the service")
    organisation_name = text("Who runs it (optional)")
    description = textarea_field("What it does", message="Describe what the service does", max_length=3000,
                                 description="Who it is for and what happens there, in plain words.")
    category_ids = CheckboxesField("Kind of service", coerce=coerce_id, required_message="Choose at least one kind of service")
    tags = text("Other words people might search for (optional)",
                description="Separate them with commas, for example: haircut, hairdresser, home visits")
    districts = text("Postcode districts it serves", description="For example: W9, W10. Leave empty if you give a postcode.")
    address = textarea_field("Address (optional)", max_length=500)
    postcode = text("Postcode (optional)", max_length=10)
    phone = text("Phone (optional)", max_length=40, checks=[PhoneNumberFormat()])
    email = text("Email (optional)", max_length=254, checks=[EmailAddressFormat()])
    website = text("Website (optional)", max_length=300, checks=[WebAddressFormat()])
    opening_times = textarea_field("Opening times", max_length=500, description="For example: Wednesdays 10am to 2pm")
    is_free = radio_field("Is it free?", "Choose free or not",
                          choices=[("yes", "Yes, free"), ("no", "No, there is a charge")], default="yes")
    cost = text("What it costs", max_length=300, description="For example: £3 for lunch")
    eligibility = textarea_field("Who can use it (optional)", max_length=1000)
    accessibility = CheckboxesField("Accessibility", choices=list(ACCESSIBILITY_FEATURES.items()))
    languages = CheckboxesField("Languages spoken", choices=choices(LANGUAGES))
    confirm_no_contact = BooleanField("Publish it with no phone, email, website or address",
                                      widget=GovCheckboxInput())


class SuggestNewForm(EntryForm):
    note = textarea_field("Anything the hub should know? (optional)", max_length=1000)


class CorrectionForm(BaseForm):
    note = textarea_field("What is wrong or missing?", message="Say what is wrong or missing", max_length=2000,
                          description="For example: the lunch club now meets on Thursdays.")


class DecisionForm(BaseForm):
    decision = radio_field("Decision", "Choose what to do with the suggestion",
                           choices=[("approve", "Publish it (with any changes made above)"),
                                    ("merge", "It is already listed: merge it with an existing entry"),
                                    ("reject", "Do not publish it")])
    merge_into = SelectField("Existing entry (for a merge)", widget=GovSelect(), coerce=coerce_id,
                             validators=[Optional()])
    decision_note = textarea_field("Note to the person who suggested it", max_length=1000)


class ResolveForm(BaseForm):
    decision = radio_field("Decision", "Choose what to do with the correction",
                           choices=[("resolve", "Dealt with (entry corrected, or passed on)"), ("reject", "Not accepted")])
    decision_note = textarea_field("Note to the person who suggested it", max_length=1000)


class MergeForm(BaseForm):
    keep_id = SelectField("Keep this entry", widget=GovSelect(), coerce=coerce_id,
                          validators=[InputRequired(message="Choose the entry to keep")])


class SearchForm(BaseForm):
    """The directory filters (a GET form, so results can be bookmarked and shared)."""

    class Meta:
        csrf = False

    q = StringField("Search the directory", widget=GovTextInput(), filters=[strip],
                    description="For example: befriending W9, lunch club, Polish", validators=[Optional(), Length(max=200)])
    kind = CheckboxesField("Type")
    category = CheckboxesField("Kind of service")
    district = CheckboxesField("District")
    language = CheckboxesField("Language")
    access = CheckboxesField("Accessibility")
    free = BooleanField("Free", widget=GovCheckboxInput())
    accepting = BooleanField("Taking new clients or has spare capacity", widget=GovCheckboxInput())
    verified = BooleanField("Checked in the last 12 months", widget=GovCheckboxInput())
    sort = RadioField("Sort by", widget=GovRadioInput(), default="relevance", validators=[Optional()])
    near = SelectField("Near", widget=GovSelect(), validators=[Optional()])
