"""Every conversation with Stripe, in one place: nothing else imports `stripe`.

Configuration: `STRIPE_SECRET_KEY` switches card payments on; `STRIPE_WEBHOOK_SECRET` is the
signing secret of the webhook endpoint (several, comma-separated, when the platform's and the
Connect endpoint have their own); `STRIPE_API_BASE` sends the library's requests elsewhere (a
fake Stripe on 127.0.0.1 in tests and local trials).

What comes back is plain data (dicts and small dataclasses), so the rest of the portal never
handles a Stripe object. Each creating request carries an idempotency key: Stripe answers a
repeat of the same key with the first answer (kept about 24 hours), so a double click or a
retried request makes one account or one Checkout Session.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import stripe
from flask import current_app

SIGNATURE_TOLERANCE_SECONDS = 300


class StripeUnavailable(Exception):
    """Stripe could not be reached or refused the request; the message is safe to show."""


class BadSignature(Exception):
    """The webhook's body was not signed with our secret (or too long ago)."""


@dataclass(frozen=True)
class AccountReading:
    account_id: str
    charges_enabled: bool
    payouts_enabled: bool
    details_submitted: bool
    disabled_reason: str


@dataclass(frozen=True)
class NewCheckout:
    session_id: str
    url: str
    expires_at: datetime


def configured() -> bool:
    return bool(current_app.config.get("STRIPE_SECRET_KEY"))


def api_origin() -> str:
    """Where the library's requests go (Stripe, or the fake one)."""
    return current_app.config.get("STRIPE_API_BASE") or stripe.DEFAULT_API_BASE


def hosted_origins() -> tuple[str, ...]:
    """Where Stripe's hosted pages (Checkout, onboarding) are: a form leading there must be allowed."""
    origins = ["https://checkout.stripe.com", "https://connect.stripe.com"]
    base = current_app.config.get("STRIPE_API_BASE")
    if base:
        parts = urlsplit(base)
        origins.append(f"{parts.scheme}://{parts.netloc}")
    return tuple(origins)


def _client() -> stripe.StripeClient:
    base = current_app.config.get("STRIPE_API_BASE") or None
    addresses = {"api": base, "connect": base} if base else None
    # A short timeout: a request to Stripe is made while the invoice's row is locked.
    http = stripe.RequestsClient(timeout=current_app.config.get("STRIPE_TIMEOUT_SECONDS", 10))
    return stripe.StripeClient(current_app.config["STRIPE_SECRET_KEY"], base_addresses=addresses, http_client=http,
                               max_network_retries=current_app.config.get("STRIPE_NETWORK_RETRIES", 2))


@contextmanager
def _calling(what: str, *, charging: bool = False):
    """Turn the library's errors into one the pages can show."""
    try:
        yield
    except stripe.StripeError as error:
        current_app.logger.warning("Stripe refused to %s: %s", what, error)
        nothing = " Nothing was charged." if charging else ""
        raise StripeUnavailable(f"Stripe could not {what} just now.{nothing} Try again in a few minutes.") from error


def account_reading(account: dict) -> AccountReading:
    """What an account (as Stripe sends it, in an answer or an `account.updated` event) says."""
    requirements = account.get("requirements") or {}
    return AccountReading(account["id"], bool(account.get("charges_enabled")), bool(account.get("payouts_enabled")),
                          bool(account.get("details_submitted")), str(requirements.get("disabled_reason") or ""))


def create_account(*, email: str, business_name: str, key: str) -> AccountReading:
    """An Express connected account that can take card and Bacs payments through the platform."""
    params = {"type": "express", "country": "GB", "email": email, "default_currency": "gbp",
              "business_profile": {"name": business_name[:100]},
              "capabilities": {"card_payments": {"requested": True}, "transfers": {"requested": True}},
              "metadata": {"ourchoice_payee": key}}
    with _calling("set up your account"):
        return account_reading(_client().v1.accounts.create(
            params=params, options={"idempotency_key": f"account:{key}"}).to_dict())


def retrieve_account(account_id: str) -> AccountReading:
    with _calling("say how your account stands"):
        return account_reading(_client().v1.accounts.retrieve(account_id).to_dict())


def onboarding_link(account_id: str, *, return_url: str, refresh_url: str) -> str:
    """Stripe's hosted onboarding page for this account (a link that works once, for minutes)."""
    params = {"account": account_id, "type": "account_onboarding", "return_url": return_url,
              "refresh_url": refresh_url}
    with _calling("open its sign-up pages"):
        return _client().v1.account_links.create(params=params).to_dict()["url"]


