"""The hub lead's checks of broker applications."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from app.brokers import checks, parts, rules, standing
from app.brokers.forms import DecisionForm
from app.brokers.views import bp
from app.core.flows import row_form, row_forms, submit
from app.core.permissions import IsHubLead, require
from app.core.reference import LANGUAGES, SPECIALISMS


@bp.get("/hub/brokers")
@require(IsHubLead)
def review_list():
    brokers = checks.hub_brokers(current_user)
    return render_template("brokers/hub/list.html", brokers=brokers, standings=standing.standings(brokers))


@bp.get("/hub/brokers/<int:broker_id>")
@require(IsHubLead)
def review_broker(broker_id: int):
    broker = checks.broker_for_lead(current_user, broker_id)
    return _review_page(broker)


def _review_page(broker, failed: DecisionForm | None = None, failed_id: int | None = None, status: int = 200):
    states = parts.parts(broker)
    forms = row_forms(DecisionForm, "v", [part.latest for part in states if part.latest is not None], failed, failed_id)
    history = sorted((v for v in broker.verifications if v.is_decided), key=lambda v: v.id, reverse=True)
    return render_template("brokers/hub/review.html", broker=broker, parts=states, forms=forms, history=history,
                           standing=standing.standings([broker])[broker.id], SPECIALISMS=SPECIALISMS,
                           LANGUAGES=LANGUAGES, standards=rules.accepted_version(broker), part_names=parts.PART_NAMES,
                           dbs_expiry=rules.dbs_expiry), status


@bp.post("/hub/verifications/<int:verification_id>")
@require(IsHubLead)
def decide(verification_id: int):
    row = checks.verification_for_lead(current_user, verification_id)
    form = row_form(DecisionForm, "v", verification_id)
    approve = form.decision.data == "approve"
    if submit(form, lambda: checks.decide(current_user, verification_id, approve=approve,
                                          reason=form.reason.data or "")):
        flash(f"{row.kind.label}: {'approved' if approve else 'sent back with your reason'}.", "success")
        return redirect(url_for("brokers.review_broker", broker_id=row.broker_id, _anchor=f"part-{row.kind.value}"))
    return _review_page(row.broker, form, verification_id, 400)
