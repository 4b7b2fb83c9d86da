"""The person's money (or the money of the person a helper acts for): everything at a glance, one
funding stream in full with its chart, statements (a page and CSV), and sharing the budget with
their broker."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.core.flows import press
from app.core.forms import EmptyForm
from app.core.permissions import IsSignedIn, require
from app.engagements import services as engagements
from app.holders import services as holders
from app.money import services
from app.money.chart import spending_chart
from app.money.views import bp


@bp.get("/people/<int:holder_id>/money")
@require(IsSignedIn)
def home(holder_id: int):
    acting = holders.access(current_user, holder_id)
    page = services.money_page(acting)
    broker = engagements.current_broker_of(acting.holder)
    return render_template("money/home.html", acting=acting, page=page, broker=broker, form=EmptyForm())


@bp.get("/people/<int:holder_id>/money/streams/<int:stream_id>")
@require(IsSignedIn)
def stream(holder_id: int, stream_id: int):
    acting = holders.access(current_user, holder_id)
    page = services.stream_page(acting, stream_id)
    figures = page.figures
    return render_template("money/stream.html", acting=acting, figures=figures, receipts=page.receipts,
                           chart=spending_chart(figures.stream, figures.today))


def statement_of(stream):
    period = services.period_of(stream, request.args.get("period"))
    return services.statement(stream, period)


@bp.get("/people/<int:holder_id>/money/streams/<int:stream_id>/statement")
@require(IsSignedIn)
def statement(holder_id: int, stream_id: int):
    acting = holders.access(current_user, holder_id)
    stream = services.holder_statement_stream(acting, stream_id)
    return render_template("money/statement.html", acting=acting, statement=statement_of(stream),
                           periods=services.periods_of(stream),
                           csv_url=url_for("money.statement_csv", holder_id=holder_id, stream_id=stream_id,
                                           period=request.args.get("period")),
                           back_url=url_for("money.stream", holder_id=holder_id, stream_id=stream_id))


def csv_download(result) -> Response:
    name = f"statement-{result.stream.id}-{result.period.value}.csv"
    # With a byte order mark, so spreadsheet programs read the £ signs and names as UTF-8.
    return Response("\ufeff" + services.statement_csv(result), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/people/<int:holder_id>/money/streams/<int:stream_id>/statement.csv")
@require(IsSignedIn)
def statement_csv(holder_id: int, stream_id: int):
    acting = holders.access(current_user, holder_id)
    return csv_download(statement_of(services.holder_statement_stream(acting, stream_id)))


@bp.post("/people/<int:holder_id>/money/sharing")
@require(IsSignedIn)
def share_budget(holder_id: int):
    acting = holders.access(current_user, holder_id, act=True)
    done = press(EmptyForm(), lambda: services.share_budget_with_broker(acting))
    if done:
        flash(f"{done.value.broker.display_name} can now see a summary of the budget. You can stop this at any time.",
              "success")
    return redirect(url_for("money.home", holder_id=holder_id))  # the message is at the top


@bp.post("/people/<int:holder_id>/money/sharing/stop")
@require(IsSignedIn)
def stop_sharing_budget(holder_id: int):
    acting = holders.access(current_user, holder_id, act=True)
    if press(EmptyForm(), lambda: services.stop_sharing_budget(acting)):
        flash("The broker can no longer see the budget.", "success")
    return redirect(url_for("money.home", holder_id=holder_id))  # the message is at the top
