"""Posting to the books: the one way money moves in the ledger.

    post(company, source=TransactionSource.RECEIPT, key=f"receipt:{reference}",
         legs=[(bank(), 50000), (funds(stream), -50000)], occurred_on=day,
         description="...", actor=user)

A posting locks the company's row first, so one company's postings happen one after another
(each takes the next number and chains to the hash of the one before); other companies post
at the same time. Its legs must balance to zero (checked here, and on PostgreSQL again by a
deferred trigger at commit). Posting the same key twice records it once; the same key with other
amounts is refused. Nothing here commits: the caller's unit of work does.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.core.errors import DomainError
from app.core.records import locked
from app.extensions import db
from app.ledger.books import AccountKind, LedgerAccount, LedgerEntry, LedgerTransaction, TransactionSource
from app.ledger.models import Company

GENESIS_HASH = "0" * 64


class LedgerError(DomainError):
    """A posting the books cannot take (it does not balance, or repeats a key with other amounts)."""


@dataclass(frozen=True)
class AccountRef:
    """An account of the chart, named by its key; made the first time it is posted to."""

    key: str
    kind: AccountKind
    name: str
    stream_id: int | None = None
    organisation_id: int | None = None
    broker_id: int | None = None
    category_id: int | None = None


def bank() -> AccountRef:
    return AccountRef("bank", AccountKind.BANK, "Cash at bank")


def met(category) -> AccountRef:
    """What the funding streams have paid for, per category: credited as each payment is made,
    so a category's spending less what was met from the streams is what is approved and unpaid."""
    return AccountRef(f"met:{category.id}", AccountKind.MET, f"Paid from funding streams: {category.name}",
                      category_id=category.id)


def funds(stream) -> AccountRef:
    return AccountRef(f"funds:{stream.id}", AccountKind.FUNDS, f"Funds held: {stream.name}", stream_id=stream.id)


def spending(category) -> AccountRef:
    return AccountRef(f"spending:{category.id}", AccountKind.SPENDING, f"Spending: {category.name}", category_id=category.id)


def payable_to_provider(organisation) -> AccountRef:
    return AccountRef(f"payable:provider:{organisation.id}", AccountKind.PAYABLE, f"Owed to {organisation.name}",
                      organisation_id=organisation.id)


def payable_to_broker(broker) -> AccountRef:
    return AccountRef(f"payable:broker:{broker.id}", AccountKind.PAYABLE, f"Owed to {broker.display_name}",
                      broker_id=broker.id)


Leg = tuple[AccountRef, int]


def _canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def fingerprint_of(source: TransactionSource, occurred_on: date, legs: list[tuple[str, int]]) -> str:
    """What was posted, without where it sits in the chain: a repeat has the same fingerprint."""
    content = {"source": source.value, "on": occurred_on.isoformat(), "legs": sorted([k, a] for k, a in legs)}
    return hashlib.sha256(_canonical(content)).hexdigest()


def hash_of(transaction: LedgerTransaction, entries: list[tuple[int, int]]) -> str:
    """The chain link: the hash of the transaction's content and of the one before it."""
    content = {
        "company": transaction.company_id, "sequence": transaction.sequence, "source": transaction.source.value,
        "key": transaction.idempotency_key, "fingerprint": transaction.fingerprint,
        "description": transaction.description, "on": transaction.occurred_on.isoformat(),
        "reverses": transaction.reverses_id, "reason": transaction.reason, "previous": transaction.previous_hash,
        "entries": sorted([account_id, amount] for account_id, amount in entries),
    }
    return hashlib.sha256(_canonical(content)).hexdigest()


def check_legs(legs: list[Leg]) -> None:
    if len(legs) < 2:
        raise LedgerError("A ledger transaction needs at least two entries")
    for _, amount in legs:
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise TypeError("Ledger amounts are whole pence (int)")
        if amount == 0:
            raise LedgerError("A ledger entry cannot be for nothing")
    total = sum(amount for _, amount in legs)
    if total != 0:
        raise LedgerError(f"A ledger transaction must balance; this one is off by {total} pence")


def accounts_for(company: Company, refs: list[AccountRef]) -> dict[str, LedgerAccount]:
    """key -> the company's account, each made now if it is new (under the company's lock); one query."""
    found = {account.key: account for account in db.session.scalars(select(LedgerAccount).where(
        LedgerAccount.company_id == company.id, LedgerAccount.key.in_({ref.key for ref in refs})))}
    for ref in refs:
        if ref.key not in found:
            found[ref.key] = account_for(company, ref, known_missing=True)
    return found


