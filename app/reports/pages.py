"""What the report pages show, as tables (each number linked to the list behind it) and charts,
built once so the page and its CSV downloads say the same thing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from urllib.parse import urlencode

from flask import g, url_for

from app.core.money import format_pence
from app.core.reference import QUALITY_ANSWERS, QUALITY_QUESTIONS
from app.core.timeutil import format_date
from app.reports.charts import BarChart, bar_chart
from app.reports.gaps_stats import GapRow
from app.reports.needs_stats import NeedRow, NeedStats
from app.reports.period import Period, month_after
from app.reports.stats import format_hours, format_share, share
from app.reports.tables import Table, cell


@dataclass(frozen=True)
class Links:
    """Addresses that keep the hub and the period."""

    hub_id: int
    period: Period
    is_lead: bool  # the hub lead's own pages (brokers, directory) are linked only for them

    def to(self, endpoint: str, period: Period | None = None, organisation_id: int | None = None, **args) -> str:
        """The page's address with the hub, the period and `args` in its query. (Built from one
        `url_for` per page and provider: a big hub's report has over a thousand links.)"""
        common = self._common if period is None else _common(self.hub_id, period)
        extra = urlencode({k: v for k, v in args.items() if v is not None})
        return f"{_base(endpoint, organisation_id)}?{common}" + (f"&{extra}" if extra else "")

    @cached_property
    def _common(self) -> str:
        return _common(self.hub_id, self.period)

    def needs(self, measure: str, urgency: str | None = None) -> str:
        return self.to("reports.needs", measure=measure, urgency=urgency)

    def lead(self, endpoint: str, **args) -> str | None:
        return url_for(endpoint, **args) if self.is_lead else None


def _common(hub_id: int, period: Period) -> str:
    """The hub and the period, as a query string."""
    return urlencode({"hub": hub_id, **period.args()}, doseq=True)


def _base(endpoint: str, organisation_id: int | None) -> str:
    """url_for without a query, remembered for the request (the app's URL map does not change)."""
    cache = g.setdefault("report_paths", {})
    key = (endpoint, organisation_id)
    if key not in cache:
        cache[key] = url_for(endpoint, **({"organisation_id": organisation_id} if organisation_id is not None else {}))
    return cache[key]


def _hours_cell(value: float | None, href: str) -> object:
    return cell(format_hours(value), href, raw="" if value is None else round(value, 1))


def _after(value: float | None, otherwise: str) -> object:
    """A time in a list of needs, or what happened instead ("No offer")."""
    return _hours_cell(value, None) if value is not None else cell(otherwise, raw="")


def _share_cell(value: int | None, href: str) -> object:
    return cell(format_share(value), href, raw="" if value is None else value)


NEED_MEASURES = [
    ("Needs posted", "posted", lambda s: s.posted),
    ("Still open", "open", lambda s: s.open),
    ("Filled", "filled", lambda s: s.filled),
    ("Withdrawn", "withdrawn", lambda s: s.withdrawn),
]


def needs_table(stats: NeedStats, discharge: NeedStats, links: Links, offers_per_need: float | None = None) -> Table:
    rows = []
    for label, key, count in NEED_MEASURES:
        rows.append([cell(label), cell(count(stats), links.needs(key)),
                     cell(count(discharge), links.needs(key, "hospital_discharge"))])
    timed = [("Time to first offer: median", "first_offer", "first_offer_median"),
             ("Time to first offer: 90th percentile", "first_offer", "first_offer_p90"),
             ("Time to filled: median", "to_filled", "filled_median"),
             ("Time to filled: 90th percentile", "to_filled", "filled_p90")]
    for label, key, name in timed:
        rows.append([cell(label), _hours_cell(getattr(stats, name), links.needs(key)),
                     _hours_cell(getattr(discharge, name), links.needs(key, "hospital_discharge"))])
    for label, key, name in (("Filled within 30 days", "within_30", "filled_in_30_days"),
                             ("First provider told within 4 hours", "told_4h", "told_in_4_hours")):
        rows.append([cell(label), _share_cell(getattr(stats, name), links.needs(key)),
                     _share_cell(getattr(discharge, name), links.needs(key, "hospital_discharge"))])
    rows.append([cell("Offers per need (average)"), cell("None yet" if offers_per_need is None else offers_per_need,
                                                        links.needs("first_offer"), raw=offers_per_need), cell("")])
    return Table("needs", "Needs posted in the period", ["Measure", "All needs", "Hospital discharge"], rows,
                 csv_headers=["Measure (times in hours, shares in per cent)", "All needs", "Hospital discharge"])


