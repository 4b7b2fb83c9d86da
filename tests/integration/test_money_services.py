"""The money's rules through the services: company and streams, the funder's confirmation,
receipts, invoices queried, corrected, approved and paid by hand, reversals, standing approval,
statements and the books' own check."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core.errors import DomainError
from app.core.timeutil import today_in_london, utcnow
from app.extensions import db
from app.ledger import services as ledger
from app.ledger.books import LedgerAccount, LedgerEntry, LedgerTransaction
from app.ledger.models import StreamChange
from app.money import services as money
from app.payments import services as payments
from app.payments.models import InvoiceStatus
from tests.factories import category
from tests.money_helpers import (
    acting_for,
    company_and_streams,
    key,
    running_agreement,
)


@pytest.fixture
def books(app, world):
    person = world["person"]
    company, streams, officer = company_and_streams(person)
    agreement = running_agreement(person, world["maida"], world["broker"], rate=2300, minutes_per_week=240)
    return {"person": person, "company": company, "streams": streams, "officer": officer, "agreement": agreement,
            "acting": acting_for(person.user, person), "maida_user": world["maida"].staff[0].user, **world}


def receive(b, stream="council", amount=200_000, days_ago=50):
    receipt = ledger.record_receipt(b["acting"], b["streams"][stream].id, amount_pence=amount,
                                    received_on=today_in_london() - timedelta(days=days_ago),
                                    reference="WCC DP 0001", key=key())
    db.session.commit()
    return receipt


def four_weeks(b, hours=16, weeks_ago=8):
    start = b["agreement"].start_date + timedelta(days=28 * (8 - weeks_ago) // 4)
    return payments.ProviderInvoiceDraft(period_start=start, period_end=start + timedelta(days=27),
                                         minutes=hours * 60, rate_pence=2300)


def test_a_receipt_posts_once_and_the_books_balance(books):
    b = books
    form_key = key()
    args = dict(amount_pence=200_000, received_on=today_in_london() - timedelta(days=3), reference="WCC", key=form_key)
    first = ledger.record_receipt(b["acting"], b["streams"]["council"].id, **args)
    again = ledger.record_receipt(b["acting"], b["streams"]["council"].id, **args)
    db.session.commit()
    assert first.id == again.id
    assert db.session.scalar(select(db.func.count()).select_from(LedgerTransaction)) == 1
    with pytest.raises(DomainError, match="already recorded with different amounts"):
        ledger.record_receipt(b["acting"], b["streams"]["council"].id, **{**args, "amount_pence": 200_001})
    db.session.rollback()
    bank = db.session.scalar(select(LedgerAccount).where(LedgerAccount.key == "bank"))
    assert bank.balance_pence == 200_000
    report = ledger.verify()
    assert report.ok, report.problems
    assert report.transactions == 1 and report.entries == 2


def test_the_funder_confirms_and_sets_the_allocation_with_a_reason(books):
    b = books
    council = b["streams"]["council"]
    assert not council.is_confirmed
    with pytest.raises(DomainError):
        ledger.funder_sets(b["officer"], council.id, allocation_pence=2_500_000, category_ids=[], reason="  ")
    db.session.rollback()
    ledger.funder_sets(b["officer"], council.id, allocation_pence=2_500_000, category_ids=[], reason="Assessment of 3 Nov")
    db.session.commit()
    assert council.is_confirmed and council.allocation_pence == 2_500_000
    change = db.session.scalars(select(StreamChange).where(StreamChange.stream_id == council.id)
                                .order_by(StreamChange.id.desc())).first()
    assert change.kind == "confirmed" and change.by_funder and change.reason == "Assessment of 3 Nov"
    assert change.changes["allocation_pence"] == [2_400_000, 2_500_000]
    # Saving it again unchanged records nothing and tells nobody.
    with pytest.raises(DomainError, match="Nothing has changed"):
        ledger.funder_sets(b["officer"], council.id, allocation_pence=2_500_000, category_ids=[], reason="Again")
    db.session.rollback()
    personal_care = category("personal-care")
    ledger.funder_sets(b["officer"], council.id, allocation_pence=2_500_000, category_ids=[personal_care.id],
                       reason="Personal care only")
    db.session.commit()
    latest = db.session.scalars(select(StreamChange).where(StreamChange.stream_id == council.id)
                                .order_by(StreamChange.id.desc())).first()
    assert latest.described == ["What it may pay for: any kind of support to Personal care"]
    # Now only the funder changes it.
    details = ledger.StreamDetails(name="Mine now", allocation_pence=9_000_000, starts_on=council.starts_on,
                                   ends_on=council.ends_on, schedule="monthly", funding_body_id=council.funding_body_id)
    with pytest.raises(DomainError, match="only they can change it"):
        ledger.change_stream(b["acting"], council.id, details, "I want more")
    # Another body's officer does not see it at all.
    from app.core.errors import NotFound
    from tests.factories import FundingOfficerFactory

    with pytest.raises(NotFound):
        ledger.funder_sets(FundingOfficerFactory().user, council.id, allocation_pence=1, category_ids=[], reason="x")


def test_invoice_queried_corrected_approved_paid_and_on_the_statement(books):
    b = books
    receive(b)
    maida = b["maida_user"]
    invoice = payments.send_provider_invoice(maida, b["maida"].id, b["agreement"].id, four_weeks(b, hours=18))
    db.session.commit()
    # 4 weeks at 4 hours a week is 16 hours: 18 is marked, with the difference.
    assert invoice.agreed_minutes == 16 * 60 and invoice.exceeds_agreement
    assert invoice.total_pence == 18 * 2300 and invoice.over_agreement_pence == 2 * 2300
    payments.query(b["acting"], invoice.id, "I think it was 16 hours, not 18.")
    db.session.commit()
    assert invoice.status == InvoiceStatus.QUERIED
    with pytest.raises(DomainError, match="queried"):
        payments.approve(b["acting"], invoice.id)
    db.session.rollback()
    corrected = payments.correct_provider_invoice(maida, invoice.id, four_weeks(b, hours=16))
    db.session.commit()
    assert invoice.status == InvoiceStatus.REPLACED and corrected.replaces_id == invoice.id
    assert not corrected.exceeds_agreement
    payments.approve(b["acting"], corrected.id)
    db.session.commit()
    assert corrected.status == InvoiceStatus.APPROVED
    council = b["streams"]["council"]
    payment = payments.pay_manually(b["acting"], corrected.id, payments.ManualPayment(
        shares=[payments.Share(council.id, corrected.total_pence)], reference="FPS 123", paid_on=today_in_london(),
        key=key()))
    db.session.commit()
    assert corrected.status == InvoiceStatus.PAID and payment.amount_pence == 16 * 2300
    with pytest.raises(DomainError, match="already been paid"):
        payments.pay_manually(b["acting"], corrected.id, payments.ManualPayment(
            shares=[payments.Share(council.id, corrected.total_pence)], reference="again", paid_on=today_in_london(),
            key=key()))
    db.session.rollback()
    figures = money.figures_for([council])[council.id]
    assert figures.received == 200_000 and figures.spent == 16 * 2300 and figures.held == 200_000 - 16 * 2300
    period = money.period_of(council, "whole")
    result = money.statement(council, period)
    assert result.opening == 0 and result.received == 200_000 and result.paid == 16 * 2300
    assert result.closing == figures.held
    assert [(t.name, t.amount) for t in result.by_payee] == [("Maida Vale Care", 16 * 2300)]
    assert [(t.name, t.amount) for t in result.by_category] == [("Help at home", 16 * 2300)]
    assert "Balance today" in money.statement_csv(result)  # the period runs on past today
    assert ledger.verify().ok


def test_restrictions_and_allocation_are_checked_when_paying(books):
    b = books
    receive(b)
    invoice = payments.send_provider_invoice(b["maida_user"], b["maida"].id, b["agreement"].id, four_weeks(b))
    payments.approve(b["acting"], invoice.id)
    db.session.commit()
    atw = b["streams"]["atw"]
    with pytest.raises(DomainError, match="cannot pay for Help at home"):
        payments.pay_manually(b["acting"], invoice.id, payments.ManualPayment(
            shares=[payments.Share(atw.id, invoice.total_pence)], reference="x", paid_on=today_in_london(), key=key()))
    db.session.rollback()
    council = b["streams"]["council"]
    council.allocation_pence = 100
    db.session.commit()
    with pytest.raises(DomainError, match="goes past the allocation"):
        payments.pay_manually(b["acting"], invoice.id, payments.ManualPayment(
            shares=[payments.Share(council.id, invoice.total_pence)], reference="x", paid_on=today_in_london(),
            key=key()))
    db.session.rollback()
    paid = payments.pay_manually(b["acting"], invoice.id, payments.ManualPayment(
        shares=[payments.Share(council.id, invoice.total_pence)], reference="x", paid_on=today_in_london(),
        over_allocation_reason="The council agreed extra hours by phone", key=key()))
    db.session.commit()
    assert paid.over_allocation_reason.startswith("The council")


def test_a_reversed_payment_reopens_the_invoice_and_cannot_be_reversed_twice(books):
    b = books
    receive(b)
    invoice = payments.send_provider_invoice(b["maida_user"], b["maida"].id, b["agreement"].id, four_weeks(b))
    payments.approve(b["acting"], invoice.id)
    council = b["streams"]["council"]
    payment = payments.pay_manually(b["acting"], invoice.id, payments.ManualPayment(
        shares=[payments.Share(council.id, invoice.total_pence)], reference="x", paid_on=today_in_london(), key=key()))
    db.session.commit()
    payments.reverse_payment(b["acting"], payment.id, "Paid from the wrong account")
    db.session.commit()
    assert invoice.status == InvoiceStatus.APPROVED
    with pytest.raises(DomainError, match="already been reversed"):
        payments.reverse_payment(b["acting"], payment.id, "Again")
    db.session.rollback()
    assert money.figures_for([council])[council.id].spent == 0
    report = ledger.verify()
    assert report.ok and report.reversals == 1


def test_standing_approval_approves_after_the_wait_but_never_an_invoice_over_its_agreement(books):
    b = books
    payments.set_standing_approval(b["acting"], b["agreement"].id, 7)
    db.session.commit()
    within = payments.send_provider_invoice(b["maida_user"], b["maida"].id, b["agreement"].id, four_weeks(b, weeks_ago=8))
    over = payments.send_provider_invoice(b["maida_user"], b["maida"].id, b["agreement"].id,
                                          four_weeks(b, hours=20, weeks_ago=4))
    db.session.commit()
    assert within.approve_after is not None and over.approve_after is None
    assert payments.approve_due(utcnow() + timedelta(days=6)) == 0
    assert payments.approve_due(utcnow() + timedelta(days=8)) == 1
    db.session.commit()
    assert within.status == InvoiceStatus.APPROVED and within.approved_by_id is None
    assert over.status == InvoiceStatus.SUBMITTED


def test_a_broker_invoices_logged_time_never_past_the_band(books):
    b = books
    engagement = b["engagement"]
    engagement.agreed_hourly_fee_pence = 3000
    engagement.started_at = utcnow() - timedelta(days=40)
    db.session.commit()
    from app.engagements import services as engagements

    day = today_in_london() - timedelta(days=10)
    engagements.log_time(b["broker"].user, engagement.id, worked_on=day, minutes=90, function="planning", note="")
    db.session.commit()
    invoice = payments.send_broker_invoice(b["broker"].user, engagement.id, period_start=day - timedelta(days=5),
                                           period_end=day + timedelta(days=2))
    db.session.commit()
    assert invoice.total_pence == 4500 and invoice.minutes == 90 and invoice.category_id == category("brokerage").id
    engagement.allocated_minutes = 100
    engagements.log_time(b["broker"].user, engagement.id, worked_on=day + timedelta(days=3), minutes=60,
                         function="planning", note="")
    db.session.commit()
    with pytest.raises(DomainError, match="past the band"):
        payments.send_broker_invoice(b["broker"].user, engagement.id, period_start=day + timedelta(days=3),
                                     period_end=day + timedelta(days=4))


def test_entries_cannot_be_changed_or_deleted_even_with_raw_sql(books):
    b = books
    receive(b)
    entry_id = db.session.scalar(select(LedgerEntry.id).limit(1))
    for statement in ("UPDATE ledger_entries SET amount_pence = 1 WHERE id = :id",
                      "DELETE FROM ledger_entries WHERE id = :id",
                      "UPDATE ledger_transactions SET description = 'x'", "DELETE FROM ledger_transactions"):
        with pytest.raises(Exception, match="never changed or deleted"):
            db.session.execute(db.text(statement), {"id": entry_id})
        db.session.rollback()


def test_ledger_verify_reports_a_changed_entry_and_the_first_broken_link(app, books):
    b = books
    receive(b)
    receive(b, amount=5000, days_ago=40)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["ledger", "verify"])
    assert result.exit_code == 0 and "The books agree" in result.output and "2 transaction(s)" in result.output
    # Someone with database access gets past the triggers and changes the first receipt.
    db.session.execute(db.text("DROP TRIGGER ledger_entries_no_update"))
    db.session.execute(db.text("DROP TRIGGER ledger_transactions_no_update"))
    first = db.session.scalar(select(LedgerTransaction).order_by(LedgerTransaction.sequence))
    db.session.execute(db.text("UPDATE ledger_transactions SET description = 'tampered' WHERE id = :id"),
                       {"id": first.id})
    db.session.commit()
    result = runner.invoke(args=["ledger", "verify"])
    assert result.exit_code == 1
    assert "hash chain breaks at transaction 1" in result.output
    db.session.execute(db.text("UPDATE ledger_entries SET amount_pence = amount_pence + 1 WHERE id = "
                               "(SELECT MIN(id) FROM ledger_entries)"))
    db.session.commit()
    result = runner.invoke(args=["ledger", "verify"])
    assert result.exit_code == 1 and "does not balance: off by 1 pence" in result.output
    assert "keeps a balance of" in result.output


def test_ledger_verify_reports_a_stored_payments_part_that_does_not_match(app, books):
    b = books
    receive(b)
    db.session.execute(db.text("UPDATE ledger_accounts SET payments_pence = 5 WHERE key = 'bank'"))
    db.session.commit()
    report = ledger.verify()
    assert not report.ok
    assert any("keeps 5 pence from payments but its payment entries add up to 0" in p for p in report.problems)


def test_a_funder_sees_only_the_streams_it_funds_and_a_broker_only_with_consent(books):
    b = books
    receive(b)
    from app.core.errors import NotFound
    from tests.factories import FundingOfficerFactory

    seen = money.funder_streams(b["officer"])
    assert [f.stream.id for f in seen] == [b["streams"]["council"].id] and seen[0].received == 200_000
    assert money.funder_streams(FundingOfficerFactory().user) == []
    broker_user, engagement_id = b["broker"].user, b["engagement"].id
    with pytest.raises(NotFound):
        money.broker_budget(broker_user, engagement_id)
    money.share_budget_with_broker(b["acting"])
    db.session.commit()
    assert {f.stream.id for f in money.broker_budget(broker_user, engagement_id)} == {
        s.id for s in b["streams"].values()}
    money.stop_sharing_budget(b["acting"])
    db.session.commit()
    with pytest.raises(NotFound):
        money.broker_budget(broker_user, engagement_id)
    page = money.money_page(b["acting"])
    assert page.bank_balance == 200_000 and page.owed == 0 and len(page.streams) == 3
