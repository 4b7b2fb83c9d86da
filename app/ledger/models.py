"""A budget holder's company, the funding streams that pay into it, and the money that arrives.

The books themselves (accounts, transactions, entries) are in `app.ledger.books`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.enums import LabelledEnum
from app.core.money import MoneyColumn, format_pence
from app.core.timeutil import utcnow
from app.core.types import StrEnum, UTCDateTime
from app.extensions import db


class CompanyKind(LabelledEnum):
    LIMITED = "limited", "A limited company (registered at Companies House)"
    BUDGET_ACCOUNT = "budget_account", "A budget account (not a registered company)"


class Company(db.Model):
    """The budget holder's own small company (or unincorporated budget account): it receives the
    money of every funder and pays for the support. One per person."""

    __tablename__ = "companies"

    id: Mapped[int] = mapped_column(primary_key=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("budget_holders.id"), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    kind: Mapped[CompanyKind] = mapped_column(StrEnum(CompanyKind))
    companies_house_number: Mapped[str | None] = mapped_column(String(8))
    # Who manages the money day to day: the person (None) or a helper who can act for them.
    manager_delegation_id: Mapped[int | None] = mapped_column(ForeignKey("delegations.id"))
    bank_account_name: Mapped[str] = mapped_column(String(120), default="")
    bank_sort_code: Mapped[str] = mapped_column(String(6), default="")
    bank_account_number: Mapped[str] = mapped_column(String(8), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    holder = relationship("BudgetHolder")
    manager_delegation = relationship("Delegation")
    streams = relationship("FundingStream", back_populates="company", order_by="FundingStream.id")

    __table_args__ = (
        CheckConstraint("kind <> 'limited' OR companies_house_number IS NOT NULL",
                        name="limited_has_number"),
    )

    @property
    def masked_account_number(self) -> str:
        """"ending 5678": never the whole number on a page."""
        return f"ending {self.bank_account_number[-4:]}" if self.bank_account_number else ""

    @property
    def masked_sort_code(self) -> str:
        return f"**-**-{self.bank_sort_code[-2:]}" if self.bank_sort_code else ""

    @property
    def manager(self):
        """The helper who manages the money (a current one), or None when the person does."""
        delegation = self.manager_delegation
        return delegation.user if delegation is not None and delegation.can_act else None


class PaymentSchedule(LabelledEnum):
    FOUR_WEEKLY = "four_weekly", "Every 4 weeks, in advance"
    MONTHLY = "monthly", "Every month, in advance"
    QUARTERLY = "quarterly", "Every 3 months, in advance"
    YEARLY = "yearly", "Once, at the start of the period"

    @property
    def payments_in(self) -> int:
        """How many payments a year-long period has on this schedule."""
        return {"four_weekly": 13, "monthly": 12, "quarterly": 4, "yearly": 1}[self.value]


class FundingStream(db.Model):
    """Money for the person's support from one funder, for one period: its allocation, how it is
    expected to arrive, and what it may pay for. A stream of a funding body in the portal is
    confirmed (and its allocation and restrictions set) by one of that body's officers."""

    __tablename__ = "funding_streams"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    funding_body_id: Mapped[int | None] = mapped_column(ForeignKey("funding_bodies.id"), index=True)
    funder_name: Mapped[str] = mapped_column(String(160))  # a funder outside the portal (or the body's name)
    name: Mapped[str] = mapped_column(String(160))
    allocation_pence: Mapped[int] = mapped_column(MoneyColumn)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    schedule: Mapped[PaymentSchedule] = mapped_column(StrEnum(PaymentSchedule))
    # The service categories it may pay for (ids); empty means any.
    category_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # The one-off key of the form that added it: the same form sent twice adds one stream.
    form_key: Mapped[str | None] = mapped_column(String(64))

    company = relationship("Company", back_populates="streams")
    funding_body = relationship("FundingBody")
    confirmed_by = relationship("User", foreign_keys=[confirmed_by_id])
    changes = relationship("StreamChange", back_populates="stream", order_by="StreamChange.id.desc()")

    __table_args__ = (
        CheckConstraint("allocation_pence >= 0", name="allocation_not_negative"),
        CheckConstraint("ends_on > starts_on", name="period_ends_after_start"),
        UniqueConstraint("company_id", "form_key", name="uq_funding_streams_company_form_key"),
    )

    @property
    def in_portal(self) -> bool:
        """Its funder is a funding body in the portal (whose officers confirm it)."""
        return self.funding_body_id is not None

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def funder_label(self) -> str:
        return self.funding_body.name if self.funding_body is not None else self.funder_name

    def may_pay_for(self, category_id: int) -> bool:
        return not self.category_ids or category_id in self.category_ids

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


class StreamChange(db.Model):
    """One change to a funding stream (set up, confirmed, allocation or restrictions changed):
    who made it, when, why, and each field's old and new value. Kept for good."""

    __tablename__ = "stream_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    stream_id: Mapped[int] = mapped_column(ForeignKey("funding_streams.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # created | confirmed | changed
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # field -> [old, new]
    reason: Mapped[str] = mapped_column(Text)
    by_funder: Mapped[bool] = mapped_column(default=False)
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    stream = relationship("FundingStream", back_populates="changes")
    changed_by = relationship("User")

    KINDS = {"created": "Set up", "confirmed": "Confirmed", "changed": "Changed"}

    @property
    def label(self) -> str:
        return self.KINDS.get(self.kind, self.kind)

    @property
    def described(self) -> list[str]:
        """Each field that changed, in words ("Allocation: £24,000.00 to £25,000.00")."""
        words = []
        for name, (old, new) in sorted((self.changes or {}).items()):
            if self.kind == "created":
                continue
            if name == "allocation_pence":
                words.append(f"Allocation: {format_pence(old)} to {format_pence(new)}")
            elif name == "category_ids":
                words.append(f"What it may pay for: {_kinds(old)} to {_kinds(new)}")
            else:
                words.append(f"{name.replace('_', ' ').capitalize()}: {old} to {new}")
        return words


def _kinds(category_ids) -> str:
    """The kinds of support a stream may pay for, in words."""
    from app.taxonomy.services import names_of

    return ", ".join(names_of(category_ids)) if category_ids else "any kind of support"


class Receipt(db.Model):
    """Money arriving from a funder into the company's bank account, for one stream."""

    __tablename__ = "receipts"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    stream_id: Mapped[int] = mapped_column(ForeignKey("funding_streams.id"), index=True)
    received_on: Mapped[date] = mapped_column(Date)
    amount_pence: Mapped[int] = mapped_column(MoneyColumn)
    reference: Mapped[str] = mapped_column(String(80))
    transaction_id: Mapped[int] = mapped_column(ForeignKey("ledger_transactions.id"), unique=True)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    stream = relationship("FundingStream")
    transaction = relationship("LedgerTransaction")
    recorded_by = relationship("User")

    __table_args__ = (CheckConstraint("amount_pence > 0", name="amount_positive"),)

    @property
    def is_reversed(self) -> bool:
        return self.transaction.reversal is not None
