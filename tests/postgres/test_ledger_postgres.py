"""The ledger on a real PostgreSQL server: the database refuses, at commit, a transaction whose
entries do not balance or that posts to another company's account (raw SQL, bypassing the
models); and real concurrent transactions paying one invoice, approving while querying, and
posting 20 receipts to one stream at once keep the books exact."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from app.accounts.models import User
from app.core.timeutil import today_in_london
from app.extensions import db
from app.holders import services as holders
from app.holders.models import BudgetHolder
from app.ledger import services as ledger
from app.ledger.books import LedgerAccount, LedgerTransaction
from app.payments import services as payments
from app.payments.models import InvoiceStatus, Payment
from tests.factories import BudgetHolderFactory, HubFactory, accredited_broker, engagement, provider
from tests.money_helpers import (
    company_and_streams,
    key,
    running_agreement,
)
from tests.postgres.test_engagements_races import race


@pytest.fixture
def books(pg_app):
    broker = accredited_broker(HubFactory(districts=["W9"]))
    person = BudgetHolderFactory(name="Grace Okafor", user__name="Grace Okafor", district="W9")
    engagement(person, broker)
    maida = provider("Maida Vale Care")
    company, streams, officer = company_and_streams(person)
    agreement = running_agreement(person, maida, broker)
    db.session.commit()
    return {"app": pg_app, "person": person, "company": company, "streams": streams, "maida": maida,
            "agreement": agreement}


def acting(person_id: int):
    person = db.session.get(BudgetHolder, person_id)
    return holders.access(db.session.get(User, person.user_id), person.id, act=True)


def receive(b, amount=100_000):
    ledger.record_receipt(acting(b["person"].id), b["streams"]["council"].id, amount_pence=amount,
                          received_on=today_in_london(), reference="WCC", key=key())


def raw_transaction(company_id: int, legs: list[tuple[int, int]]) -> None:
    transaction_id = db.session.execute(text(
        "INSERT INTO ledger_transactions (company_id, sequence, source, idempotency_key, fingerprint, description, "
        "occurred_on, created_at, reason, previous_hash, hash) VALUES (:c, 999, 'adjustment', 'raw', 'f', 'raw', "
        "CURRENT_DATE, now(), '', 'p', 'h') RETURNING id"), {"c": company_id}).scalar()
    for account_id, amount in legs:
        db.session.execute(text("INSERT INTO ledger_entries (transaction_id, account_id, amount_pence) "
                                "VALUES (:t, :a, :m)"), {"t": transaction_id, "a": account_id, "m": amount})


def test_an_unbalanced_transaction_cannot_be_committed(books):
    receive(books)
    db.session.commit()
    accounts = list(db.session.scalars(select(LedgerAccount.id).where(LedgerAccount.company_id == books["company"].id)))
    raw_transaction(books["company"].id, [(accounts[0], 500), (accounts[1], -499)])
    db.session.flush()  # each insert is accepted: the check waits for the commit
    with pytest.raises(Exception, match="does not balance"):
        db.session.commit()
    db.session.rollback()
    raw_transaction(books["company"].id, [(accounts[0], 500)])
    with pytest.raises(Exception, match="at least two"):
        db.session.commit()
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(LedgerTransaction)) == 1


def test_a_transaction_cannot_post_to_another_companys_account(books):
    receive(books)
    other = BudgetHolderFactory(name="Peter Johnson")
    other_company, other_streams, _ = company_and_streams(other)
    ledger.record_receipt(holders.access(other.user, other.id, act=True), other_streams["council"].id,
                          amount_pence=5000, received_on=today_in_london(), reference="x", key=key())
    db.session.commit()
    mine = db.session.scalar(select(LedgerAccount.id).where(LedgerAccount.company_id == books["company"].id))
    theirs = db.session.scalar(select(LedgerAccount.id).where(LedgerAccount.company_id == other_company.id))
    raw_transaction(books["company"].id, [(mine, 500), (theirs, -500)])
    with pytest.raises(Exception, match="another company"):
        db.session.commit()
    db.session.rollback()


def test_entries_are_append_only_and_an_original_is_reversed_once(books):
    receive(books)
    db.session.commit()
    with pytest.raises(Exception, match="never changed or deleted"):
        db.session.execute(text("UPDATE ledger_entries SET amount_pence = amount_pence + 1"))
    db.session.rollback()
    with pytest.raises(Exception, match="never changed or deleted"):
        db.session.execute(text("DELETE FROM ledger_transactions"))
    db.session.rollback()
    original = db.session.scalar(select(LedgerTransaction))
    duplicate = ("INSERT INTO ledger_transactions (company_id, sequence, source, idempotency_key, fingerprint, "
                 "description, occurred_on, created_at, reason, previous_hash, hash, reverses_id) VALUES (:c, :s, "
                 "'reversal', :k, 'f', 'r', CURRENT_DATE, now(), 'r', 'p', 'h', :o)")
    db.session.execute(text(duplicate), {"c": original.company_id, "s": 50, "k": "r1", "o": original.id})
    with pytest.raises(Exception, match="uq_ledger_transactions_reverses_once"):
        db.session.execute(text(duplicate), {"c": original.company_id, "s": 51, "k": "r2", "o": original.id})
    db.session.rollback()


def approved_invoice(b):
    receive(b)
    maida_user = b["maida"].staff[0].user
    start = b["agreement"].start_date
    invoice = payments.send_provider_invoice(maida_user, b["maida"].id, b["agreement"].id, payments.ProviderInvoiceDraft(
        period_start=start, period_end=start + timedelta(days=27), minutes=16 * 60, rate_pence=2300))
    db.session.commit()
    return invoice


def test_two_people_paying_the_same_invoice_at_once_make_one_payment(books):
    invoice = approved_invoice(books)
    payments.approve(acting(books["person"].id), invoice.id)
    db.session.commit()
    person_id, invoice_id, stream_id, total = books["person"].id, invoice.id, books["streams"]["council"].id, invoice.total_pence

    def pay():
        return payments.pay_manually(acting(person_id), invoice_id, payments.ManualPayment(
            shares=[payments.Share(stream_id, total)], reference="FPS", paid_on=today_in_london(), key=key()))

    outcomes = race(books["app"], [pay, pay])
    assert sum(isinstance(o, Payment) for o in outcomes) == 1
    assert db.session.scalar(select(func.count()).select_from(Payment)) == 1
    assert ledger.verify().ok


def test_approving_while_it_is_being_queried_has_one_outcome(books):
    invoice = approved_invoice(books)
    person_id, invoice_id = books["person"].id, invoice.id
    outcomes = race(books["app"], [lambda: payments.approve(acting(person_id), invoice_id),
                                   lambda: payments.query(acting(person_id), invoice_id, "Which week was the extra hour?")])
    db.session.expire_all()
    refreshed = db.session.get(type(invoice), invoice_id)
    assert refreshed.status in (InvoiceStatus.APPROVED, InvoiceStatus.QUERIED)
    assert sum(not isinstance(o, Exception) for o in outcomes) == 1
    approvals = db.session.scalar(select(func.count()).select_from(LedgerTransaction)
                                  .where(LedgerTransaction.source == "invoice"))
    assert approvals == (1 if refreshed.status == InvoiceStatus.APPROVED else 0)


def test_twenty_receipts_posted_at_once_to_one_stream_keep_the_balance_exact(books):
    person_id, stream_id = books["person"].id, books["streams"]["council"].id

    def receipt(amount):
        return lambda: ledger.record_receipt(acting(person_id), stream_id, amount_pence=amount,
                                             received_on=today_in_london(), reference=f"R{amount}", key=key())

    race(books["app"], [receipt(1000 + n) for n in range(20)])
    funds = db.session.scalar(select(LedgerAccount).where(LedgerAccount.key == f"funds:{stream_id}"))
    db.session.refresh(funds)
    assert funds.balance_pence == -sum(1000 + n for n in range(20))
    report = ledger.verify()
    assert report.ok, report.problems
    assert report.transactions == 20


def test_figures_and_statements_read_the_same_on_postgresql(books):
    """The readings that pass their ids as one array on PostgreSQL: a stream's received and spent,
    what is committed, the funder's overview and a statement."""
    from app.money import services as money

    b = books
    receive(b, 200_000)
    person = acting(b["person"].id)
    start = b["agreement"].start_date
    invoice = payments.send_provider_invoice(b["maida"].staff[0].user, b["maida"].id, b["agreement"].id,
                                             payments.ProviderInvoiceDraft(start, start + timedelta(days=6), 240, 2300))
    payments.approve(person, invoice.id)
    council = b["streams"]["council"]
    payments.pay_manually(person, invoice.id, payments.ManualPayment(
        [payments.Share(council.id, invoice.total_pence)], "OC-1", today_in_london(), key=key()))
    db.session.commit()
    figures = money.figures_for(list(b["streams"].values()))
    assert (figures[council.id].received, figures[council.id].spent) == (200_000, invoice.total_pence)
    assert figures[council.id].committed > 0  # the agreement runs on to the end of the period
    assert figures[b["streams"]["nhs"].id].spent == 0
    statement = money.statement(council, money.periods_of(council)[0])
    assert statement.closing == 200_000 - invoice.total_pence
    assert [t.name for t in statement.by_payee] == ["Maida Vale Care"]
