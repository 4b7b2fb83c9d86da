"""Stripe's webhook on PostgreSQL under real concurrent requests: the same event delivered 10
times at once, and `completed` with `async_payment_succeeded` arriving together, post one ledger
transaction; a double-clicked "Pay by card" makes one Checkout Session."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from app.extensions import db
from app.ledger import services as ledger
from app.ledger.books import LedgerTransaction
from app.payments import services as payments
from app.payments.card_models import CardCheckout, CheckoutState, StripeEvent
from app.payments.models import InvoiceStatus, Payment
from tests.card_helpers import approved_invoice, enabled_account, start_checkout, switch_on
from tests.factories import BudgetHolderFactory, HubFactory, accredited_broker, engagement, provider
from tests.fake_stripe import FakeStripe, sign
from tests.money_helpers import acting_for, company_and_streams, key, running_agreement
from tests.postgres.test_engagements_races import race


@pytest.fixture
def fake():
    server = FakeStripe().start()
    yield server
    server.stop()


@pytest.fixture
def world(pg_app, fake):
    switch_on(pg_app, fake)
    broker = accredited_broker(HubFactory(districts=["W9"]))
    person = BudgetHolderFactory(name="Grace Okafor", user__name="Grace Okafor", district="W9")
    engagement(person, broker)
    maida = provider("Maida Vale Care")
    _company, streams, _officer = company_and_streams(person)
    agreement = running_agreement(person, maida, broker)
    enabled_account(fake, maida, maida.staff[0].user)
    invoice = approved_invoice(person, agreement)
    server = make_server("127.0.0.1", 0, pg_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"app": pg_app, "person": person, "stream": streams["council"], "invoice": invoice,
           "webhook": f"http://127.0.0.1:{server.server_port}/payments/stripe/webhook"}
    server.shutdown()


def deliver_at_once(url: str, events: list[dict]) -> list[int]:
    """POST every event to the webhook from its own thread, all released together."""
    barrier = threading.Barrier(len(events))
    statuses: list[int] = [0] * len(events)

    def send(index: int, event: dict) -> None:
        body = json.dumps(event).encode()
        request = urllib.request.Request(url, data=body, method="POST", headers={  # noqa: S310 - 127.0.0.1
            "Content-Type": "application/json", "Stripe-Signature": sign(body)})
        barrier.wait()
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
                statuses[index] = answer.status
        except urllib.error.HTTPError as error:
            statuses[index] = error.code

    threads = [threading.Thread(target=send, args=(i, e)) for i, e in enumerate(events)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def one_payment_posted(invoice) -> None:
    db.session.expire_all()
    assert db.session.get(type(invoice), invoice.id).status == InvoiceStatus.PAID
    assert db.session.scalar(select(func.count()).select_from(Payment)) == 1
    assert db.session.scalar(select(func.count()).select_from(LedgerTransaction).where(
        LedgerTransaction.idempotency_key.like("stripe:%"))) == 1
    assert ledger.verify().ok


def test_the_same_event_delivered_ten_times_at_once_posts_once(world, fake):
    checkout = start_checkout(world["person"], world["invoice"], world["stream"])
    event = fake.event("checkout.session.completed", fake.complete(checkout.session_id))
    db.session.commit()
    statuses = deliver_at_once(world["webhook"], [event] * 10)
    assert statuses == [200] * 10
    one_payment_posted(world["invoice"])
    assert db.session.scalar(select(func.count()).select_from(StripeEvent)) == 1


def test_completed_and_async_succeeded_arriving_together_post_once(world, fake):
    checkout = start_checkout(world["person"], world["invoice"], world["stream"])
    completed = fake.event("checkout.session.completed", fake.complete(checkout.session_id, paid=False))
    succeeded = fake.event("checkout.session.async_payment_succeeded",
                           fake.settle_async(checkout.session_id, succeeded=True))
    # Stripe paid it at once too (a card): both say "paid"; each delivered several times, all together.
    paid_completed = {**completed, "id": completed["id"] + "b",
                      "data": {"object": {**completed["data"]["object"], "payment_status": "paid"}}}
    statuses = deliver_at_once(world["webhook"], [completed, succeeded, paid_completed] * 3)
    assert statuses == [200] * 9
    one_payment_posted(world["invoice"])
    assert db.session.get(CardCheckout, checkout.id).state == CheckoutState.PAID
    assert db.session.scalar(select(func.count()).select_from(StripeEvent)) == 3


def test_a_double_clicked_pay_by_card_makes_one_checkout_session(world, fake):
    person_id, invoice_id, stream_id = world["person"].id, world["invoice"].id, world["stream"].id
    total, form_key = world["invoice"].total_pence, key()

    def press():
        from app.holders.models import BudgetHolder

        person = db.session.get(BudgetHolder, person_id)
        return payments.start_checkout(acting_for(person.user, person), invoice_id, payments.CardPayment(
            shares=[payments.Share(stream_id, total)], key=form_key)).session_id

    outcomes = race(world["app"], [press, press])
    assert outcomes[0] == outcomes[1] and outcomes[0].startswith("cs_test_")
    assert db.session.scalar(select(func.count()).select_from(CardCheckout)) == 1
    assert len(fake.seen("POST", "/v1/checkout/sessions")) == 1
