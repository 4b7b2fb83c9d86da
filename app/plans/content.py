"""What a plan says, in one shape whether it is the working draft or a frozen version: the
canonical content (and its SHA-256, which a signature keeps), what is missing before it can be
submitted, and the budget check of its costed lines.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from app.core.money import format_pence
from app.core.timeutil import format_date
from app.extensions import db
from app.ledger import services as ledger
from app.plans.models import GivenBy, IndicativeBudget, MoneyArrangement, PaidBy, PlanLine, SupportPlan
from app.plans.sections import SECTIONS, TEXT_SECTIONS


def stream_label(stream) -> str:
    """"Westminster personal budget (Westminster City Council)"; a name that already says who pays stays as it is."""
    funder = stream.funder_label
    return stream.name if funder.lower().startswith(stream.name.lower()) or funder.lower() in stream.name.lower() \
        else f"{stream.name} ({funder})"


def line_content(line: PlanLine) -> dict:
    stream = line.funding_stream
    return {"need": line.need, "support": line.support, "given_by": line.given_by.value,
            "given_by_name": line.given_by_name, "quantity": line.quantity, "cost_pence": line.cost_pence,
            "paid_by": line.paid_by.value, "stream_id": stream.id if stream else None,
            "stream_name": stream_label(stream) if stream else ""}


def content_of(plan: SupportPlan) -> dict:
    """The working plan as the content a version keeps."""
    return {
        "holder": plan.holder.name, "funder": plan.funding_body.name,
        "sections": {s.key: (plan.sections or {}).get(s.key, "") for s in TEXT_SECTIONS},
        "money_arrangement": plan.money_arrangement.value if plan.money_arrangement else None,
        "services_start_on": plan.services_start_on.isoformat() if plan.services_start_on else None,
        "review_weeks": plan.review_weeks,
        "over_budget_explanation": plan.over_budget_explanation or "",
        "lines": [line_content(line) for line in plan.lines],
    }


def canonical(content: dict) -> bytes:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def content_hash(content: dict) -> str:
    """The SHA-256 of the exact content, as 64 hex digits."""
    return hashlib.sha256(canonical(content)).hexdigest()


@dataclass(frozen=True)
class LineView:
    need: str
    support: str
    given_by: GivenBy
    given_by_name: str
    quantity: str
    cost_pence: int
    paid_by: PaidBy
    stream_name: str
    id: int | None = None

    @property
    def who(self) -> str:
        return f"{self.given_by.label}: {self.given_by_name}" if self.given_by_name else self.given_by.label

    @property
    def paid_from(self) -> str:
        if self.paid_by == PaidBy.STREAM:
            return self.stream_name
        return self.paid_by.label

    def as_text(self) -> str:
        """One line's words, for comparing versions."""
        cost = format_pence(self.cost_pence) if self.cost_pence else "unpaid"
        return (f"{self.need}. Support: {self.support}. Given by {self.who}. How much: {self.quantity}. "
                f"Cost a year: {cost}. Paid from: {self.paid_from}.")


@dataclass(frozen=True)
class PlanContent:
    """A plan's words and lines, read from the working plan or from a version."""

    raw: dict
    line_ids: tuple = ()

    def text(self, key: str) -> str:
        return (self.raw.get("sections") or {}).get(key, "") or ""

    @property
    def outcomes(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.text("outcomes").splitlines() if line.strip(" -•\t")]

    @property
    def lines(self) -> list[LineView]:
        ids = list(self.line_ids) + [None] * len(self.raw.get("lines") or [])
        return [LineView(need=item["need"], support=item["support"], given_by=GivenBy(item["given_by"]),
                         given_by_name=item.get("given_by_name", ""), quantity=item["quantity"],
                         cost_pence=item["cost_pence"], paid_by=PaidBy(item["paid_by"]),
                         stream_name=item.get("stream_name", ""), id=ids[n])
                for n, item in enumerate(self.raw.get("lines") or [])]

    @property
    def money_arrangement(self) -> MoneyArrangement | None:
        value = self.raw.get("money_arrangement")
        return MoneyArrangement(value) if value else None

    @property
    def services_start_on(self) -> date | None:
        value = self.raw.get("services_start_on")
        return date.fromisoformat(value) if value else None

    @property
    def review_weeks(self) -> int:
        return self.raw.get("review_weeks") or 6

    @property
    def over_budget_explanation(self) -> str:
        return self.raw.get("over_budget_explanation") or ""

    @property
    def total_cost(self) -> int:
        return sum(line.cost_pence for line in self.lines)

    def section_text(self, key: str) -> str:
        """Every part as plain text (the lines one per line), for comparing versions."""
        if key == "needs":
            return "\n".join(line.as_text() for line in self.lines)
        if key == "money":
            arrangement = self.money_arrangement
            return "\n".join(filter(None, [arrangement.label if arrangement else "", self.text("money")]))
        if key == "start":
            start = self.services_start_on
            return f"{format_date(start)} (first review {self.review_weeks} weeks later)" if start else ""
        return self.text(key)

    def is_empty(self, key: str) -> bool:
        if key == "money":
            return self.money_arrangement is None or not self.text("money").strip()
        return not self.section_text(key).strip()

    def missing(self) -> list[str]:
        """The headings of the required parts still empty."""
        return [s.heading for s in SECTIONS if s.required and self.is_empty(s.key)]


