"""Card payment test worlds: the fake Stripe switched on for an app, a provider whose Stripe
account can take payments, an approved invoice, and webhook deliveries signed as Stripe signs them."""

from __future__ import annotations

import json
import time
from datetime import timedelta

from app.extensions import db
from app.payments import services as payments
from app.payments.card_models import PayoutAccount
from tests.fake_stripe import SECRET_KEY, WEBHOOK_SECRET, FakeStripe, sign
from tests.money_helpers import acting_for, key


def switch_on(app, fake: FakeStripe, **more) -> None:
    app.config.update(STRIPE_SECRET_KEY=SECRET_KEY, STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET, STRIPE_API_BASE=fake.url,
                      STRIPE_NETWORK_RETRIES=0, **more)


def enabled_account(fake: FakeStripe, organisation, owner) -> PayoutAccount:
    """The organisation's connected account, finished on Stripe's pages."""
    reading = fake.enable(fake.new_account({"email": owner.email})["id"])
    account = PayoutAccount(organisation_id=organisation.id, stripe_account_id=reading["id"], charges_enabled=True,
                            payouts_enabled=True, details_submitted=True, created_by_id=owner.id)
    db.session.add(account)
    db.session.commit()
    return account


def approved_invoice(person, agreement, *, weeks_after_start: int = 0):
    organisation = agreement.organisation
    start = agreement.start_date + timedelta(days=28 * weeks_after_start)
    invoice = payments.send_provider_invoice(organisation.staff[0].user, organisation.id, agreement.id,
                                             payments.ProviderInvoiceDraft(start, start + timedelta(days=27), 16 * 60,
                                                                           agreement.hourly_rate_pence))
    payments.approve(acting_for(person.user, person), invoice.id)
    db.session.commit()
    return invoice


def start_checkout(person, invoice, stream):
    checkout = payments.start_checkout(acting_for(person.user, person), invoice.id, payments.CardPayment(
        shares=[payments.Share(stream.id, invoice.total_pence)], key=key()))
    db.session.commit()
    return checkout


def deliver(client, event: dict, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None, signature=None):
    """POST the event to the webhook through the test client, signed as Stripe signs it."""
    body = json.dumps(event)
    header = sign(body, secret, timestamp if timestamp is not None else int(time.time())) if signature is None \
        else signature
    headers = {"Stripe-Signature": header} if header else {}
    return client.post("/payments/stripe/webhook", data=body, headers=headers, content_type="application/json")