def dashboard_link(account_id: str) -> str:
    """A one-time link into the payee's own Stripe Express dashboard (payouts, bank details)."""
    with _calling("open your Stripe dashboard"):
        return _client().v1.accounts.login_links.create(account_id).to_dict()["url"]


def create_checkout(*, invoice_id: int, invoice_number: str, description: str, amount_pence: int, fee_pence: int,
                    destination: str, methods: list[str], metadata: dict[str, str], success_url: str,
                    cancel_url: str, expires_at: datetime, key: str) -> NewCheckout:
    """A Checkout Session paying the invoice to the payee's connected account (a destination
    charge), in pounds, with the invoice and the chosen funding streams in its metadata."""
    intent = {"transfer_data": {"destination": destination}, "metadata": metadata,
              "description": f"Invoice {invoice_number}"}
    if fee_pence:
        intent["application_fee_amount"] = fee_pence
    params = {
        "mode": "payment", "payment_method_types": methods, "client_reference_id": str(invoice_id),
        "line_items": [{"quantity": 1, "price_data": {"currency": "gbp", "unit_amount": amount_pence,
                                                      "product_data": {"name": description[:250]}}}],
        "payment_intent_data": intent, "metadata": metadata, "success_url": success_url, "cancel_url": cancel_url,
        "expires_at": int(expires_at.timestamp()),
    }
    with _calling("start the payment", charging=True):
        session = _client().v1.checkout.sessions.create(params=params, options={"idempotency_key": key}).to_dict()
    return NewCheckout(session["id"], session["url"], datetime.fromtimestamp(session["expires_at"], UTC))


def expire_checkout(session_id: str) -> dict:
    """Close a session nobody finished, so it can no longer be paid (Stripe refuses once it is paid)."""
    with _calling("close the earlier payment page", charging=True):
        return _client().v1.checkout.sessions.expire(session_id).to_dict()


def retrieve_checkout(session_id: str) -> dict:
    """The session as Stripe has it now, with its PaymentIntent (for reconcile)."""
    with _calling("say how the payment stands"):
        session = _client().v1.checkout.sessions.retrieve(session_id, params={"expand": ["payment_intent"]})
    return session.to_dict()


def failure_reason(payment_intent_id: str | None) -> str:
    """Why a payment failed, in Stripe's words (empty when Stripe cannot say)."""
    if not payment_intent_id:
        return ""
    try:
        intent = _client().v1.payment_intents.retrieve(payment_intent_id).to_dict()
    except stripe.StripeError:
        current_app.logger.warning("Could not ask Stripe why payment %s failed", payment_intent_id)
        return ""
    error = intent.get("last_payment_error") or {}
    return str(error.get("message") or "")


def verified_event(payload: bytes, signature: str | None) -> dict:
    """The event in the webhook's body, once its signature is checked against each of our secrets
    (and is less than 5 minutes old). BadSignature otherwise."""
    secrets = [s.strip() for s in (current_app.config.get("STRIPE_WEBHOOK_SECRET") or "").split(",") if s.strip()]
    if not signature or not secrets:
        if not secrets:
            current_app.logger.error("A Stripe webhook arrived but STRIPE_WEBHOOK_SECRET is not set: refused")
        raise BadSignature("no valid signature")
    for secret in secrets:
        try:
            stripe.Webhook.construct_event(payload, signature, secret, tolerance=SIGNATURE_TOLERANCE_SECONDS)
        except stripe.SignatureVerificationError:
            continue
        except (ValueError, AttributeError, TypeError) as error:  # signed, but not an event's JSON
            raise BadSignature("the body is not an event") from error
        return _event_shape(json.loads(payload))
    raise BadSignature("no valid signature")


def _event_shape(event) -> dict:
    """The parts of an event the portal reads are there, of the kinds Stripe sends."""
    if not isinstance(event, dict):
        raise BadSignature("the body is not an event")
    data = event.get("data")
    thing = data.get("object") if isinstance(data, dict) else None
    if not (isinstance(event.get("id"), str) and isinstance(event.get("type"), str) and isinstance(thing, dict)
            and isinstance(event.get("created"), int)):
        raise BadSignature("the body is not an event")
    return event
