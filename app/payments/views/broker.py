"""A broker's invoices: the time they logged for a client in a period at the hourly fee agreed
when the work started (never past the band's hours), following each invoice, answering the
person's question and sending a corrected one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.brokers.services import broker_of
from app.core.errors import NotFound
from app.core.flows import form_page, submit
from app.core.money import Money, format_pence
from app.core.permissions import IsBroker, require
from app.core.timeutil import format_minutes, today_in_london
from app.engagements import services as engagements
from app.extensions import db
from app.payments import policies, services
from app.payments.invoice_forms import AnswerForm, BrokerInvoiceForm
from app.payments.invoicing import MAX_PERIOD_DAYS
from app.payments.models import Invoice, InvoiceStatus
from app.payments.views import bp


@dataclass(frozen=True)
class BrokerWork:
    """The time to invoice for one client: what is logged and not yet invoiced, what the chosen
    period holds and comes to at the agreed fee, and how much of the band is invoiced already."""

    fee_pence: int | None
    not_invoiced: list  # time entries outside every invoice still in play
    period: tuple[date, date] | None  # the period chosen (when it is a period at all)
    period_minutes: int
    period_pence: int
    invoiced_minutes: int
    allocated_minutes: int

    @property
    def band_left(self) -> int:
        return max(0, self.allocated_minutes - self.invoiced_minutes)


def _live_invoices(engagement, replacing: Invoice | None) -> list[Invoice]:
    """The engagement's invoices still in play (the engagement is already checked to be the broker's)."""
    rows = db.session.scalars(select(Invoice).where(Invoice.engagement_id == engagement.id,
                                                    Invoice.status != InvoiceStatus.REPLACED))
    return [i for i in rows if replacing is None or i.id != replacing.id]


def _work(engagement, start: date | None, end: date | None, replacing: Invoice | None = None) -> BrokerWork:
    invoices = _live_invoices(engagement, replacing)
    not_invoiced = [e for e in engagement.time_entries
                    if not any(i.period_start <= e.worked_on <= i.period_end for i in invoices)]
    period = (start, end) if start and end and start <= end and (end - start).days + 1 <= MAX_PERIOD_DAYS else None
    minutes = sum(e.minutes for e in engagement.time_entries if period and start <= e.worked_on <= end)
    fee = engagement.agreed_hourly_fee_pence
    return BrokerWork(fee, not_invoiced, period, minutes, Money(fee or 0).for_minutes(minutes).pence,
                      sum(i.minutes for i in invoices), engagement.allocated_minutes)


def _default_period(engagement) -> tuple[date, date] | None:
    """From the first day after the last invoice (or the earliest time not invoiced, if later),
    for up to five weeks, ending by today."""
    invoices = _live_invoices(engagement, None)
    start = max([i.period_end + timedelta(days=1) for i in invoices], default=engagement.started_at.date())
    later = sorted(e.worked_on for e in engagement.time_entries if e.worked_on >= start)
    start = later[0] if later else start
    last = min(today_in_london(), engagement.ended_at.date() if engagement.ended_at else today_in_london())
    end = min(start + timedelta(days=MAX_PERIOD_DAYS - 1), last)
    return (start, end) if start <= end else None


def _form_page(form: BrokerInvoiceForm, engagement, *, replacing: Invoice | None = None):
    return form_page("payments/broker_invoice_form.html", form, engagement=engagement, replacing=replacing,
                     work=_work(engagement, form.period_start.data, form.period_end.data, replacing))


def _sent_message(invoice: Invoice, what: str) -> str:
    return (f"{what} {invoice.number} for {format_pence(invoice.total_pence)} ({format_minutes(invoice.minutes)}) "
            f"has been sent to {invoice.holder.name}.")


def _invoice(invoice_id: int) -> Invoice:
    """One of this broker's own invoices (anyone else's: 404)."""
    invoice = services.payee_invoice(current_user, invoice_id)
    if invoice.engagement_id is None:
        raise NotFound()
    return invoice


def _to_invoice(invoice: Invoice):
    return redirect(url_for("payments.broker_invoice", invoice_id=invoice.id))


@bp.get("/broker/invoices")
@require(IsBroker)
def broker_invoices():
    broker = broker_of(current_user)
    invoices = db.session.scalars(select(Invoice).where(Invoice.broker_id == broker.id)
                                  .order_by(Invoice.submitted_at.desc(), Invoice.id.desc()))
    return render_template("payments/broker_invoices.html", invoices=list(invoices))


@bp.route("/broker/clients/<int:engagement_id>/invoices/new", methods=["GET", "POST"])
@require(IsBroker)
def new_broker_invoice(engagement_id: int):
    engagement = engagements.broker_engagement(current_user, engagement_id, audit_view=False)
    form = BrokerInvoiceForm()
    if request.method == "GET" and (period := _default_period(engagement)):
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
    return _invoice_page(_invoice(invoice_id))


@bp.post("/broker/invoices/<int:invoice_id>/answer")
@require(IsBroker)
def answer_broker_invoice(invoice_id: int):
    invoice = _invoice(invoice_id)
    form = AnswerForm()
    if submit(form, lambda: services.answer(current_user, invoice.id, form.message.data)):
        flash(f"Your answer has been sent to {invoice.holder.name}. The invoice waits for their approval again.",
              "success")
        return _to_invoice(invoice)
    return _invoice_page(invoice, form)


@bp.route("/broker/invoices/<int:invoice_id>/correct", methods=["GET", "POST"])
@require(IsBroker)
def correct_broker_invoice(invoice_id: int):
    invoice = _invoice(invoice_id)
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
