"""The funder officer's side: confirming a stream the person added from their award letter, and
setting (then changing) its allocation and what it may pay for, always with a reason."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user

from app.core.flows import form_page, submit
from app.core.permissions import IsFunderOfficer, require
from app.ledger import services as ledger
from app.ledger.forms import AllocationForm, category_choices
from app.ledger.views import bp


def _allocation_form(stream) -> AllocationForm:
    form = AllocationForm(data={"allocation": stream.allocation_pence, "category_ids": list(stream.category_ids or [])})
    form.category_ids.choices = category_choices(stream.category_ids)
    return form


def _set(stream, form: AllocationForm):
    return ledger.funder_sets(current_user, stream.id, allocation_pence=form.allocation.data,
                              category_ids=list(form.category_ids.data or []), reason=form.reason.data or "")


@bp.route("/funder/streams/<int:stream_id>/allocation", methods=["GET", "POST"])
@require(IsFunderOfficer)
def funder_allocation(stream_id: int):
    stream = ledger.officer_stream(current_user, stream_id)
    first_time = not stream.is_confirmed
    form = _allocation_form(stream)
    if submit(form, lambda: _set(stream, form)):
        holder = stream.company.holder
        flash(f"{stream.name} for {holder.name} is {'confirmed' if first_time else 'changed'}. "
              f"{holder.name} has been told, with your reason.", "success")
        return redirect(url_for("money.funder_stream", stream_id=stream.id))
    return form_page("ledger/funder_allocation.html", form, stream=stream, first_time=first_time)
