"""/needs: the needs board. Providers see the needs for them; brokers, budget holders and hub
leads are taken to their own lists of needs."""

from __future__ import annotations

from flask import abort, redirect, request, url_for
from flask_login import current_user

from app.core.converters import parse_id
from app.core.flows import form_page
from app.core.permissions import IsSignedIn, require
from app.holders.services import own_holder
from app.hubs.policies import hubs_led_by
from app.needs import services
from app.needs.forms import BoardFilterForm
from app.needs.views import bp
from app.taxonomy.services import choices as category_choices


def _own_list():
    """Where someone who works for no provider finds their needs (403 when they have none)."""
    if current_user.broker_profile is not None:
        return redirect(url_for("needs.broker_needs"))
    holder = own_holder(current_user)
    if holder is not None:
        return redirect(url_for("needs.holder_needs", holder_id=holder.id))
    if hubs_led_by(current_user):
        return redirect(url_for("needs.hub_gaps"))
    abort(403)


def _filters(form: BoardFilterForm, organisation) -> services.BoardFilters:
    form.category.choices = [("", "Any service")] + category_choices()
    form.district.choices = [("", "Any district")] + [(d, d) for d in organisation.district_codes]
    if not form.validate():
        return services.BoardFilters()
    return services.BoardFilters(category_id=form.category.data, district=form.district.data or None,
                                 urgent_only=bool(form.urgent.data))


@bp.get("/needs")
@require(IsSignedIn)
def board():
    memberships = current_user.provider_memberships
    if not memberships:
        return _own_list()
    chosen = parse_id(request.args.get("org")) or memberships[0].organisation_id
    membership = next((m for m in memberships if m.organisation_id == chosen), None)
    if membership is None:
        abort(404)
    form = BoardFilterForm(request.args)
    items = services.board(current_user, membership.organisation_id, _filters(form, membership.organisation))
    return form_page("needs/board.html", form, organisation=membership.organisation, memberships=memberships,
                     items=items)
