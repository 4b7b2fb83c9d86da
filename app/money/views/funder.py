"""A funder officer's home: the streams their body funds, across the people it funds, with each
stream's figures, warnings and statements (and nothing else of the person's company)."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_login import current_user

from app.core.permissions import IsFunderOfficer, require
from app.money import services
from app.money.views import bp
from app.money.views.holder import csv_download, statement_of
from app.plans import services as plans


@bp.get("/funder")
@require(IsFunderOfficer)
def funder_home():
    streams = services.funder_streams(current_user)
    to_confirm = [f for f in streams if not f.stream.is_confirmed]
    warned = [f for f in streams if f.stream.is_confirmed and f.warnings]
    return render_template("money/funder_home.html", streams=streams, to_confirm=to_confirm, warned=warned,
                           bodies=current_user.funding_bodies, desk=plans.desk(current_user))


@bp.get("/funder/streams/<int:stream_id>")
@require(IsFunderOfficer)
def funder_stream(stream_id: int):
    figures = services.funder_stream_figures(current_user, stream_id)
    return render_template("money/funder_stream.html", figures=figures)


@bp.get("/funder/streams/<int:stream_id>/statement")
@require(IsFunderOfficer)
def funder_statement(stream_id: int):
    stream = services.funder_statement_stream(current_user, stream_id)
    return render_template("money/statement.html", acting=None, statement=statement_of(stream),
                           periods=services.periods_of(stream),
                           csv_url=url_for("money.funder_statement_csv", stream_id=stream_id,
                                           period=request.args.get("period")),
                           back_url=url_for("money.funder_stream", stream_id=stream_id))


@bp.get("/funder/streams/<int:stream_id>/statement.csv")
@require(IsFunderOfficer)
def funder_statement_csv(stream_id: int):
    return csv_download(statement_of(services.funder_statement_stream(current_user, stream_id)))
