"""The report pages: a hub's performance, every hub side by side, the lists behind the numbers,
and each table as a CSV download (`?download=<table>` on the page that shows it)."""

from __future__ import annotations

from flask import Response, redirect, render_template, request, url_for
from flask_login import current_user

from app.core.errors import NotFound
from app.core.permissions import IsAdmin, IsHubLead, require
from app.core.timeutil import today_in_london, utcnow
from app.hubs.policies import leads_hub
from app.reports import bp, pages, services
from app.reports.forms import PeriodForm
from app.reports.period import default_period
from app.reports.tables import Table

READERS = IsHubLead | IsAdmin


def _chosen(with_hub: bool = True) -> tuple[PeriodForm, services.Period | None]:
    """The period (and hub) from the address; None with the form's errors when it is wrong."""
    form = PeriodForm(formdata=request.args)
    hubs = services.hubs_for(current_user) if with_hub else []
    form.hub.choices = [(hub.id, hub.name) for hub in hubs]
    today = today_in_london()
    period = form.period(default_period(today), today)
    if period is not None and not (request.args.get("start") or request.args.get("end")):
        form.start.data, form.end.data = period.first_day, period.last_day
    return form, period


def _links(hub, period) -> pages.Links:
    return pages.Links(hub.id, period, is_lead=leads_hub(current_user, hub.id))


def _download(tables: dict[str, Table], name: str):
    """The table asked for as CSV, or None when the page itself is wanted."""
    key = request.args.get("download")
    if key is None:
        return None
    table = tables.get(key)
    if table is None:
        return None
    return Response("\ufeff" + table.to_csv(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}-{key}.csv"'})


@bp.get("/hub/performance")
@require(READERS)
def hub():
    form, period = _chosen()
    if period is None:
        return render_template("reports/hub.html", form=form, report=None, is_lead=IsHubLead(current_user)), 400
    if form.hub.data is None and IsAdmin(current_user) and not IsHubLead(current_user):
        return redirect(url_for("reports.all_hubs"))
    report = services.hub_report(current_user, form.hub.data, period)
    links = _links(report.hub, period)
    tables = pages.hub_tables(report, links)
    return _download(tables, f"{report.hub.slug}-{period.slug}") or render_template(
        "reports/hub.html", form=form, report=report, tables=tables, charts=pages.hub_charts(report, links),
        hub_choices=len(form.hub.choices) > 1, is_lead=links.is_lead)


def _list_page(build):
    """A list behind a number: `build(hub_id, period)` gives (hub, heading, table, context)."""
    form, period = _chosen()
    if period is None:
        return render_template("reports/hub.html", form=form, report=None, is_lead=IsHubLead(current_user)), 400
    hub, heading, table, context = build(form.hub.data, period)
    return _download({table.key: table}, f"{hub.slug}-{period.slug}") or render_template(
        "reports/list.html", hub=hub, period=period, table=table, heading=heading,
        back=_links(hub, period).to("reports.hub"), **context)


@bp.get("/hub/performance/needs")
@require(READERS)
def needs():
    def build(hub_id, period):
        hub, title, rows = services.needs_behind(current_user, hub_id, period, request.args.get("measure", ""),
                                                 request.args.get("urgency") or None)
        return hub, title, pages.need_list_table(rows, title), {}
    return _list_page(build)


@bp.get("/hub/performance/gaps")
@require(READERS)
def gaps():
    def build(hub_id, period):
        overdue, waiting = request.args.get("overdue") == "1", request.args.get("waiting") == "1"
        category, district = request.args.get("category"), request.args.get("district")
        hub, rows = services.gaps_behind(current_user, hub_id, period, category=category, district=district,
                                         waiting=waiting, overdue=overdue)
        heading = ("Gaps without a response after 14 days, recorded at any time" if overdue else
                   "Gaps without a response" if waiting else "Gaps recorded")
        where = " in ".join(x for x in (category, district) if x)
        heading = f"{heading}: {where}" if where else heading
        return hub, heading, pages.gap_list_table(rows, utcnow(), heading), {}
    return _list_page(build)


@bp.get("/hub/performance/providers/<int:organisation_id>")
@require(READERS)
def provider(organisation_id: int):
    def build(hub_id, period):
        hub, line, rows = services.provider_behind(current_user, hub_id, period, organisation_id)
        heading = f"{line.name}: the hub's needs it was told about or offered on"
        return hub, heading, pages.need_list_table(rows, heading), {"line": line}
    return _list_page(build)


@bp.get("/hub/performance/reviews")
@require(READERS)
def reviews():
    def build(hub_id, period):
        question, answer = request.args.get("question"), request.args.get("answer")
        broker_id = request.args.get("broker", type=int)
        if "broker" in request.args and broker_id is None:
            raise NotFound()
        hub, rows = services.reviews_behind(current_user, hub_id, period, question=question, answer=answer,
                                            broker_id=broker_id)
        heading = pages.reviews_heading(question, answer, rows if broker_id else [])
        return hub, heading, pages.review_list_table(rows, heading), {}
    return _list_page(build)


@bp.get("/admin/hubs/performance")
@require(IsAdmin)
def all_hubs():
    form, period = _chosen(with_hub=False)
    if period is None:
        return render_template("reports/all_hubs.html", form=form, summaries=None), 400
    summaries = services.all_hubs_report(current_user, period)
    tables = {"hubs": pages.all_hubs_table(summaries, period), "fees": pages.fees_table(summaries)}
    return _download(tables, f"all-hubs-{period.slug}") or render_template(
        "reports/all_hubs.html", form=form, period=period, summaries=summaries, tables=tables)
