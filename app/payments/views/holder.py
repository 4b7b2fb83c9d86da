"""The person's side of invoices (or a helper's, for them): the list, one invoice, approving or
querying it, paying it by hand (split over funding streams if they choose), reversing a payment
recorded by mistake, and the standing approval of an agreement."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.core.flows import form_page, press, submit
from app.core.forms import EmptyForm
from app.core.permissions import IsSignedIn, require
from app.core.timeutil import today_in_london
from app.holders import services as holders
from app.needs import services as needs
from app.payments import services
from app.payments.forms import QueryForm, ReversePaymentForm, StandingApprovalForm, pay_form_class
from app.payments.views import bp


@bp.get("/people/<int:holder_id>/money/invoices")
@require(IsSignedIn)
def holder_invoices(holder_id: int):
    acting = holders.access(current_user, holder_id)
    return render_template("payments/holder_invoices.html", acting=acting, invoices=services.invoices_of(acting))


def _invoice_page(acting, invoice, query_form=None):
    return form_page("payments/holder_invoice.html", query_form or QueryForm(formdata=None), acting=acting,
                     invoice=invoice, approve_form=EmptyForm(), card_refusal=services.card_refusal(invoice),
                     card_methods=services.methods(), card_cancelled=request.args.get("card") == "cancelled",
                     standing=services.standing_approval_for(invoice.agreement_id))


@bp.get("/people/<int:holder_id>/money/invoices/<int:invoice_id>")
@require(IsSignedIn)
def holder_invoice(holder_id: int, invoice_id: int):
    acting = holders.access(current_user, holder_id)
    return _invoice_page(acting, services.holder_invoice(acting, invoice_id))


@bp.post("/people/<int:holder_id>/money/invoices/<int:invoice_id>/approve")
@require(IsSignedIn)
def approve_invoice(holder_id: int, invoice_id: int):
    acting = holders.access(current_user, holder_id, act=True)
    invoice = services.holder_invoice(acting, invoice_id)
    if press(EmptyForm(), lambda: services.approve(acting, invoice.id)):
        flash(f"Invoice {invoice.number} is approved. {invoice.payee_name} has been told. You can pay it now.",
              "success")
    return redirect(url_for("payments.holder_invoice", holder_id=holder_id, invoice_id=invoice.id))


@bp.post("/people/<int:holder_id>/money/invoices/<int:invoice_id>/query")
@require(IsSignedIn)
def query_invoice(holder_id: int, invoice_id: int):
    acting = holders.access(current_user, holder_id, act=True)
    invoice = services.holder_invoice(acting, invoice_id)
    form = QueryForm()
    if submit(form, lambda: services.query(acting, invoice.id, form.message.data or "")):
        flash(f"Your question has been sent to {invoice.payee_name}. You will be told when they answer.", "success")
        return redirect(url_for("payments.holder_invoice", holder_id=holder_id, invoice_id=invoice.id))
    return _invoice_page(acting, invoice, form)


def _payment(form):
    shares = [services.Share(stream_id, amount) for stream_id, amount in form.share_amounts().items()]
    return services.ManualPayment(shares=shares, reference=form.reference.data or "",
                                  paid_on=form.paid_on.data, over_allocation_reason=form.over_allocation_reason.data or "",
                                  key=form.key.data)


@bp.route("/people/<int:holder_id>/money/invoices/<int:invoice_id>/pay", methods=["GET", "POST"])
@require(IsSignedIn)
def pay_invoice(holder_id: int, invoice_id: int):
    acting = holders.access(current_user, holder_id, act=True)
    invoice = services.holder_invoice(acting, invoice_id)
    refusal = services.pay_refusal(invoice)
    if refusal and request.method == "GET":  # a form sent again goes to the service, which knows its key
        flash(refusal, "error")
        return redirect(url_for("payments.holder_invoice", holder_id=holder_id, invoice_id=invoice.id))
    choices = services.pay_choices(acting, invoice)
    form = pay_form_class(choices)()
    suggested = next((c for c in choices if c.suggested), None)
    if not form.is_submitted() and suggested is not None:
        getattr(form, f"share_{suggested.stream.id}").data = invoice.total_pence
        form.paid_on.data = today_in_london()
    if submit(form, lambda: services.pay_manually(acting, invoice.id, _payment(form))):
        flash(f"Payment of invoice {invoice.number} recorded. {invoice.payee_name} has been told.", "success")
        return redirect(url_for("payments.holder_invoice", holder_id=holder_id, invoice_id=invoice.id))
    return form_page("payments/pay.html", form, acting=acting, invoice=invoice, choices=choices)


@bp.route("/people/<int:holder_id>/money/payments/<int:payment_id>/reverse", methods=["GET", "POST"])
@require(IsSignedIn)
def reverse_payment(holder_id: int, payment_id: int):
    acting = holders.access(current_user, holder_id, act=True)
    payment = services.holder_payment(acting, payment_id)
    form = ReversePaymentForm()
    if submit(form, lambda: services.reverse_payment(acting, payment.id, form.reason.data or "")):
        flash("The payment is reversed. The invoice is approved and waits to be paid again.", "success")
        return redirect(url_for("payments.holder_invoice", holder_id=holder_id, invoice_id=payment.invoice_id))
    return form_page("payments/reverse_payment.html", form, acting=acting, payment=payment)


def _set_approval(acting, agreement, current, form):
    if form.choice.data == "every":
        return services.end_standing_approval(acting, agreement.id) if current else None
    return services.set_standing_approval(acting, agreement.id, form.waiting_days.data or 7)


@bp.route("/people/<int:holder_id>/agreements/<int:agreement_id>/approval", methods=["GET", "POST"])
@require(IsSignedIn)
def standing_approval(holder_id: int, agreement_id: int):
    acting = holders.access(current_user, holder_id, act=True)
    agreement = needs.agreement_for_holder(acting, agreement_id)
    current = services.standing_approval_for(agreement.id)
    form = StandingApprovalForm()
    if not form.is_submitted():
        form.choice.data = "standing" if current else "every"
        form.waiting_days.data = current.waiting_days if current else 7
    if submit(form, lambda: _set_approval(acting, agreement, current, form)):
        flash("Saved. Invoices for this agreement are now " + (
            "approved for you after the waiting period, unless one is for more than the agreement."
            if form.choice.data == "standing" else "waiting for you to approve each one."), "success")
        return redirect(url_for("needs.holder_agreement", holder_id=holder_id, agreement_id=agreement.id))
    return form_page("payments/standing_approval.html", form, acting=acting, agreement=agreement, current=current)