def needs_chart(stats: NeedStats) -> BarChart:
    return bar_chart("What happened to the needs posted", "Needs posted, still open, filled and withdrawn",
                     [(label, count(stats), str(count(stats))) for label, _, count in NEED_MEASURES])


def need_list_table(rows: list[NeedRow], title: str) -> Table:
    return Table("list", title, ["Need", "Service", "District", "Broker", "Published", "First provider told after",
                                 "First offer after", "Filled after", "Status"],
                 [[cell(f"N{r.id}"), cell(r.category), cell(r.district), cell(r.broker),
                   cell(format_date(r.published_at), raw=r.published_at.isoformat()),
                   _after(r.hours_to_first_told, "Nobody told"), _after(r.hours_to_first_offer, "No offer"),
                   _after(r.hours_to_filled, "Not filled"), cell(r.status.label)] for r in rows],
                 empty="No needs.",
                 csv_headers=["Need", "Service", "District", "Broker", "Published (UTC)",
                              "First provider told after (hours)", "First offer after (hours)", "Filled after (hours)",
                              "Status"])


def gap_list_table(rows: list[GapRow], now, caption: str = "Each gap and its response") -> Table:
    return Table("gaps", caption, ["Recorded", "Gap", "Reason", "Broker", "Response", "Waiting over 14 days"],
                 [[cell(format_date(r.flagged_at), raw=r.flagged_at.isoformat()), cell(f"{r.category} in {r.district}"),
                   cell(r.reason.label), cell(r.broker),
                   cell(r.response or ("Closed" if r.closed_at else "No response yet")),
                   cell("", raw="yes" if r.overdue(now) else "no",
                        flag="No response after 14 days" if r.overdue(now) else None)] for r in rows],
                 empty="No gaps were recorded in this period.")


def gap_place_table(report, links: Links) -> Table:
    rows = [[cell(p.category), cell(p.district),
             cell(p.count, links.to("reports.gaps", category=p.category, district=p.district)),
             cell(p.waiting, links.to("reports.gaps", category=p.category, district=p.district, waiting=1))]
            for p in report.gaps.places]
    return Table("gap_places", "Gaps by service and district", ["Service", "District", "Gaps", "Without a response"],
                 rows, empty="No gaps were recorded in this period.")


def _month_period(first: date, today: date) -> Period:
    return Period(first, min(month_after(first) - timedelta(days=1), today))


def gap_trend(report, links: Links) -> tuple[Table, BarChart]:
    today = report.gaps.today
    trend = report.gaps.trend
    table = Table("gap_trend", "Gaps recorded each month, the last 12 months", ["Month", "Gaps"],
                  [[cell(f"{first:%B %Y}"), cell(n, links.to("reports.gaps", period=_month_period(first, today)))]
                   for first, n in trend])
    chart = bar_chart("Gaps recorded each month", "Gaps recorded in each of the last 12 months",
                      [(f"{first:%b %Y}", n, str(n)) for first, n in trend])
    return table, chart


def gap_trend_by_service(report, links: Links) -> Table:
    today = report.gaps.today
    months = [first for first, _ in report.gaps.trend]
    rows = [[cell(category)] + [cell(n, links.to("reports.gaps", period=_month_period(first, today), category=category))
                                for first, n in zip(months, counts, strict=True)] + [cell(sum(counts))]
            for category, counts in report.gaps.trend_by_service]
    return Table("gap_trend_by_service", "Gaps recorded each month by service, the last 12 months",
                 ["Service", *(f"{first:%b %Y}" for first in months), "All 12 months"], rows,
                 empty="No gaps were recorded in the last 12 months.")


