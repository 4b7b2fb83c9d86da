"""Hub forms (platform admin)."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovTextArea, GovTextInput
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.accounts.forms import name_field
from app.core.fields import DateField, PoundsField
from app.core.forms import BaseForm, email_field, radio_field, strip
from app.hubs.services import HubDetails


class HubForm(BaseForm):
    name = StringField("Hub name", widget=GovTextInput(), filters=[strip],
                       validators=[DataRequired(message="Enter the hub's name"), Length(max=160)])
    districts = StringField("Postcode districts covered",
                            description="Separate them with commas, for example: W2, W9, NW8",
                            widget=GovTextInput(), filters=[strip],
                            validators=[DataRequired(message="Enter at least one postcode district, like W9")])
    description = TextAreaField("About the area (optional)", widget=GovTextArea(), filters=[strip],
                                validators=[Optional(), Length(max=2000)])
    agreement_start = DateField("Agreement start date", description="For example, 1 4 2026")
    agreement_signed_on = DateField("Date the agreement was signed")
    agreement_end = DateField("Agreement end date (leave empty if it has none)")
    monthly_fee = PoundsField("Monthly fee to the centre, in pounds",
                              description="Due for each month that begins while the agreement runs. Enter 0 if there is none.",
                              required_message="Enter the monthly fee, or 0 if there is none")
    fee_per_new_client = PoundsField("Fee for each new client, in pounds",
                                     description="Due each time one of the hub's brokers starts working with a "
                                                 "new client. Enter 0 if there is none.",
                                     required_message="Enter the fee for each new client, or 0 if there is none")
    agreement_fee_arrangement = TextAreaField("Fee arrangement", widget=GovTextArea(), filters=[strip],
                                              description="What the hub pays the centre, and how",
                                              validators=[DataRequired(message="Describe the fee arrangement"),
                                                          Length(max=2000)])
    agreement_reference = StringField("Agreement document reference", widget=GovTextInput(), filters=[strip],
                                      validators=[DataRequired(message="Enter the agreement's document reference"),
                                                  Length(max=120)])

    def details(self) -> HubDetails:
        """What the admin typed, for `services.create_hub` / `update_hub`."""
        return HubDetails(
            name=self.name.data, districts=self.districts.data, description=self.description.data or "",
            agreement_start=self.agreement_start.data, agreement_signed_on=self.agreement_signed_on.data,
            agreement_end=self.agreement_end.data, monthly_fee_pence=self.monthly_fee.data or 0,
            fee_per_new_client_pence=self.fee_per_new_client.data or 0,
            agreement_fee_arrangement=self.agreement_fee_arrangement.data or "",
            agreement_reference=self.agreement_reference.data or "",
        )


class NewHubForm(HubForm):
    lead_name = name_field("Hub lead's full name", "Enter the hub lead's full name")
    lead_email = email_field("Hub lead's email address", description="We will email them an invitation.")


class HubStatusForm(BaseForm):
    status = radio_field("Change the hub's status", "Choose the new status",
                         choices=[("active", "Active: brokers listed and taking clients"),
                                  ("suspended", "Suspended: brokers hidden, clients told (can be reopened)"),
                                  ("closed", "Closed for good")])
    reason = TextAreaField("Reason (brokers and their clients will see this)", widget=GovTextArea(),
                           filters=[strip], validators=[Optional(), Length(max=1000)])
