"""`flask --app wsgi ledger verify`: check the books from their entries, trusting nothing kept.

For every company: every transaction's entries add up to zero (and there are at least two);
every account's stored balance equals the sum of its entries; every reversal names an original
in the same books, is its exact opposite, and no original is reversed twice; the transactions
are numbered 1, 2, 3... and each one's hash matches its content and the hash before it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from app.extensions import db
from app.ledger.books import LedgerAccount, LedgerEntry, LedgerTransaction, TransactionSource
from app.ledger.posting import GENESIS_HASH, hash_of


@dataclass
class Report:
    companies: int = 0
    transactions: int = 0
    entries: int = 0
    accounts: int = 0
    reversals: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        return (f"Checked {self.companies} compan{'y' if self.companies == 1 else 'ies'}: {self.transactions} "
                f"transaction(s), {self.entries} entr{'y' if self.entries == 1 else 'ies'}, {self.accounts} "
                f"account balance(s), {self.reversals} reversal(s), and each company's hash chain.")


def verify(company_ids: list[int] | None = None) -> Report:
    report = Report()
    query = select(LedgerTransaction.company_id).distinct()
    accounts_query = select(LedgerAccount.company_id).distinct()
    ids = set(company_ids) if company_ids is not None else (
        set(db.session.scalars(query)) | set(db.session.scalars(accounts_query)))
    for company_id in sorted(ids):
        report.companies += 1
        _verify_company(company_id, report)
    return report


def _verify_company(company_id: int, report: Report) -> None:
    transactions = list(db.session.scalars(select(LedgerTransaction).where(
        LedgerTransaction.company_id == company_id).order_by(LedgerTransaction.sequence)))
    entries_by_transaction: dict[int, list[LedgerEntry]] = defaultdict(list)
    for entry in db.session.scalars(select(LedgerEntry).join(LedgerTransaction).where(
            LedgerTransaction.company_id == company_id).order_by(LedgerEntry.id)):
        entries_by_transaction[entry.transaction_id].append(entry)
    by_id = {t.id: t for t in transactions}
    _check_transactions(company_id, transactions, entries_by_transaction, report)
    _check_reversals(company_id, transactions, by_id, entries_by_transaction, report)
    _check_chain(company_id, transactions, entries_by_transaction, report)
    _check_balances(company_id, transactions, entries_by_transaction, report)


def _check_transactions(company_id, transactions, entries_by_transaction, report: Report) -> None:
    own_accounts = set(db.session.scalars(select(LedgerAccount.id).where(LedgerAccount.company_id == company_id)))
    for transaction in transactions:
        report.transactions += 1
        entries = entries_by_transaction.get(transaction.id, [])
        report.entries += len(entries)
        total = sum(e.amount_pence for e in entries)
        if len(entries) < 2:
            report.problems.append(f"Company {company_id}: transaction {transaction.sequence} (id {transaction.id}) "
                                   f"has {len(entries)} entr{'y' if len(entries) == 1 else 'ies'}")
        if total != 0:
            report.problems.append(f"Company {company_id}: transaction {transaction.sequence} (id {transaction.id}) "
                                   f"does not balance: off by {total} pence")
        strangers = [e.account_id for e in entries if e.account_id not in own_accounts]
        if strangers:
            report.problems.append(f"Company {company_id}: transaction {transaction.sequence} posts to another "
                                   f"company's account(s) {strangers}")


def _check_reversals(company_id, transactions, by_id, entries_by_transaction, report: Report) -> None:
    seen: dict[int, int] = {}
    for transaction in transactions:
        if transaction.source != TransactionSource.REVERSAL:
            continue
        report.reversals += 1
        original = by_id.get(transaction.reverses_id)
        if original is None:
            report.problems.append(f"Company {company_id}: reversal {transaction.sequence} names transaction "
                                   f"{transaction.reverses_id}, which is not in these books")
            continue
        if transaction.reverses_id in seen:
            report.problems.append(f"Company {company_id}: transaction {original.sequence} is reversed twice "
                                   f"(by {seen[transaction.reverses_id]} and {transaction.sequence})")
        seen[transaction.reverses_id] = transaction.sequence
        opposite = sorted((e.account_id, -e.amount_pence) for e in entries_by_transaction.get(original.id, []))
        mine = sorted((e.account_id, e.amount_pence) for e in entries_by_transaction.get(transaction.id, []))
        if opposite != mine:
            report.problems.append(f"Company {company_id}: reversal {transaction.sequence} is not the exact "
                                   f"opposite of transaction {original.sequence}")


def _check_chain(company_id, transactions, entries_by_transaction, report: Report) -> None:
    previous = GENESIS_HASH
    for number, transaction in enumerate(transactions, start=1):
        if transaction.sequence != number:
            report.problems.append(f"Company {company_id}: transaction number {number} is missing "
                                   f"(the next is {transaction.sequence})")
            return
        entries = [(e.account_id, e.amount_pence) for e in entries_by_transaction.get(transaction.id, [])]
        if transaction.previous_hash != previous or hash_of(transaction, entries) != transaction.hash:
            report.problems.append(f"Company {company_id}: the hash chain breaks at transaction {transaction.sequence} "
                                   f"(id {transaction.id}): its content or the one before it was changed")
            return
        previous = transaction.hash


def _check_balances(company_id: int, transactions, entries_by_transaction, report: Report) -> None:
    """Each stored balance, and its part from payments, against the account's entries."""
    by_id = {t.id: t for t in transactions}
    sums: dict[int, int] = defaultdict(int)
    from_payments: dict[int, int] = defaultdict(int)
    for transaction in transactions:
        original = by_id.get(transaction.reverses_id) if transaction.reverses_id else None
        payment = (original.source if original is not None else transaction.source) == TransactionSource.PAYMENT
        for entry in entries_by_transaction.get(transaction.id, []):
            sums[entry.account_id] += entry.amount_pence
            if payment:
                from_payments[entry.account_id] += entry.amount_pence
    for account in db.session.scalars(select(LedgerAccount).where(LedgerAccount.company_id == company_id)):
        report.accounts += 1
        expected = sums.get(account.id, 0)
        if account.balance_pence != expected:
            report.problems.append(f"Company {company_id}: account '{account.name}' keeps a balance of "
                                   f"{account.balance_pence} pence but its entries add up to {expected}")
        if account.payments_pence != from_payments.get(account.id, 0):
            report.problems.append(f"Company {company_id}: account '{account.name}' keeps {account.payments_pence} "
                                   f"pence from payments but its payment entries add up to "
                                   f"{from_payments.get(account.id, 0)}")
