"""Seeing the money: the person's money page and streams, statements, the funder officer's home,
and a broker's view of a client's budget."""

from flask import Blueprint

bp = Blueprint("money", __name__)
