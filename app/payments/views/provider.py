"""A provider organisation's invoices: sending one against a service agreement (hours delivered
at the agreed rate, with any extra lines), following it, answering the person's question and
sending a corrected invoice in its place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.core.errors import NotFound
from app.core.flows import form_page, submit
from app.core.money import Money, format_pence
from app.core.permissions import IsProviderStaff, require
from app.core.timeutil import today_in_london
from app.extensions import db
from app.needs.access import agreement_for_provider
from app.payments import policies, services
from app.payments.invoice_forms import AnswerForm, ProviderInvoiceForm
from app.payments.invoicing import MAX_PERIOD_DAYS
from app.payments.models import Invoice, InvoiceStatus
from app.payments.views import bp
from app.providers.services import organisation_for


@dataclass(frozen=True)
class Allowance:
    """What the agreement allows for a period: its hours a week over the days, at its rate
    (and travel supplement)."""

    start: date
    end: date
    minutes: int
    total_pence: int


def _allowance(agreement, start: date | None, end: date | None) -> Allowance | None:
    if start is None or end is None or end < start or (end - start).days + 1 > MAX_PERIOD_DAYS:
        return None
    minutes = services.agreed_minutes_for(agreement, start, end)
    rate = agreement.hourly_rate_pence + agreement.travel_supplement_pence
    return Allowance(start, end, minutes, Money(rate).for_minutes(minutes).pence)


def _last_day(agreement) -> date:
    """The last day there can be support to invoice: today, or the day the agreement ended."""
    ends = [agreement.end_date, agreement.notice_ends_on, agreement.ended_at.date() if agreement.ended_at else None]
    return min([today_in_london(), *[day for day in ends if day is not None]])


def _agreement_invoices(agreement) -> list[Invoice]:
    """The invoices sent for the agreement (already checked to be one of the user's organisation's)."""
    return list(db.session.scalars(select(Invoice).where(Invoice.agreement_id == agreement.id)
                                   .order_by(Invoice.period_start.desc(), Invoice.id.desc())))


def _next_period(agreement, invoices: list[Invoice]) -> tuple[date, date]:
    """Four weeks from the day after the last period invoiced (or from the start of the support)."""
    invoiced_to = [i.period_end for i in invoices if i.status != InvoiceStatus.REPLACED]
    start = max(invoiced_to) + timedelta(days=1) if invoiced_to else agreement.start_date
    return start, min(start + timedelta(days=27), _last_day(agreement))


def _prefill(form: ProviderInvoiceForm, agreement, invoices: list[Invoice]) -> None:
    form.rate.data = agreement.hourly_rate_pence
    start, end = _next_period(agreement, invoices)
    if start <= end:
        form.period_start.data, form.period_end.data = start, end
        form.hours.data, form.minutes.data = divmod(services.agreed_minutes_for(agreement, start, end), 60)


def _draft(form: ProviderInvoiceForm) -> services.ProviderInvoiceDraft:
    return services.ProviderInvoiceDraft(
        period_start=form.period_start.data, period_end=form.period_end.data, minutes=form.total_minutes(),
        rate_pence=form.rate.data, extras=[services.ExtraLine(*line) for line in form.extra_lines()],
        note=form.note.data or "")


def _form_page(form: ProviderInvoiceForm, agreement, *, replacing: Invoice | None = None):
    invoices = [i for i in _agreement_invoices(agreement) if i.status != InvoiceStatus.REPLACED]
    start, end = _next_period(agreement, invoices)
    return form_page("payments/provider_invoice_form.html", form, agreement=agreement,
                     organisation=agreement.organisation, replacing=replacing, invoices=invoices,
                     allows=_allowance(agreement, form.period_start.data, form.period_end.data),
                     invoiced_to=max((i.period_end for i in invoices), default=None), nothing_to_invoice=start > end)


def _sent_message(invoice: Invoice, what: str) -> str:
    message = f"{what} {invoice.number} for {format_pence(invoice.total_pence)} has been sent to {invoice.holder.name}."
    if invoice.exceeds_agreement:
        message += (f" It is {format_pence(invoice.over_agreement_pence)} more than the agreement allows, so "
                    f"{invoice.holder.name} will check it before approving it.")
    return message


def _invoice(organisation_id: int, invoice_id: int) -> Invoice:
    """One of the invoices of this user's organisation (anyone else's, or another organisation's: 404)."""
    organisation = organisation_for(current_user, organisation_id)
    invoice = services.payee_invoice(current_user, invoice_id)
    if invoice.organisation_id != organisation.id:
        raise NotFound()
    return invoice