def provider_table(report, links: Links) -> Table:
    def href(line):
        return links.to("reports.provider", organisation_id=line.organisation_id)

    rows = [[cell(p.name), cell(p.told, href(p)), cell(p.offers, href(p)), cell(p.offered_on, href(p)),
             _hours_cell(p.median_response, href(p)), cell(p.accepted, href(p)), cell(p.handed_back, href(p))]
            for p in report.providers]
    return Table("providers", "Providers: how they answered the hub's needs",
                 ["Provider", "Needs told about", "Offers", "Needs offered on", "Median response time",
                  "Offers accepted", "Hand-backs"], rows, empty="No provider was told about a need in this period.",
                 csv_headers=["Provider", "Needs told about", "Offers", "Needs offered on",
                              "Median response time (hours)", "Offers accepted", "Hand-backs"])


def silent_table(report, links: Links) -> Table:
    rows = [[cell(p.name), cell(p.told, links.to("reports.provider", organisation_id=p.organisation_id))]
            for p in report.never_responded]
    return Table("never_responded", "Providers that never responded", ["Provider", "Needs told about"], rows,
                 empty="Every provider told about a need made at least one offer.")


def _hours_of(minutes: int) -> str:
    return f"{minutes / 60:.1f}".rstrip("0").rstrip(".")


def broker_table(report, links: Links) -> Table:
    rows = [[cell(b.broker.display_name, links.lead("brokers.review_broker", broker_id=b.broker.id)),
             cell(b.status), cell(b.caseload, links.lead("engagements.hub_engagements")),
             cell(_hours_of(b.minutes_used), links.lead("engagements.hub_engagements"),
                  flag="Over the band" if b.minutes_used > b.minutes_allocated else None),
             cell(_hours_of(b.minutes_allocated), links.lead("engagements.hub_engagements")),
             cell("; ".join(b.expired + b.expiring) or "None", links.lead("brokers.review_broker", broker_id=b.broker.id),
                  flag="Expired" if b.expired else "Expiring" if b.expiring else None)]
            for b in report.brokers]
    return Table("brokers", "Brokers today", ["Broker", "Status", "Clients now", "Band hours used",
                                              "Band hours allocated", "Checks expired, or expiring within 30 days"], rows,
                 empty="No brokers in this hub yet.")


def satisfaction_table(report, links: Links) -> Table:
    said = report.satisfaction
    rows = [[cell(question)] + [cell(said.count(key, answer), links.to("reports.reviews", question=key, answer=answer))
                                for answer in QUALITY_ANSWERS]
            + [_share_cell(share(said.count(key, "yes"), said.answered(key)),
                           links.to("reports.reviews", question=key, answer="yes"))]
            for key, question in QUALITY_QUESTIONS.items()]
    return Table("satisfaction", "What clients said: the council's quality questions",
                 ["Question", *QUALITY_ANSWERS.values(), "Share answering Yes"], rows)


def satisfaction_chart(report) -> BarChart:
    said = report.satisfaction
    items = []
    for key, question in QUALITY_QUESTIONS.items():
        yes = share(said.count(key, "yes"), said.answered(key))
        items.append((question, yes or 0, f"{yes}% yes" if yes is not None else "no answers"))
    return bar_chart("Share answering Yes to each question", "For each quality question, the share of clients "
                     "who answered Yes", items, maximum=100)


def ratings_table(report, links: Links) -> Table:
    said = report.satisfaction
    rows = [[cell(said.names[broker_id]), cell(len(ratings), links.to("reports.reviews", broker=broker_id)),
             cell(f"{sum(ratings) / len(ratings):.1f} out of 5", raw=round(sum(ratings) / len(ratings), 2))]
            for broker_id, ratings in sorted(said.ratings.items(), key=lambda item: said.names[item[0]].lower())]
    return Table("ratings", "Review ratings for each broker", ["Broker", "Reviews", "Average rating"], rows,
                 empty="No reviews were submitted in this period.")


def directory_table(report, links: Links) -> Table:
    return Table("directory", "The directory in the hub's districts", ["What", "Number"], [
        [cell("Entries not checked for 12 months"), cell(report.stale_entries, links.lead("directory.hub_index"))],
        [cell("Suggestions waiting for you"), cell(report.waiting_suggestions, links.lead("directory.hub_index"))]])


