"""Admin forms: finding a user, audit log filters and funding bodies."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovTextInput
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.core.forms import BaseForm, radio_field, strip
from app.core.widgets import DateInput
from app.funders.models import FundingBodyKind


class UserSearchForm(BaseForm):
    """A GET form, so a search can be bookmarked or shared with another admin."""

    class Meta:
        csrf = False

    q = StringField("Name or email address", description="Part of it is enough, for example okafor or @example.org.",
                    widget=GovTextInput(), filters=[strip],
                    validators=[DataRequired(message="Enter part of a name or an email address"),
                                Length(max=254, message="Enter 254 characters or fewer")])


class AuditFilterForm(BaseForm):
    """A GET form: filters live in the URL so a filtered view can be bookmarked."""

    class Meta:
        csrf = False

    action = SelectField("Event", widget=GovSelect(), validators=[Optional()])
    actor_email = StringField("Done by (email address)", widget=GovTextInput(), filters=[strip],
                              validators=[Optional(), Length(max=254)])
    object_type = StringField("Record type", description="For example User, Invitation",
                              widget=GovTextInput(), filters=[strip], validators=[Optional(), Length(max=64)])
    object_id = StringField("Record number", widget=GovTextInput(), filters=[strip],
                            validators=[Optional(), Length(max=64)])
    since = DateField("From", widget=DateInput(), validators=[Optional()],
                      format="%d %m %Y", description="For example, 27 3 2026")
    until = DateField("To (inclusive)", widget=DateInput(), validators=[Optional()],
                      format="%d %m %Y")


class FundingBodyForm(BaseForm):
    name = StringField("Name", widget=GovTextInput(), filters=[strip],
                       validators=[DataRequired(message="Enter the funding body's name"),
                                   Length(max=160, message="Name must be 160 characters or fewer")])
    kind = radio_field("Type of funder", "Choose the type of funder", choices=FundingBodyKind.choices())
