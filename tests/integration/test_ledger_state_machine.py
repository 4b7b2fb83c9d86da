"""Property-based: random sequences of receipts (some sent twice with the same key, some with the
same key and another amount), invoices, approvals, payments and reversals, checked after every
step against a plain Python model of the books: every transaction balances, every stored balance
equals the sum of its entries (ledger verify), and the bank, the stream's funds and what is owed
are what the model says."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from sqlalchemy import func, select

from app.core.errors import DomainError
from app.core.timeutil import today_in_london
from app.extensions import db
from app.ledger import services as ledger
from app.ledger.books import AccountKind, LedgerAccount
from app.ledger.reading import stream_totals
from app.payments import services as payments
from tests.factories import BudgetHolderFactory, HubFactory, accredited_broker, engagement, provider
from tests.money_helpers import (
    acting_for,
    company_and_streams,
    key,
    running_agreement,
)


class Books(RuleBasedStateMachine):
    """One fresh company per example; the model is three numbers and the invoices' states."""

    @initialize()
    def set_up(self):
        broker = accredited_broker(HubFactory())
        self.person = BudgetHolderFactory(district="W9")
        engagement(self.person, broker)
        self.maida = provider()
        self.company, streams, _ = company_and_streams(self.person, allocation=10**9)
        self.stream = streams["council"]
        self.agreement = running_agreement(self.person, self.maida, broker, start=today_in_london() - timedelta(days=90))
        self.acting = acting_for(self.person.user, self.person)
        self.bank = self.funds = self.owed = self.received = self.spent = 0
        self.receipts: list[tuple[int, int, str]] = []  # (id, amount, form key), not reversed
        self.reversed_keys: set[str] = set()  # a form whose receipt was reversed records nothing again
        self.keys: dict[str, int] = {}
        self.approved: list[tuple[int, int]] = []  # (invoice id, total), not paid
        self.paid: list[tuple[int, int]] = []  # (payment id, amount), not reversed
        self.next_day = 0

    @rule(amount=st.integers(1, 5_000_000), repeat=st.booleans())
    def receive(self, amount, repeat):
        form_key = next(iter(self.keys)) if repeat and self.keys else key()
        try:
            receipt = ledger.record_receipt(self.acting, self.stream.id, amount_pence=amount,
                                            received_on=today_in_london(), reference="R", key=form_key)
        except DomainError:
            db.session.rollback()
            # Only the same key with another amount, or the key of a receipt since reversed, is refused.
            assert self.keys[form_key] != amount or form_key in self.reversed_keys
            return
        db.session.commit()
        assert form_key not in self.reversed_keys  # a reversed receipt's form is never taken again
        if form_key in self.keys:
            assert self.keys[form_key] == amount  # recorded once
            return
        self.keys[form_key] = amount
        self.receipts.append((receipt.id, amount, form_key))
        self.bank += amount
        self.funds += amount
        self.received += amount

    @precondition(lambda self: self.receipts)
    @rule(data=st.data())
    def reverse_receipt(self, data):
        receipt_id, amount, form_key = self.receipts.pop(data.draw(st.integers(0, len(self.receipts) - 1)))
        self.reversed_keys.add(form_key)
        ledger.reverse_receipt(self.acting, receipt_id, "Recorded by mistake")
        db.session.commit()
        self.bank -= amount
        self.funds -= amount
        self.received -= amount

    @precondition(lambda self: self.next_day < 88)
    @rule(hours=st.integers(1, 20))
    def invoice_and_approve(self, hours):
        start = self.agreement.start_date + timedelta(days=self.next_day)
        self.next_day += 2
        invoice = payments.send_provider_invoice(self.maida.staff[0].user, self.maida.id, self.agreement.id,
                                                 payments.ProviderInvoiceDraft(period_start=start, period_end=start,
                                                                               minutes=hours * 60, rate_pence=2300))
        payments.approve(self.acting, invoice.id)
        db.session.commit()
        self.approved.append((invoice.id, invoice.total_pence))
        self.owed += invoice.total_pence

    @precondition(lambda self: self.approved)
    @rule(data=st.data(), twice=st.booleans())
    def pay(self, data, twice):
        invoice_id, total = self.approved.pop(data.draw(st.integers(0, len(self.approved) - 1)))
        manual = payments.ManualPayment(shares=[payments.Share(self.stream.id, total)], reference="P",
                                        paid_on=today_in_london(), key=key())
        payment = payments.pay_manually(self.acting, invoice_id, manual)
        if twice:  # the same form sent again records nothing more
            assert payments.pay_manually(self.acting, invoice_id, manual).id == payment.id
        db.session.commit()
        self.paid.append((payment.id, total, invoice_id))
        self.bank -= total
        self.funds -= total
        self.owed -= total
        self.spent += total

    @precondition(lambda self: self.paid)
    @rule(data=st.data())
    def reverse_payment(self, data):
        payment_id, total, invoice_id = self.paid.pop(data.draw(st.integers(0, len(self.paid) - 1)))
        payments.reverse_payment(self.acting, payment_id, "Paid twice by the bank")
        db.session.commit()
        self.approved.append((invoice_id, total))
        self.bank += total
        self.funds += total
        self.owed += total
        self.spent -= total

    @invariant()
    def books_agree(self):
        report = ledger.verify([self.company.id])
        assert report.ok, report.problems
        balances = dict(db.session.execute(
            select(LedgerAccount.kind, func.sum(LedgerAccount.balance_pence))
            .where(LedgerAccount.company_id == self.company.id).group_by(LedgerAccount.kind)).all())
        assert int(balances.get(AccountKind.BANK, 0) or 0) == self.bank
        assert -int(balances.get(AccountKind.FUNDS, 0) or 0) == self.funds
        assert -int(balances.get(AccountKind.PAYABLE, 0) or 0) == self.owed
        assert sum(int(v or 0) for v in balances.values()) == 0
        # The stream's figures: read from the stored balances, and summed from the entries, agree with the model.
        stored = stream_totals([self.stream.id])[self.stream.id]
        summed = stream_totals([self.stream.id], start=today_in_london() - timedelta(days=3650),
                               end=today_in_london() + timedelta(days=3650))[self.stream.id]
        assert (stored.received, stored.spent) == (summed.received, summed.spent) == (self.received, self.spent)


def test_random_sequences_keep_the_books_exact(app):
    settings_ = settings(max_examples=20, stateful_step_count=12, deadline=None,
                         suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    Books.TestCase.settings = settings_
    Books.TestCase().runTest()