def hub_tables(report, links: Links) -> dict[str, Table]:
    trend_table, _ = gap_trend(report, links)
    return {table.key: table for table in (
        needs_table(report.needs, report.discharge, links, report.offers_per_need), gap_place_table(report, links),
        trend_table, gap_trend_by_service(report, links),
        gap_list_table(report.gaps.rows, report.needs.now), provider_table(report, links), silent_table(report, links),
        broker_table(report, links), satisfaction_table(report, links), ratings_table(report, links),
        directory_table(report, links))}


def hub_charts(report, links: Links) -> dict[str, BarChart]:
    return {"needs": needs_chart(report.needs), "gap_trend": gap_trend(report, links)[1],
            "satisfaction": satisfaction_chart(report)}


def all_hubs_table(summaries, period: Period) -> Table:
    rows = []
    for s in summaries:
        h, hub = s.headline, s.hub
        links = Links(hub.id, period, is_lead=False)
        rows.append([
            cell(hub.name if hub.is_active else f"{hub.name} ({hub.status.label.lower()})", links.to("reports.hub")),
            cell(h.posted, links.needs("posted")),
            cell(h.filled, links.needs("filled")), _hours_cell(h.filled_median, links.needs("to_filled")),
            _share_cell(h.filled_in_30_days, links.needs("within_30")),
            _share_cell(h.told_in_4_hours, links.needs("told_4h")),
            cell(h.gaps, links.to("reports.gaps")), cell(h.gaps_overdue, links.to("reports.gaps", overdue=1)),
            cell(h.listed_brokers, links.to("reports.hub")),
            cell(_agreement(hub)), cell(format_pence(s.fees.total_pence), raw=s.fees.total_pence / 100),
        ])
    return Table("hubs", "Every hub side by side", [
        "Hub", "Needs posted", "Filled", "Time to filled: median", "Filled within 30 days",
        "First provider told within 4 hours", "Gaps", "Gaps without a response after 14 days", "Brokers listed",
        "Agency agreement", "Fees due for the period"], rows, empty="No hubs yet.",
        csv_headers=["Hub", "Needs posted", "Filled", "Time to filled: median (hours)", "Filled within 30 days (%)",
                     "First provider told within 4 hours (%)", "Gaps", "Gaps without a response after 14 days",
                     "Brokers listed", "Agency agreement", "Fees due for the period (pounds)"])


def _agreement(hub) -> str:
    if hub.agreement_start is None:
        return "No agreement recorded"
    text = f"From {format_date(hub.agreement_start)}"
    text += f" to {format_date(hub.agreement_end)}" if hub.agreement_end else ", no end date"
    if hub.agreement_signed_on:
        text += f"; signed {format_date(hub.agreement_signed_on)}"
    return text


def fees_table(summaries) -> Table:
    rows = [[cell(s.hub.name), cell(s.fees.months), cell(format_pence(s.fees.monthly_fee_pence)),
             cell(s.fees.new_clients), cell(format_pence(s.fees.fee_per_new_client_pence)),
             cell(format_pence(s.fees.total_pence), raw=s.fees.total_pence / 100)] for s in summaries]
    return Table("fees", "Fees due under each agency agreement", [
        "Hub", "Months", "Monthly fee", "New clients", "Fee per new client", "Due for the period"], rows,
        empty="No hubs yet.")




def reviews_heading(question: str | None, answer: str | None, rows) -> str:
    if question in QUALITY_QUESTIONS and answer in QUALITY_ANSWERS:
        return f"Reviews answering {QUALITY_ANSWERS[answer]}: {QUALITY_QUESTIONS[question]}"
    if rows:
        return f"Reviews of {rows[0].broker.display_name}"
    return "Reviews submitted"


def review_list_table(rows, caption: str) -> Table:
    return Table("reviews", caption, ["Submitted", "Broker", "Rating", "Checked by the hub"],
                 [[cell(format_date(r.submitted_at), raw=r.submitted_at.isoformat()), cell(r.broker.display_name),
                   cell(f"{r.rating} out of 5", raw=r.rating), cell(r.status.label)] for r in rows],
                 empty="No reviews.")
