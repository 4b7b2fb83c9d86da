"""/needs: the needs board. Providers see the needs for them; brokers, budget holders and hub
leads are taken to their own lists of needs."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from app.core.converters import parse_id
from app.core.permissions import IsSignedIn, require
from app.core.timeutil import utcnow
from app.needs import offers
from app.needs.forms import BoardFilterForm
from app.needs.views import bp
from app.taxonomy.services import choices as category_choices


@bp.get("/needs")
@require(IsSignedIn)
def board():
    memberships = current_user.provider_memberships
    if not memberships:
        if current_user.broker_profile is not None:
            return redirect(url_for("needs.broker_needs"))
        holder = current_user.budget_holder
        if holder is not None and holder.closed_at is None:
            return redirect(url_for("needs.holder_needs", holder_id=holder.id))
        if current_user.hub_lead_memberships:
            return redirect(url_for("needs.hub_gaps"))
        abort(403)
    organisation_ids = [m.organisation_id for m in memberships]
    chosen = parse_id(request.args.get("org")) or organisation_ids[0]
    if chosen not in organisation_ids:
        abort(404)
    organisation = next(m.organisation for m in memberships if m.organisation_id == chosen)
    form = BoardFilterForm(request.args)
    form.category.choices = [("", "Any service")] + category_choices()
    form.district.choices = [("", "Any district")] + [(d, d) for d in organisation.district_codes]
    filters = offers.BoardFilters()
    if form.validate():
        filters = offers.BoardFilters(category_id=form.category.data, district=form.district.data or None,
                                      urgent_only=bool(form.urgent.data))
    items = offers.board(current_user, organisation.id, filters)
    return render_template("needs/board.html", organisation=organisation, memberships=memberships, form=form,
                           items=items, now=utcnow()), 400 if form.errors else 200
