"""A provider organisation's invoices: sending one against a service agreement (hours delivered
at the agreed rate, with any extra lines), following it, answering the person's question and
sending a corrected invoice in its place."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.core.flows import form_page, submit
from app.core.money import format_pence
from app.core.permissions import IsProviderStaff, require
from app.needs.access import agreement_for_provider
from app.payments import policies, services
from app.payments.invoice_forms import AnswerForm, ProviderInvoiceForm
from app.payments.models import Invoice
from app.payments.views import bp
from app.providers.services import organisation_for


def _prefill(form: ProviderInvoiceForm, agreement) -> None:
    form.rate.data = agreement.hourly_rate_pence
    start, end = services.next_period(agreement, services.agreement_invoices(agreement))
    if start <= end:
        form.period_start.data, form.period_end.data = start, end
        form.hours.data, form.minutes.data = divmod(services.agreed_minutes_for(agreement, start, end), 60)


def _draft(form: ProviderInvoiceForm) -> services.ProviderInvoiceDraft:
    return services.ProviderInvoiceDraft(
        period_start=form.period_start.data, period_end=form.period_end.data, minutes=form.total_minutes(),
        rate_pence=form.rate.data, extras=[services.ExtraLine(*line) for line in form.extra_lines()],
        note=form.note.data or "")


def _form_page(form: ProviderInvoiceForm, agreement, *, replacing: Invoice | None = None):
    so_far = services.invoiced_so_far(agreement)
    return form_page("payments/provider_invoice_form.html", form, agreement=agreement,
                     organisation=agreement.organisation, replacing=replacing, invoices=so_far.invoices,
                     allows=services.allowance(agreement, form.period_start.data, form.period_end.data),
                     invoiced_to=so_far.invoiced_to, nothing_to_invoice=so_far.nothing_to_invoice)


def _sent_message(invoice: Invoice, what: str) -> str:
    message = f"{what} {invoice.number} for {format_pence(invoice.total_pence)} has been sent to {invoice.holder.name}."
    if invoice.exceeds_agreement:
        message += (f" It is {format_pence(invoice.over_agreement_pence)} more than the agreement allows, so "
                    f"{invoice.holder.name} will check it before approving it.")
    return message


def _to_invoice(invoice: Invoice):
    return redirect(url_for("payments.provider_invoice", organisation_id=invoice.organisation_id, invoice_id=invoice.id))


@bp.get("/providers/<int:organisation_id>/invoices")
@require(IsProviderStaff)
def provider_invoices(organisation_id: int):
    organisation = organisation_for(current_user, organisation_id)
    invoices = services.organisation_invoices(current_user, organisation.id)
    return render_template("payments/provider_invoices.html", organisation=organisation, invoices=invoices)


@bp.route("/providers/<int:organisation_id>/agreements/<int:agreement_id>/invoices/new", methods=["GET", "POST"])
@require(IsProviderStaff)
def new_provider_invoice(organisation_id: int, agreement_id: int):
    agreement = agreement_for_provider(current_user, organisation_id, agreement_id)
    form = ProviderInvoiceForm()
    if request.method == "GET":
        _prefill(form, agreement)
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
    return _invoice_page(services.organisation_invoice(current_user, organisation_id, invoice_id))


@bp.post("/providers/<int:organisation_id>/invoices/<int:invoice_id>/answer")
@require(IsProviderStaff)
def answer_provider_invoice(organisation_id: int, invoice_id: int):
    invoice = services.organisation_invoice(current_user, organisation_id, invoice_id)
    form = AnswerForm()
    if submit(form, lambda: services.answer(current_user, invoice.id, form.message.data)):
        flash(f"Your answer has been sent to {invoice.holder.name}. The invoice waits for their approval again.",
              "success")
        return _to_invoice(invoice)
    return _invoice_page(invoice, form)


@bp.route("/providers/<int:organisation_id>/invoices/<int:invoice_id>/correct", methods=["GET", "POST"])
@require(IsProviderStaff)
def correct_provider_invoice(organisation_id: int, invoice_id: int):
    invoice = services.organisation_invoice(current_user, organisation_id, invoice_id)
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
