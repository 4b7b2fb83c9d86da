"""Public pages: the list of accredited brokers, a broker's profile, comparing brokers."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from app.brokers import listing
from app.brokers.forms import BrokerFilterForm
from app.brokers.views import bp
from app.core.converters import parse_id
from app.core.flows import run
from app.core.reference import BROKERAGE_FUNCTIONS, LANGUAGES, QUALITY_ANSWERS, QUALITY_QUESTIONS, SPECIALISMS
from app.hubs.services import all_districts


@bp.get("/brokers")
def directory():
    form = BrokerFilterForm(request.args)
    form.district.choices = [("", "Any district")] + [(d, d) for d in all_districts()]
    filters = listing.BrokerFilters()
    if form.validate():
        filters = listing.BrokerFilters(
            district=form.district.data or None, specialism=form.specialism.data or None,
            language=form.language.data or None, accepting_only=bool(form.accepting.data),
        )
    cards = listing.search(filters)
    return render_template("brokers/directory.html", form=form, cards=cards, SPECIALISMS=SPECIALISMS,
                           LANGUAGES=LANGUAGES, filtered=any(request.args.values()),
                           max_compare=listing.MAX_COMPARE), 400 if form.errors else 200


@bp.get("/brokers/compare")
def compare():
    ids = [i for i in map(parse_id, request.args.getlist("broker")) if i is not None]  # others: no such broker
    done = run(lambda: listing.compare(ids))
    if not done:
        return redirect(url_for("brokers.directory"))
    return render_template("brokers/compare.html", profiles=done.value, SPECIALISMS=SPECIALISMS,
                           LANGUAGES=LANGUAGES)


@bp.get("/brokers/<int:broker_id>")
def profile(broker_id: int):
    view = listing.public_profile(broker_id)
    return render_template("brokers/profile.html", view=view, broker=view.card.broker, SPECIALISMS=SPECIALISMS,
                           LANGUAGES=LANGUAGES, QUALITY_QUESTIONS=QUALITY_QUESTIONS, QUALITY_ANSWERS=QUALITY_ANSWERS,
                           BROKERAGE_FUNCTIONS=BROKERAGE_FUNCTIONS, signed_in=current_user.is_authenticated)
