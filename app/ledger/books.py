"""The books: each company's chart of accounts, and its transactions of balanced entries.

Amounts are signed pence: a debit is positive, a credit negative, and every transaction's entries
add up to zero. Entries are never changed or deleted (database triggers refuse it); a mistake
is put right by a reversing transaction that names the original, once only (a unique key).
Each account keeps its balance, updated with its entries and versioned, so two postings at once
cannot both start from the same balance. Each company's transactions are numbered and
hash-chained: each stores the hash of its own content and of the one before it.

The postings (debit +, credit -):
- money received for stream S:      bank +X, funds:S -X
- invoice approved (category C, payee P): spending:C +X, payable:P -X
- invoice paid from streams S1..Sn:  payable:P +X, bank -X, funds:Si +xi (each), met:C -X
So funds:S holds what S has received and not yet paid out; payable:P what is approved and not yet
paid to P; spending:C all approved spending on C; and spending:C + met:C what of it is unpaid.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.enums import LabelledEnum
from app.core.money import MoneyColumn
from app.core.timeutil import utcnow
from app.core.types import StrEnum, UTCDateTime
from app.extensions import db


class AccountKind(LabelledEnum):
    BANK = "bank", "Cash at bank"
    FUNDS = "funds", "Funds held"  # per stream: received and not yet spent
    PAYABLE = "payable", "Owed to"  # per provider or broker: approved and not yet paid
    SPENDING = "spending", "Spending"  # per service category
    MET = "met", "Paid from funding streams"  # per category: what the streams have paid for

    @property
    def debit_normal(self) -> bool:
        """Assets and spending grow by debits; funds held and what is owed grow by credits."""
        return self in (AccountKind.BANK, AccountKind.SPENDING)


class LedgerAccount(db.Model):
    __tablename__ = "ledger_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    # "bank", "funds:<stream>", "payable:provider:<org>", "payable:broker:<broker>", "spending:<category>",
    # "met:<category>"
    key: Mapped[str] = mapped_column(String(64))
    kind: Mapped[AccountKind] = mapped_column(StrEnum(AccountKind))
    name: Mapped[str] = mapped_column(String(200))
    stream_id: Mapped[int | None] = mapped_column(ForeignKey("funding_streams.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("provider_organisations.id"))
    broker_id: Mapped[int | None] = mapped_column(ForeignKey("broker_profiles.id"))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("service_categories.id"))
    # The sum of the account's entries (debits positive), kept with them.
    balance_pence: Mapped[int] = mapped_column(MoneyColumn, default=0)
    # Of that balance, what payments (and corrections of payments) put there, kept the same way: a
    # stream's funds account then tells what came in and what was spent without reading every entry.
    payments_pence: Mapped[int] = mapped_column(MoneyColumn, default=0)
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("company_id", "key", name="uq_ledger_accounts_company_key"),)
    # Every balance update checks the version it read (UPDATE ... WHERE version = n).
    __mapper_args__ = {"version_id_col": version}

    @property
    def natural_balance(self) -> int:
        """The balance as people read it: positive when the account holds what it is for."""
        return self.balance_pence if self.kind.debit_normal else -self.balance_pence


class TransactionSource(LabelledEnum):
    RECEIPT = "receipt", "Money received"
    INVOICE = "invoice", "Invoice approved"
    PAYMENT = "payment", "Payment"
    ADJUSTMENT = "adjustment", "Adjustment"
    REVERSAL = "reversal", "Correction (reversal)"


class LedgerTransaction(db.Model):
    __tablename__ = "ledger_transactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    sequence: Mapped[int] = mapped_column(Integer)  # 1, 2, 3... per company
    source: Mapped[TransactionSource] = mapped_column(StrEnum(TransactionSource))
    # Chosen by the caller: posting the same key twice records it once.
    idempotency_key: Mapped[str] = mapped_column(String(120))
    # The hash of what was posted (without the chain), to tell a repeat from a different posting.
    fingerprint: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(String(300))
    occurred_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_transactions.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    previous_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    entries = relationship("LedgerEntry", back_populates="transaction", order_by="LedgerEntry.id")
    actor = relationship("User", foreign_keys=[actor_id])
    on_behalf_of = relationship("User", foreign_keys=[on_behalf_of_id])
    reverses = relationship("LedgerTransaction", remote_side=[id], foreign_keys=[reverses_id],
                            back_populates="reversal")
    reversal = relationship("LedgerTransaction", foreign_keys=[reverses_id], back_populates="reverses",
                            uselist=False)

    __table_args__ = (
        UniqueConstraint("company_id", "sequence", name="uq_ledger_transactions_company_sequence"),
        UniqueConstraint("company_id", "idempotency_key", name="uq_ledger_transactions_company_key"),
        # An original can be reversed once only.
        UniqueConstraint("reverses_id", name="uq_ledger_transactions_reverses_once"),
        CheckConstraint("(source = 'reversal') = (reverses_id IS NOT NULL)", name="reversal_names_original"),
    )

    @property
    def is_reversed(self) -> bool:
        return self.reversal is not None


class LedgerEntry(db.Model):
    __tablename__ = "ledger_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("ledger_transactions.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("ledger_accounts.id"), index=True)
    amount_pence: Mapped[int] = mapped_column(MoneyColumn)  # debit positive, credit negative

    transaction = relationship("LedgerTransaction", back_populates="entries")
    account = relationship("LedgerAccount")

    __table_args__ = (CheckConstraint("amount_pence <> 0", name="amount_not_zero"),)


@event.listens_for(LedgerEntry, "before_update")
@event.listens_for(LedgerEntry, "before_delete")
@event.listens_for(LedgerTransaction, "before_update")
@event.listens_for(LedgerTransaction, "before_delete")
def _refuse_change(mapper, connection, target):
    raise RuntimeError("Ledger transactions and entries are never changed or deleted: post a reversal")