def account_for(company: Company, ref: AccountRef, *, known_missing: bool = False) -> LedgerAccount:
    """The company's account with this key, made now if it is new (under the company's lock)."""
    account = None if known_missing else db.session.scalar(select(LedgerAccount).where(
        LedgerAccount.company_id == company.id, LedgerAccount.key == ref.key))
    if account is None:
        account = LedgerAccount(company_id=company.id, key=ref.key, kind=ref.kind, name=ref.name[:200],
                                stream_id=ref.stream_id, organisation_id=ref.organisation_id,
                                broker_id=ref.broker_id, category_id=ref.category_id, balance_pence=0,
                                payments_pence=0)
        db.session.add(account)
        db.session.flush()
    return account


def lock_company(company_id: int) -> Company:
    company = locked(Company, company_id)
    if company is None:
        raise LedgerError("There is no such company")
    return company


def post(company: Company, *, source: TransactionSource, key: str, legs: list[Leg], occurred_on: date,
         description: str, actor=None, on_behalf_of=None, reverses: LedgerTransaction | None = None,
         reason: str = "") -> LedgerTransaction:
    """Record one balanced transaction (or find the one already recorded with this key)."""
    check_legs(legs)
    company = lock_company(company.id)
    fingerprint = fingerprint_of(source, occurred_on, [(ref.key, amount) for ref, amount in legs])
    existing = db.session.scalar(select(LedgerTransaction).where(
        LedgerTransaction.company_id == company.id, LedgerTransaction.idempotency_key == key))
    if existing is not None:
        if existing.fingerprint != fingerprint:
            raise LedgerError("This was already recorded with different amounts or accounts. Nothing new was "
                              "recorded: check the amounts, or record it as something new.")
        if existing.reversal is not None:
            raise LedgerError("This form was used once already, and what it recorded was reversed since. Nothing "
                              "new was recorded: to record it again, start again from a new form.")
        return existing
    last = db.session.scalar(select(LedgerTransaction).where(LedgerTransaction.company_id == company.id)
                             .order_by(LedgerTransaction.sequence.desc()).limit(1))
    chart = accounts_for(company, [ref for ref, _ in legs])
    accounts = [(chart[ref.key], amount) for ref, amount in legs]
    transaction = LedgerTransaction(
        company_id=company.id, sequence=(last.sequence + 1) if last else 1, source=source, idempotency_key=key,
        fingerprint=fingerprint, description=description[:300], occurred_on=occurred_on,
        actor_id=getattr(actor, "id", None), on_behalf_of_id=getattr(on_behalf_of, "id", None),
        reverses_id=reverses.id if reverses is not None else None, reason=reason,
        previous_hash=last.hash if last else GENESIS_HASH,
    )
    transaction.hash = hash_of(transaction, [(account.id, amount) for account, amount in accounts])
    db.session.add(transaction)
    db.session.flush()
    from_payment = (reverses.source if reverses is not None else source) == TransactionSource.PAYMENT
    for account, amount in accounts:
        db.session.add(LedgerEntry(transaction_id=transaction.id, account_id=account.id, amount_pence=amount))
        account.balance_pence = account.balance_pence + amount
        if from_payment:
            account.payments_pence = account.payments_pence + amount
    db.session.flush()
    return transaction


def reverse(company: Company, original: LedgerTransaction, *, reason: str, actor, on_behalf_of=None,
            occurred_on: date) -> LedgerTransaction:
    """Put a mistake right: a transaction with every entry of the original the other way round.
    An original is reversed once only; a reversal is not itself reversed (post it again instead)."""
    if original.company_id != company.id:
        raise LedgerError("That transaction is not in this company's books")
    if original.source == TransactionSource.REVERSAL:
        raise LedgerError("A correction cannot itself be reversed: record the money again instead")
    reason = (reason or "").strip()
    if not reason:
        raise LedgerError("Say why this is being reversed", field="reason")
    key = f"reversal-of:{original.id}"
    already = original.reversal
    if already is not None:
        return already
    legs = [(_ref_of(entry.account), -entry.amount_pence) for entry in original.entries]
    reversal = post(company, source=TransactionSource.REVERSAL, key=key, legs=legs, occurred_on=occurred_on,
                    description=f"Reversal of: {original.description}"[:300], actor=actor, on_behalf_of=on_behalf_of,
                    reverses=original, reason=reason)
    db.session.expire(original, ["reversal"])
    return reversal


def _ref_of(account: LedgerAccount) -> AccountRef:
    return AccountRef(account.key, account.kind, account.name, account.stream_id, account.organisation_id,
                      account.broker_id, account.category_id)
