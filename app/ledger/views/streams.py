"""The person's funding streams (adding one from the award letter, changing it while they may)
and the money that arrives for them (recording it, and reversing one recorded by mistake)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.core.flows import form_page, submit
from app.core.money import format_pence
from app.core.permissions import IsSignedIn, require
from app.core.timeutil import format_date, today_in_london
from app.funders.services import all_bodies
from app.holders import services as holders
from app.ledger import services as ledger
from app.ledger.forms import (
    OUTSIDE_THE_PORTAL,
    EditStreamForm,
    NewStreamForm,
    ReceiptForm,
    ReverseReceiptForm,
    category_choices,
)
from app.ledger.policies import person_changes_stream
from app.ledger.views import bp


def _to_stream(holder_id: int, stream_id: int):
    return redirect(url_for("money.stream", holder_id=holder_id, stream_id=stream_id))


def _new_stream_form() -> NewStreamForm:
    form = NewStreamForm()
    form.funding_body.choices = [(str(body.id), body.name) for body in all_bodies()] + [
        (OUTSIDE_THE_PORTAL, "Another funder, not on OurChoice")]
    form.category_ids.choices = category_choices()
    return form


def _added(stream) -> str:
    if stream.in_portal:
        return f"{stream.name} added. {stream.funder_label} has been asked to confirm it."
    return f"{stream.name} added."


@bp.route("/people/<int:holder_id>/money/streams/new", methods=["GET", "POST"])
@require(IsSignedIn)
def new_stream(holder_id: int):
    acting = holders.access(current_user, holder_id, act=True)
    if ledger.company_of(acting.holder) is None:
        flash("First set up the company the funding is paid into.", "info")
        return redirect(url_for("ledger.company", holder_id=holder_id))
    form = _new_stream_form()
    done = submit(form, lambda: ledger.add_stream(acting, form.details(), key=form.key.data))
    if done:
        flash(_added(done.value), "success")
        return _to_stream(holder_id, done.value.id)
    return form_page("ledger/stream_form.html", form, acting=acting, stream=None)


def _edit_stream_form(stream) -> EditStreamForm:
    form = EditStreamForm(data={
        "name": stream.name, "allocation": stream.allocation_pence, "starts_on": stream.starts_on,
        "ends_on": stream.ends_on, "schedule": stream.schedule.value, "category_ids": list(stream.category_ids or []),
        "funder_name": stream.funder_name})
    if stream.in_portal:
        del form.funder_name  # the funding body stays the one chosen
    form.category_ids.choices = category_choices(stream.category_ids)
    return form


@bp.route("/people/<int:holder_id>/money/streams/<int:stream_id>/edit", methods=["GET", "POST"])
@require(IsSignedIn)
def edit_stream(holder_id: int, stream_id: int):
    acting = holders.access(current_user, holder_id, act=True)
    stream = ledger.holder_stream(acting, stream_id)
    if not person_changes_stream(acting.user, stream):
        page = render_template("ledger/stream_locked.html", acting=acting, stream=stream)
        return page, 200 if request.method == "GET" else 403
    form = _edit_stream_form(stream)
    if submit(form, lambda: ledger.change_stream(acting, stream.id, form.details(stream), form.reason.data or "")):
        flash(f"Your changes to {stream.name} have been saved, with your reason.", "success")
        return _to_stream(holder_id, stream.id)
    return form_page("ledger/stream_form.html", form, acting=acting, stream=stream)


def _record(acting, stream, form: ReceiptForm):
    return ledger.record_receipt(acting, stream.id, amount_pence=form.amount.data, received_on=form.received_on.data,
                                 reference=form.reference.data or "", key=form.key.data)


@bp.route("/people/<int:holder_id>/money/streams/<int:stream_id>/receipts/new", methods=["GET", "POST"])
@require(IsSignedIn)
def new_receipt(holder_id: int, stream_id: int):
    acting = holders.access(current_user, holder_id, act=True)
    stream = ledger.holder_stream(acting, stream_id)
    form = ReceiptForm()
    today = today_in_london()
    form.received_on.description = f"For example, {today.day} {today.month} {today.year}"
    done = submit(form, lambda: _record(acting, stream, form))
    if done:
        receipt = done.value
        flash(f"{format_pence(receipt.amount_pence)} received on {format_date(receipt.received_on)} from "
              f"{stream.funder_label} has been recorded.", "success")
        return _to_stream(holder_id, stream.id)
    return form_page("ledger/receipt_form.html", form, acting=acting, stream=stream)


@bp.route("/people/<int:holder_id>/money/receipts/<int:receipt_id>/reverse", methods=["GET", "POST"])
@require(IsSignedIn)
def reverse_receipt(holder_id: int, receipt_id: int):
    acting = holders.access(current_user, holder_id, act=True)
    if ledger.company_of(acting.holder) is None:
        abort(404)  # no company: no receipts either
    receipt = ledger.holder_receipt(acting, receipt_id)
    form = ReverseReceiptForm()
    if submit(form, lambda: ledger.reverse_receipt(acting, receipt.id, form.reason.data or "")):
        flash(f"The {format_pence(receipt.amount_pence)} received on {format_date(receipt.received_on)} has been "
              "reversed. The books keep both the receipt and its reversal.", "success")
        return _to_stream(holder_id, receipt.stream_id)
    return form_page("ledger/reverse_receipt.html", form, acting=acting, receipt=receipt, stream=receipt.stream)
