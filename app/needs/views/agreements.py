"""A service agreement as the person sees it (or someone helping them): who provides the
support, when, what it costs, and who to contact."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from app.core.permissions import IsSignedIn, require
from app.holders import services as holders
from app.needs import services
from app.needs.views import bp


@bp.get("/people/<int:holder_id>/agreements/<int:agreement_id>")
@require(IsSignedIn)
def holder_agreement(holder_id: int, agreement_id: int):
    acting = holders.access(current_user, holder_id)
    page = services.holder_agreement(acting, agreement_id)
    return render_template("needs/holder_agreement.html", acting=acting, page=page, agreement=page.agreement)
