"""Forms for applying as a broker, checking applications, and the broker standards."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSelect, GovTextArea, GovTextInput
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.brokers.models import BusinessType, ConflictKind, ConflictRelationship
from app.core.fields import CheckboxesField, DateField, PoundsField, WholeNumberField, coerce_id
from app.core.forms import BaseForm, radio_field, strip
from app.core.money import HOURLY_MAXIMUM_PENCE
from app.core.reference import LANGUAGES, SPECIALISMS, choices


def text(label: str, message: str, max_length: int = 160, description: str = "", required: bool = True):
    validators = [DataRequired(message=message)] if required else [Optional()]
    validators.append(Length(max=max_length, message=f"{label} must be {max_length} characters or fewer"))
    return StringField(label, description=description, widget=GovTextInput(), filters=[strip], validators=validators)


class BrokerFilterForm(BaseForm):
    """The filters on the list of brokers (a GET form: filters stay in the address)."""

    class Meta:
        csrf = False

    district = SelectField("District", widget=GovSelect(), validators=[Optional()])
    specialism = SelectField("Specialism", widget=GovSelect(), validators=[Optional()],
                             choices=[("", "Any specialism")] + choices(SPECIALISMS))
    language = SelectField("Language", widget=GovSelect(), validators=[Optional()],
                           choices=[("", "Any language")] + choices(LANGUAGES))
    accepting = BooleanField("Only brokers taking new clients", widget=GovCheckboxInput())


class HubChoiceForm(BaseForm):
    hub_id = radio_field("Which hub are you applying to?", "Choose the hub you are applying to", coerce=coerce_id)


class BusinessForm(BaseForm):
    trading_name = text("Trading name", "Enter the name you trade under (this can be your own name)",
                        description="The name clients will see, which can be your own name.")
    business_type = radio_field("How do you trade?", "Choose sole trader or limited company",
                                choices=BusinessType.choices())
    company_number = StringField("Company number", description="8 digits, or 2 letters and 6 digits, like SC123456",
                                 widget=GovTextInput(), filters=[strip],
                                 validators=[Optional(), Length(max=12)], render_kw={"spellcheck": "false"})


class AccreditationForm(BaseForm):
    course_id = SelectField("Course", widget=GovSelect(), coerce=coerce_id,
                            validators=[InputRequired(message="Choose your course")])
    certificate_number = text("Certificate number", "Enter your certificate number", 40)
    awarded_on = DateField("Date awarded", description="For example, 27 3 2025",
                           required_message="Enter the date you were awarded the certificate")


class DBSForm(BaseForm):
    certificate_number = text("DBS certificate number", "Enter your DBS certificate number", 20,
                              description="The 12-digit number on your certificate")
    issued_on = DateField("Date of issue", description="For example, 27 3 2025",
                          required_message="Enter the date your DBS certificate was issued")


class InsuranceForm(BaseForm):
    insurer = text("Insurer", "Enter the name of your insurer")
    policy_number = text("Policy number", "Enter your policy number", 60)
    expires_on = DateField("Expiry date", description="For example, 31 12 2027",
                           required_message="Enter the date your insurance ends")


class ConflictForm(BaseForm):
    organisation = text("Name of the provider or funder", "Enter the name of the organisation")
    kind = radio_field("What kind of organisation is it?", "Choose provider or funder", choices=ConflictKind.choices())
    relationship_type = radio_field("What is your link with it?", "Choose your link with the organisation",
                                    choices=ConflictRelationship.choices())
    details = TextAreaField("Details (optional)", widget=GovTextArea(), filters=[strip],
                            validators=[Optional(), Length(max=1000, message="Details must be 1000 characters or fewer")])


class NoConflictsForm(BaseForm):
    confirm = BooleanField("I have no links with any care provider or funder: no employment, ownership or family links",
                           widget=GovCheckboxInput(),
                           validators=[DataRequired(message="Confirm you have no links, or add the links you have")])


class ProfileForm(BaseForm):
    specialisms = CheckboxesField("Specialisms", choices=choices(SPECIALISMS),
                                  required_message="Choose at least one specialism")
    languages = CheckboxesField("Languages you work in", choices=choices(LANGUAGES),
                                required_message="Choose at least one language you work in")
    districts = CheckboxesField("Districts you cover", required_message="Choose at least one district")
    profile_text = TextAreaField(
        "About you, in your own words",
        description="What you are good at and how you like to work. Do not include phone numbers or email addresses.",
        widget=GovTextArea(), filters=[strip],
        validators=[DataRequired(message="Write a short profile in your own words"),
                    Length(max=1500, message="Your profile must be 1500 characters or fewer")])
    lived_experience = TextAreaField(
        "Lived experience (optional)",
        description="If you want to, say what experience of disability or care you bring.",
        widget=GovTextArea(), filters=[strip],
        validators=[Optional(), Length(max=1000, message="This must be 1000 characters or fewer")])
    hourly_fee = PoundsField("Hourly fee, in pounds (optional)", description="For example, 35 or 37.50",
                             maximum=HOURLY_MAXIMUM_PENCE)


def profile_form_class(bands) -> type[ProfileForm]:
    """The profile form, with one fee box per current brokerage band (`fee_band_<id>`)."""

    class Form(ProfileForm):
        def fee_fields(self) -> list:
            return [getattr(self, f"fee_band_{band.id}") for band in bands]

        def band_fees(self) -> dict[int, int]:
            """band id -> pence, for the bands given a fee."""
            fees = {band.id: getattr(self, f"fee_band_{band.id}").data for band in bands}
            return {band_id: pence for band_id, pence in fees.items() if pence is not None}

    for band in bands:
        setattr(Form, f"fee_band_{band.id}", PoundsField(f"Fee for {band.label}, in pounds (optional)"))
    return Form


class AvailabilityForm(BaseForm):
    accepting = radio_field("Are you taking new clients?", "Choose yes or no",
                            choices=[("yes", "Yes"), ("no", "No, not at the moment")])
    max_clients = WholeNumberField("How many clients can you work with at once?", minimum=0, maximum=200,
                                   required_message="Enter how many clients you can work with",
                                   description="People see how many places you have left.")


class DecisionForm(BaseForm):
    decision = radio_field("Decision", "Choose approve or ask for changes",
                           choices=[("approve", "Approve"), ("reject", "Ask for changes")])
    reason = TextAreaField("Reason (the applicant will see this)", widget=GovTextArea(), filters=[strip],
                           validators=[Optional(), Length(max=1000)])


class CourseForm(BaseForm):
    title = text("Course title", "Enter the course title", 200)
    awarding_body = text("Awarding body", "Enter the awarding body, like Open College Network")
    level = text("Level", "Enter the level, like Level 3", 40)


class StandardsForm(BaseForm):
    text = TextAreaField("Text of the standards", widget=GovTextArea(), filters=[strip],
                         validators=[DataRequired(message="Enter the text of the standards"),
                                     Length(max=50000)])
    summary_of_changes = TextAreaField("What has changed (optional)", widget=GovTextArea(), filters=[strip],
                                       validators=[Optional(), Length(max=2000)])
