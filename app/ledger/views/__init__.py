"""Setting up the money: the person's company, its funding streams and money received; the
funder officer's confirmation of a stream."""

from flask import Blueprint

bp = Blueprint("ledger", __name__)

from app.ledger.views import company, funder, streams  # noqa: E402,F401