def working_content(plan: SupportPlan) -> PlanContent:
    return PlanContent(content_of(plan), tuple(line.id for line in plan.lines))


# --- The budget ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetRow:
    label: str
    available_pence: int
    planned_pence: int

    @property
    def over_by(self) -> int:
        return max(0, self.planned_pence - self.available_pence)


@dataclass(frozen=True)
class BudgetCheck:
    streams: list[BudgetRow] = field(default_factory=list)
    indicative: BudgetRow | None = None
    unchecked_pence: int = 0  # lines paid from the funder's budget with no indicative budget set yet

    @property
    def warnings(self) -> list[str]:
        rows = [*self.streams, *([self.indicative] if self.indicative else [])]
        return [f"{row.label}: the plan's lines come to {format_pence(row.planned_pence)} a year, "
                f"{format_pence(row.over_by)} more than the {format_pence(row.available_pence)} available."
                for row in rows if row.over_by]

    @property
    def is_over(self) -> bool:
        return bool(self.warnings)


def indicative_budget(holder_id: int, funding_body_id: int) -> IndicativeBudget | None:
    return db.session.scalar(select(IndicativeBudget).where(
        IndicativeBudget.holder_id == holder_id, IndicativeBudget.funding_body_id == funding_body_id))


def budget_check(plan: SupportPlan, content: PlanContent | None = None, *, funder_view: bool = False) -> BudgetCheck:
    """Each stream's allocation against the lines paid from it, and the plan's funder's indicative
    budget against the lines that funder pays (its streams and its budget not yet set up as a stream).

    For the person's side: the working plan, with every stream's lines across all the person's plans.
    For the funder (`funder_view`, with the version they read as `content`): only that version's lines,
    and only their own body's streams (never what other funders allocate)."""
    lines = (content or working_content(plan)).raw.get("lines") or []
    company = ledger.company_of(plan.holder)
    streams = {s.id: s for s in (company.streams if company else [])}
    planned: dict[int, int] = {}
    if funder_view:
        for item in lines:
            if item["paid_by"] == PaidBy.STREAM.value:
                planned[item["stream_id"]] = planned.get(item["stream_id"], 0) + item["cost_pence"]
    else:
        every_line = db.session.scalars(select(PlanLine).join(SupportPlan).where(SupportPlan.holder_id == plan.holder_id))
        for line in every_line:
            if line.paid_by == PaidBy.STREAM:
                planned[line.funding_stream_id] = planned.get(line.funding_stream_id, 0) + line.cost_pence
    shown = [s for s in streams.values() if s.id in planned
             and (not funder_view or s.funding_body_id == plan.funding_body_id)]
    rows = [BudgetRow(stream_label(s), s.allocation_pence, planned[s.id]) for s in shown]
    body_streams = {s.id for s in streams.values() if s.funding_body_id == plan.funding_body_id}
    body_total = sum(item["cost_pence"] for item in lines if item["paid_by"] == PaidBy.INDICATIVE.value or (
        item["paid_by"] == PaidBy.STREAM.value and item["stream_id"] in body_streams))
    budget = indicative_budget(plan.holder_id, plan.funding_body_id)
    if budget is None:
        unchecked = sum(item["cost_pence"] for item in lines if item["paid_by"] == PaidBy.INDICATIVE.value)
        return BudgetCheck(rows, None, unchecked)
    return BudgetCheck(rows, BudgetRow(f"{plan.funding_body.name}’s indicative budget (all it pays for)", budget.amount_pence,
                                       body_total))
