"""The hub lead's checks of broker applications."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from app.brokers import application, rules
from app.brokers.forms import DecisionForm
from app.brokers.models import VerificationStatus
from app.brokers.views import bp
from app.core.errors import DomainError, NotFound
from app.core.permissions import IsHubLead, require
from app.core.reference import LANGUAGES, SPECIALISMS


@bp.get("/hub/brokers")
@require(IsHubLead)
def review_list():
    brokers = application.hub_brokers(current_user)
    return render_template("brokers/hub/list.html", brokers=brokers,
                           accredited={b.id for b in brokers if rules.is_accredited(b)},
                           pending={b.id: sum(1 for v in b.verifications if v.status == VerificationStatus.PENDING)
                                    for b in brokers})


@bp.get("/hub/brokers/<int:broker_id>")
@require(IsHubLead)
def review_broker(broker_id: int):
    broker = application.broker_for_lead(current_user, broker_id)
    return _review_page(broker, {})


def _review_page(broker, forms: dict, status: int = 200):
    parts = application.parts(broker)
    for part in parts:
        if part.latest is not None and part.latest.id not in forms:
            forms[part.latest.id] = DecisionForm(prefix=f"v{part.latest.id}", formdata=None)
    history = sorted(broker.verifications, key=lambda v: v.id, reverse=True)
    return render_template("brokers/hub/review.html", broker=broker, parts=parts, forms=forms, history=history,
                           accredited=rules.is_accredited(broker), SPECIALISMS=SPECIALISMS, LANGUAGES=LANGUAGES,
                           standards=rules.accepted_version(broker), dbs_expiry=rules.dbs_expiry), status


@bp.post("/hub/verifications/<int:verification_id>")
@require(IsHubLead)
def decide(verification_id: int):
    from app.brokers.models import Verification
    from app.extensions import db

    row = db.session.get(Verification, verification_id)
    if row is None:
        raise NotFound()
    broker = application.broker_for_lead(current_user, row.broker_id)
    form = DecisionForm(prefix=f"v{verification_id}")
    if form.validate_on_submit():
        try:
            application.decide(current_user, verification_id, approve=form.decision.data == "approve",
                               reason=form.reason.data or "")
        except DomainError as error:
            if error.field == "reason":
                form.reason.errors = [error.message]
            else:
                form.form_errors.append(error.message)
        else:
            flash(f"{row.kind.label}: {'approved' if form.decision.data == 'approve' else 'sent back with your reason'}.",
                  "success")
            return redirect(url_for("brokers.review_broker", broker_id=broker.id))
    return _review_page(broker, {verification_id: form}, 400)
