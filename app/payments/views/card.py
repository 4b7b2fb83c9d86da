"""Paying by card or Direct Debit through Stripe: the person chooses the streams and goes to
Stripe's page; coming back, they see what Stripe has confirmed (nothing is recorded by coming
back). Stripe's webhook, and the platform admin's list of everything Stripe sent."""

from __future__ import annotations

from flask import abort, flash, jsonify, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from app.core.flows import form_page, submit
from app.core.hooks import allow_form_action
from app.core.pagination import page_number
from app.core.permissions import IsAdmin, IsSignedIn, require
from app.extensions import csrf
from app.holders import services as holders
from app.payments import services
from app.payments.forms import CardPayForm, pay_form_class
from app.payments.views import bp


def _card_payment(form) -> services.CardPayment:
    shares = [services.Share(stream_id, amount) for stream_id, amount in form.share_amounts().items()]
    return services.CardPayment(shares=shares, over_allocation_reason=form.over_allocation_reason.data or "",
                                key=form.key.data)


@bp.route("/people/<int:holder_id>/money/invoices/<int:invoice_id>/pay-by-card", methods=["GET", "POST"])
@require(IsSignedIn)
def pay_by_card(holder_id: int, invoice_id: int):
    acting = holders.access(current_user, holder_id, act=True)
    invoice = services.holder_invoice(acting, invoice_id)
    refusal = services.card_refusal(invoice)
    if refusal and request.method == "GET":
        flash(refusal, "error")
        return redirect(url_for("payments.holder_invoice", holder_id=holder_id, invoice_id=invoice.id))
    choices = services.pay_choices(acting, invoice)
    form = pay_form_class(choices, base=CardPayForm)()
    suggested = next((c for c in choices if c.suggested), None)
    if not form.is_submitted() and suggested is not None:
        getattr(form, f"share_{suggested.stream.id}").data = invoice.total_pence
    done = submit(form, lambda: services.start_checkout(acting, invoice.id, _card_payment(form)))
    if done:
        return redirect(done.value.url, code=303)
    page = make_response(form_page("payments/pay_by_card.html", form, acting=acting, invoice=invoice,
                                   choices=choices, methods=services.methods()))
    return allow_form_action(page, *services.hosted_origins())


@bp.get("/people/<int:holder_id>/money/invoices/<int:invoice_id>/card-payment")
@require(IsSignedIn)
def card_return(holder_id: int, invoice_id: int):
    acting = holders.access(current_user, holder_id)
    checkout = services.holder_checkout(acting, invoice_id, request.args.get("session"))
    return render_template("payments/card_return.html", acting=acting, invoice=checkout.invoice, checkout=checkout)


@bp.post("/payments/stripe/webhook")
@csrf.exempt
def stripe_webhook():
    try:
        event = services.receive(request.get_data(), request.headers.get("Stripe-Signature"))
    except services.BadSignature as error:
        return jsonify(error=f"Not accepted: {error}"), 400
    return jsonify(received=True, outcome=event.outcome.value)


@bp.get("/admin/payments/stripe")
@require(IsAdmin)
def admin_stripe_events():
    flagged = request.args.get("flagged") == "1"
    events = services.stripe_events(page=page_number(request.args), flagged=flagged)
    return render_template("payments/admin_stripe_events.html", events=events, flagged=flagged,
                           checkouts=services.flagged_checkouts())


@bp.get("/admin/payments/stripe/<path:event_id>")
@require(IsAdmin)
def admin_stripe_event(event_id: str):
    event = services.stripe_event(event_id)
    if event is None:
        abort(404)
    return render_template("payments/admin_stripe_event.html", event=event)
