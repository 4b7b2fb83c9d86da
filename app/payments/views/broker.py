"""A broker's invoices: the time they logged for a client in a period at the hourly fee agreed
when the work started (never past the band's hours), following each invoice, answering the
person's question and sending a corrected one."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.core.flows import form_page, submit
from app.core.money import format_pence
from app.core.permissions import IsBroker, require
from app.core.timeutil import format_minutes
from app.engagements import services as engagements
from app.payments import policies, services
from app.payments.invoice_forms import AnswerForm, BrokerInvoiceForm
from app.payments.models import Invoice
from app.payments.views import bp


def _form_page(form: BrokerInvoiceForm, engagement, *, replacing: Invoice | None = None):
    return form_page("payments/broker_invoice_form.html", form, engagement=engagement, replacing=replacing,
                     work=services.broker_work(engagement, form.period_start.data, form.period_end.data, replacing))


def _sent_message(invoice: Invoice, what: str) -> str:
    return (f"{what} {invoice.number} for {format_pence(invoice.total_pence)} ({format_minutes(invoice.minutes)}) "
            f"has been sent to {invoice.holder.name}.")


def _to_invoice(invoice: Invoice):
    return redirect(url_for("payments.broker_invoice", invoice_id=invoice.id))


@bp.get("/broker/invoices")
@require(IsBroker)
def broker_invoices():
    return render_template("payments/broker_invoices.html", invoices=services.broker_invoices(current_user),
                           payout_account=services.broker_payee(current_user).account)


@bp.route("/broker/clients/<int:engagement_id>/invoices/new", methods=["GET", "POST"])
@require(IsBroker)
def new_broker_invoice(engagement_id: int):
    engagement = engagements.broker_engagement(current_user, engagement_id, audit_view=False)
    form = BrokerInvoiceForm()
    if request.method == "GET" and (period := services.next_broker_period(engagement)):
        form.period_start.data, form.period_end.data = period
    done = submit(form, lambda: services.send_broker_invoice(
        current_user, engagement.id, period_start=form.period_start.data, period_end=form.period_end.data,
        note=form.note.data or ""))
    if done:
        flash(_sent_message(done.value, "Invoice"), "success")
        return _to_invoice(done.value)
    return _form_page(form, engagement)


def _invoice_page(invoice: Invoice, answer_form: AnswerForm | None = None):
    answer_form = answer_form or AnswerForm(formdata=None)
    return form_page("payments/broker_invoice.html", answer_form, invoice=invoice, answer_form=answer_form)


@bp.get("/broker/invoices/<int:invoice_id>")
@require(IsBroker)
def broker_invoice(invoice_id: int):
    return _invoice_page(services.broker_invoice(current_user, invoice_id))


@bp.post("/broker/invoices/<int:invoice_id>/answer")
@require(IsBroker)
def answer_broker_invoice(invoice_id: int):
    invoice = services.broker_invoice(current_user, invoice_id)
    form = AnswerForm()
    if submit(form, lambda: services.answer(current_user, invoice.id, form.message.data)):
        flash(f"Your answer has been sent to {invoice.holder.name}. The invoice waits for their approval again.",
              "success")
        return _to_invoice(invoice)
    return _invoice_page(invoice, form)


@bp.route("/broker/invoices/<int:invoice_id>/correct", methods=["GET", "POST"])
@require(IsBroker)
def correct_broker_invoice(invoice_id: int):
    invoice = services.broker_invoice(current_user, invoice_id)
    if not policies.can_correct(current_user, invoice):
        flash(policies.correct_refusal(invoice) or "This invoice cannot be corrected.", "error")
        return _to_invoice(invoice)
    form = BrokerInvoiceForm()
    if request.method == "GET":
        form.period_start.data, form.period_end.data, form.note.data = invoice.period_start, invoice.period_end, invoice.note
    done = submit(form, lambda: services.correct_broker_invoice(
        current_user, invoice.id, period_start=form.period_start.data, period_end=form.period_end.data,
        note=form.note.data or ""))
    if done:
        flash(_sent_message(done.value, "Corrected invoice") + f" It replaces invoice {invoice.number}.", "success")
        return _to_invoice(done.value)
    return _form_page(form, invoice.engagement, replacing=invoice)
