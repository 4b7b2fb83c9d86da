"""Setting up the money: the person's company, its funding streams and money received; the
funder officer's confirmation of a stream."""

from flask import Blueprint

bp = Blueprint("ledger", __name__)
