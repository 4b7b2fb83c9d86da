"""The rules of card payments, worked out by hand: a checkout's state only moves forward; which
state each Stripe event asks for; what reconcile reads a session as; the platform fee."""

from __future__ import annotations

import pytest

from app.payments.card_models import NEXT_STATES, CheckoutState, fee_for
from app.payments.stripe_events import _reading_as_event, _target

S = CheckoutState


def test_states_only_move_forward():
    allowed = {(a, b) for a, nexts in NEXT_STATES.items() for b in nexts}
    assert allowed == {(S.OPEN, S.PENDING), (S.OPEN, S.PAID), (S.OPEN, S.FAILED), (S.OPEN, S.EXPIRED),
                       (S.OPEN, S.FLAGGED), (S.PENDING, S.PAID), (S.PENDING, S.FAILED), (S.PENDING, S.FLAGGED),
                       (S.PAID, S.REFUNDED), (S.FLAGGED, S.REFUNDED)}
    for state in S:
        assert state not in NEXT_STATES[state]  # an event repeating the state changes nothing


@pytest.mark.parametrize(("kind", "payment_status", "expected"), [
    ("checkout.session.completed", "paid", S.PAID),
    ("checkout.session.completed", "no_payment_required", S.PAID),
    ("checkout.session.completed", "unpaid", S.PENDING),  # Bacs: the bank has not confirmed yet
    ("checkout.session.async_payment_succeeded", "paid", S.PAID),
    ("checkout.session.async_payment_failed", "unpaid", S.FAILED),
    ("checkout.session.expired", "unpaid", S.EXPIRED),
])
def test_what_each_event_asks_for(kind, payment_status, expected):
    assert _target(kind, {"payment_status": payment_status}) == expected


@pytest.mark.parametrize(("status", "payment_status", "intent_status", "expected"), [
    ("open", "unpaid", None, None),  # still on Stripe's page: nothing to do yet
    ("complete", "paid", "succeeded", "checkout.session.completed"),  # paid: by card, or Bacs confirmed
    ("complete", "paid", None, "checkout.session.completed"),
    ("complete", "unpaid", "succeeded", "checkout.session.async_payment_succeeded"),
    ("complete", "unpaid", "processing", "checkout.session.completed"),  # pending
    ("complete", "unpaid", "requires_payment_method", "checkout.session.async_payment_failed"),
    ("expired", "unpaid", None, "checkout.session.expired"),
])
def test_what_reconcile_reads_a_session_as(status, payment_status, intent_status, expected):
    intent = {"id": "pi_1", "status": intent_status, "created": 1_780_000_000} if intent_status else None
    event = _reading_as_event({"id": "cs_1", "status": status, "payment_status": payment_status,
                               "payment_intent": intent})
    if expected is None:
        assert event is None
        return
    assert event["type"] == expected
    assert event["id"] == f"reconcile:cs_1:{expected.rsplit('.', 1)[-1]}"  # the same reading twice is one event
    assert event["data"]["object"]["payment_intent"] == ("pi_1" if intent else None)  # an id, as Stripe sends
    if intent:
        assert event["created"] == 1_780_000_000  # when Stripe took the payment, not when reconcile ran


@pytest.mark.parametrize(("amount", "basis_points", "fee"), [(44_333, 0, 0), (44_333, 250, 1_108), (100, 250, 2),
                                                             (10_000, -5, 0)])
def test_the_platform_fee_is_whole_pence_rounded_down(amount, basis_points, fee):
    assert fee_for(amount, basis_points) == fee
