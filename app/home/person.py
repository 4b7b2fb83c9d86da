"""A budget holder's own page (`/people/<id>`): their broker, requests and what is arranged. It
gathers what every feature holds for the person, so it lives here, above them all."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from app.core.forms import EmptyForm
from app.core.permissions import IsSignedIn, require
from app.core.reference import BROKERAGE_FUNCTIONS, COMMUNICATION_NEEDS, LANGUAGES
from app.engagements import services as engagements
from app.holders import services as holders
from app.home import bp
from app.home.waiting import waiting_for


@bp.get("/people/<int:holder_id>")
@require(IsSignedIn)
def person(holder_id: int):
    acting = holders.access(current_user, holder_id)
    holder = acting.holder
    return render_template(
        "home/person.html", acting=acting, holder=holder,
        engagement=engagements.active_engagement(holder), waiting=engagements.pending_request(holder),
        requests=engagements.holder_requests(holder), engagements=engagements.holder_engagements(holder),
        to_review=engagements.awaiting_review(holder.id), form=EmptyForm(), waiting_items=waiting_for(acting),
        BROKERAGE_FUNCTIONS=BROKERAGE_FUNCTIONS, COMMUNICATION_NEEDS=COMMUNICATION_NEEDS, LANGUAGES=LANGUAGES,
    )
