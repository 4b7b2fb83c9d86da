"""Seeing the money: the person's money page and streams, statements, the funder officer's home,
and a broker's view of a client's budget."""

from flask import Blueprint

from app.taxonomy import services as taxonomy

bp = Blueprint("money", __name__)
bp.add_app_template_global(taxonomy.names_of, "category_names")

from app.money.views import broker, funder, holder  # noqa: E402,F401
