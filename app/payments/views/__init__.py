"""Invoices and payments: providers and brokers sending invoices, the person approving, querying
and paying them."""

from flask import Blueprint

bp = Blueprint("payments", __name__)