def _to_invoice(invoice: Invoice):
    return redirect(url_for("payments.provider_invoice", organisation_id=invoice.organisation_id, invoice_id=invoice.id))


@bp.get("/providers/<int:organisation_id>/invoices")
@require(IsProviderStaff)
def provider_invoices(organisation_id: int):
    organisation = organisation_for(current_user, organisation_id)
    invoices = db.session.scalars(select(Invoice).where(Invoice.organisation_id == organisation.id)
                                  .order_by(Invoice.submitted_at.desc(), Invoice.id.desc()))
    return render_template("payments/provider_invoices.html", organisation=organisation, invoices=list(invoices))


@bp.route("/providers/<int:organisation_id>/agreements/<int:agreement_id>/invoices/new", methods=["GET", "POST"])
@require(IsProviderStaff)
def new_provider_invoice(organisation_id: int, agreement_id: int):
    agreement = agreement_for_provider(current_user, organisation_id, agreement_id)
    form = ProviderInvoiceForm()
    if request.method == "GET":
        _prefill(form, agreement, _agreement_invoices(agreement))
    done = submit(form, lambda: services.send_provider_invoice(current_user, organisation_id, agreement_id, _draft(form)))
    if done:
        flash(_sent_message(done.value, "Invoice"), "success")
        return _to_invoice(done.value)
    return _form_page(form, agreement)


def _invoice_page(invoice: Invoice, answer_form: AnswerForm | None = None):
    answer_form = answer_form or AnswerForm(formdata=None)
    return form_page("payments/provider_invoice.html", answer_form, invoice=invoice,
                     organisation=invoice.organisation, answer_form=answer_form)


@bp.get("/providers/<int:organisation_id>/invoices/<int:invoice_id>")
@require(IsProviderStaff)
def provider_invoice(organisation_id: int, invoice_id: int):
    return _invoice_page(_invoice(organisation_id, invoice_id))


@bp.post("/providers/<int:organisation_id>/invoices/<int:invoice_id>/answer")
@require(IsProviderStaff)
def answer_provider_invoice(organisation_id: int, invoice_id: int):
    invoice = _invoice(organisation_id, invoice_id)
    form = AnswerForm()
    if submit(form, lambda: services.answer(current_user, invoice.id, form.message.data)):
        flash(f"Your answer has been sent to {invoice.holder.name}. The invoice waits for their approval again.",
              "success")
        return _to_invoice(invoice)
    return _invoice_page(invoice, form)


@bp.route("/providers/<int:organisation_id>/invoices/<int:invoice_id>/correct", methods=["GET", "POST"])
@require(IsProviderStaff)
def correct_provider_invoice(organisation_id: int, invoice_id: int):
    invoice = _invoice(organisation_id, invoice_id)
    if not policies.can_correct(current_user, invoice):
        flash(policies.correct_refusal(invoice) or "This invoice cannot be corrected.", "error")
        return _to_invoice(invoice)
    form = ProviderInvoiceForm()
    if request.method == "GET":
        form.fill_from(invoice)
    done = submit(form, lambda: services.correct_provider_invoice(current_user, invoice.id, _draft(form)))
    if done:
        flash(_sent_message(done.value, "Corrected invoice") + f" It replaces invoice {invoice.number}.", "success")
        return _to_invoice(done.value)
    return _form_page(form, invoice.agreement, replacing=invoice)
