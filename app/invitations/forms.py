"""Invitation forms."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSelect
from wtforms import SelectField
from wtforms.validators import InputRequired, Optional

from app.accounts.forms import confirm_password_field, name_field, new_password_field
from app.core.fields import coerce_id
from app.core.forms import BaseForm, email_field, radio_field
from app.core.roles import Role


class BrokerInvitationForm(BaseForm):
    name = name_field("Their full name", "Enter the person's full name")
    email = email_field("Their email address")
    hub_id = SelectField(
        "Hub", widget=GovSelect(), coerce=coerce_id,
        validators=[InputRequired(message="Choose the hub")],
    )


class AdminInvitationForm(BaseForm):
    name = name_field("Their full name", "Enter the person's full name")
    email = email_field("Their email address")
    role = radio_field("Invite them as", "Choose the role to invite them to", choices=[
        (Role.HUB_LEAD.value, "Hub lead (runs a hub)"),
        (Role.FUNDER_OFFICER.value, "Funder officer (council or health body)"),
        (Role.BROKER.value, "Associate broker (applies to join a hub)"),
        (Role.ADMIN.value, "Platform admin"),
    ])
    hub_id = SelectField(
        "Hub (for a hub lead or broker)", widget=GovSelect(), coerce=coerce_id,
        validators=[Optional()],
    )
    funding_body_id = SelectField(
        "Funding body (for a funder officer)", widget=GovSelect(), coerce=coerce_id,
        validators=[Optional()],
    )


class AcceptWithAccountForm(BaseForm):
    name = name_field()
    password = new_password_field()
    confirm_password = confirm_password_field()
