"""Forms for agreeing to share a need's details, recording an agreement given by phone or in
writing, and recommending an offer."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput
from wtforms import BooleanField, HiddenField

from app.core.forms import BaseForm, radio_field, textarea_field


class SharingForm(BaseForm):
    confirm = BooleanField("I agree to share these details with the providers described above",
                           widget=GovCheckboxInput())
    shown = HiddenField()  # what the page showed (sharing.fingerprint), checked when agreeing


class AcceptForm(BaseForm):
    terms = HiddenField()  # the terms the check page showed (Terms.fingerprint)


class RecordSharingForm(BaseForm):
    method = radio_field("How did they agree?", "Say how the person agreed",
                         choices=[("verbal", "Verbally, for example by phone"), ("written", "In writing")])
    note = textarea_field("When and how did they agree?", message="Record when and how the person agreed",
                          description="For example: by phone on 2 December 2026, after I read out what providers "
                                      "will see.", max_length=1000)


class ProposeForm(BaseForm):
    reason = textarea_field("Why do you recommend this offer?", message="Say why you recommend this offer",
                            description="The person sees this beside the offer. They can still choose any offer "
                                        "on the shortlist.", max_length=1000)
