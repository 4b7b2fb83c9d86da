"""Paying an approved invoice by card or Direct Debit through Stripe, against the fake Stripe: the
Checkout Session (amount, currency, destination, metadata, idempotency key), coming back before
the webhook, the signed webhook recording the payment exactly once whatever order or how often
events come, Bacs pending and failing, refunds, mismatches flagged for the admin, events for
sessions that are not ours, and reconcile settling a session whose webhook never came."""

from __future__ import annotations

import time

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from app.cli import payments_cli
from app.core.models import Notification
from app.extensions import db
from app.ledger import services as ledger
from app.ledger.books import LedgerTransaction, TransactionSource
from app.payments.card_models import CardCheckout, CheckoutState, EventOutcome, StripeEvent
from app.payments.models import InvoiceStatus, Payment, PaymentMethod, PaymentStatus
from tests.card_helpers import approved_invoice, deliver, enabled_account, start_checkout, switch_on
from tests.conftest import sign_in_as
from tests.factories import UserFactory
from tests.fake_stripe import FakeStripe
from tests.money_helpers import acting_for, company_and_streams, running_agreement


@pytest.fixture
def fake():
    server = FakeStripe().start()
    yield server
    server.stop()


@pytest.fixture
def card(app, world, fake):
    switch_on(app, fake)
    person = world["person"]
    company, streams, _ = company_and_streams(person)
    ledger.record_receipt(acting_for(person.user, person), streams["council"].id, amount_pence=500_000,
                          received_on=world["engagement"].started_at.date(), reference="WCC", key="r1")
    db.session.commit()
    agreement = running_agreement(person, world["maida"], world["broker"])
    owner = world["maida"].staff[0].user
    account = enabled_account(fake, world["maida"], owner)
    invoice = approved_invoice(person, agreement)
    return {**world, "company": company, "streams": streams, "agreement": agreement, "account": account,
            "invoice": invoice, "owner": owner, "client": sign_in_as(app.test_client(), person.user)}


def invoice_url(c, suffix=""):
    return f"/people/{c['person'].id}/money/invoices/{c['invoice'].id}{suffix}"


def payments_of(invoice):
    return list(db.session.scalars(select(Payment).where(Payment.invoice_id == invoice.id)))


def stripe_postings():
    return db.session.scalar(select(func.count()).select_from(LedgerTransaction).where(
        LedgerTransaction.idempotency_key.like("stripe:%")))


def text(response):
    return response.get_data(as_text=True)


def test_pay_by_card_makes_one_checkout_session_and_records_nothing_until_stripe_confirms(card, fake):
    client, invoice = card["client"], card["invoice"]
    page = client.get(invoice_url(card))
    assert "Pay by card" in text(page) and "Record a bank transfer" in text(page)
    form = client.get(invoice_url(card, "/pay-by-card"))
    assert form.status_code == 200
    assert f"form-action 'self' https://checkout.stripe.com https://connect.stripe.com {fake.url}" in \
        form.headers["Content-Security-Policy"]
    stream = card["streams"]["council"]
    data = {"key": "double-click-0000000001", f"share_{stream.id}": f"{invoice.total_pence / 100:.2f}",
            "over_allocation_reason": ""}
    first = client.submit(invoice_url(card, "/pay-by-card"), data)
    again = client.submit(invoice_url(card, "/pay-by-card"), data, form_url=invoice_url(card, "/pay-by-card"))
    assert first.status_code == again.status_code == 303
    assert first.headers["Location"] == again.headers["Location"]
    assert first.headers["Location"].startswith(f"{fake.url}/pay/cs_test_")
    created = fake.seen("POST", "/v1/checkout/sessions")
    assert len(created) == 1 and created[0]["idempotency_key"] == f"checkout:{invoice.id}:double-click-0000000001"
    params = created[0]["params"]
    assert params["line_items"][0]["price_data"] == {"currency": "gbp", "unit_amount": str(invoice.total_pence),
                                                     "product_data": {"name": f"Invoice {invoice.number} from Maida Vale Care"}}
    assert params["payment_intent_data"]["transfer_data"]["destination"] == card["account"].stripe_account_id
    assert "application_fee_amount" not in params["payment_intent_data"]  # no platform fee unless configured
    assert params["metadata"]["ourchoice_invoice_id"] == str(invoice.id)
    assert params["metadata"]["funding_streams"] == f"{stream.id}:{invoice.total_pence}"
    assert params["payment_method_types"] == ["card"]
    checkout = db.session.scalar(select(CardCheckout))
    # The person comes back from Stripe before the webhook: waiting, and nothing is recorded.
    session = fake.complete(checkout.session_id)
    back = client.get(params["success_url"].replace("{CHECKOUT_SESSION_ID}", session["id"]).removeprefix("http://localhost"))
    assert back.status_code == 200 and "We are waiting for confirmation from Stripe" in text(back)
    assert payments_of(invoice) == [] and stripe_postings() == 0
    assert deliver(client, fake.event("checkout.session.completed", session)).get_json()["outcome"] == "paid"
    db.session.refresh(invoice)
    assert invoice.status == InvoiceStatus.PAID
    [payment] = payments_of(invoice)
    assert (payment.method, payment.amount_pence, payment.checkout_id) == (PaymentMethod.STRIPE, invoice.total_pence,
                                                                           checkout.id)
    assert f"Invoice {invoice.number}: paid" in text(client.get(invoice_url(card, f"/card-payment?session={session['id']}")))
    statement = text(client.get(f"/people/{card['person'].id}/money/streams/{stream.id}/statement"))
    assert f"Invoice {invoice.number} paid to Maida Vale Care by card through Stripe" in statement
    assert ledger.verify().ok


def test_a_platform_fee_is_sent_when_configured(card, fake, app):
    app.config["STRIPE_PLATFORM_FEE_BASIS_POINTS"] = 250
    checkout = start_checkout(card["person"], card["invoice"], card["streams"]["council"])
    intent = fake.seen("POST", "/v1/checkout/sessions")[0]["params"]["payment_intent_data"]
    assert intent["application_fee_amount"] == str(card["invoice"].total_pence * 250 // 10_000)
    assert checkout.platform_fee_pence == card["invoice"].total_pence * 250 // 10_000


def test_the_same_event_replayed_and_paid_events_in_any_order_post_once(card, fake):
    client = card["client"]
    checkout = start_checkout(card["person"], card["invoice"], card["streams"]["council"])
    completed = fake.event("checkout.session.completed", fake.complete(checkout.session_id, paid=False))
    succeeded = fake.event("checkout.session.async_payment_succeeded",
                           fake.settle_async(checkout.session_id, succeeded=True))
    # async_payment_succeeded first, then the earlier completed (its snapshot still "unpaid"), then replays.
    assert deliver(client, succeeded).get_json()["outcome"] == "paid"
    assert deliver(client, completed).get_json()["outcome"] == "no_change"
    for _ in range(3):
        assert deliver(client, succeeded).status_code == 200
        assert deliver(client, completed).status_code == 200
    db.session.refresh(checkout)
    assert checkout.state == CheckoutState.PAID and checkout.method == "bacs_debit"
    assert len(payments_of(card["invoice"])) == 1 and stripe_postings() == 1
    assert db.session.scalar(select(func.count()).select_from(StripeEvent)) == 2


def test_bacs_direct_debit_is_pending_then_paid(card, fake, app):
    app.config["STRIPE_PAYMENT_METHODS"] = "card,bacs_debit"
    client, invoice = card["client"], card["invoice"]
    assert "Pay by card or Direct Debit" in text(client.get(invoice_url(card)))
    checkout = start_checkout(card["person"], invoice, card["streams"]["council"])
    assert fake.seen("POST", "/v1/checkout/sessions")[0]["params"]["payment_method_types"] == ["card", "bacs_debit"]
    assert deliver(client, fake.event("checkout.session.completed",
                                      fake.complete(checkout.session_id, paid=False))).get_json()["outcome"] == "pending"
    page = text(client.get(invoice_url(card)))
    assert "Approved, payment pending" in page and "Payment pending." in page and "Pay by card" not in page
    refused = client.get(invoice_url(card, "/pay"), follow_redirects=True)
    assert "A Direct Debit payment of this invoice is pending" in text(refused)
    home = text(client.get("/"))
    assert f"The Direct Debit paying invoice {invoice.number} to Maida Vale Care is pending" in home
    assert f"Pay invoice {invoice.number}" not in home
    money = text(client.get(f"/people/{card['person'].id}/money"))
    assert "Approved, payment pending" in money and f"Pay<span class=\"govuk-visually-hidden\"> invoice {invoice.number}" not in money
    assert payments_of(invoice) == []
    deliver(client, fake.event("checkout.session.async_payment_succeeded",
                               fake.settle_async(checkout.session_id, succeeded=True)))
    db.session.refresh(invoice)
    assert invoice.status == InvoiceStatus.PAID and len(payments_of(invoice)) == 1


def test_a_failed_direct_debit_says_why_and_the_invoice_can_be_paid_again(card, fake):
    client, invoice = card["client"], card["invoice"]
    checkout = start_checkout(card["person"], invoice, card["streams"]["council"])
    deliver(client, fake.event("checkout.session.completed", fake.complete(checkout.session_id, paid=False)))
    failed = fake.event("checkout.session.async_payment_failed", fake.settle_async(checkout.session_id, succeeded=False))
    assert deliver(client, failed).get_json()["outcome"] == "failed"
    # A late success for the same session cannot move a failed payment back.
    late = fake.event("checkout.session.async_payment_succeeded", {**fake.sessions[checkout.session_id],
                                                                   "payment_status": "paid"})
    assert deliver(client, late).get_json()["outcome"] == "no_change"
    page = text(client.get(invoice_url(card)))
    assert "Payment failed: The account has insufficient funds." in page and "Approved, payment failed" in page
    assert "Pay by card" in page  # the invoice can be paid again
    assert payments_of(invoice) == [] and stripe_postings() == 0
    assert db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.title == f"The payment of invoice {invoice.number} failed")) >= 1


def test_a_refund_reverses_the_payment_and_reopens_the_invoice(card, fake):
    client, invoice = card["client"], card["invoice"]
    checkout = start_checkout(card["person"], invoice, card["streams"]["council"])
    deliver(client, fake.event("checkout.session.completed", fake.complete(checkout.session_id)))
    refund = fake.event("charge.refunded", fake.charge_of(checkout.session_id))
    assert deliver(client, refund).get_json()["outcome"] == "refunded"
    assert deliver(client, refund).get_json()["outcome"] == "refunded"  # a replay finds the first answer
    db.session.refresh(invoice)
    [payment] = payments_of(invoice)
    assert invoice.status == InvoiceStatus.APPROVED and payment.status == PaymentStatus.REFUNDED
    assert payment.transaction.reversal is not None
    reversals = db.session.scalar(select(func.count()).select_from(LedgerTransaction).where(
        LedgerTransaction.source == TransactionSource.REVERSAL))
    assert reversals == 1 and ledger.verify().ok
    assert "Pay by card" in text(client.get(invoice_url(card)))
    # A payment through Stripe is not reversed by hand: it is refunded in Stripe.
    assert f"/payments/{payment.id}/reverse" not in text(client.get(invoice_url(card)))


def test_a_refund_that_arrives_before_the_payment_is_applied_once_the_payment_is(card, fake):
    client, invoice = card["client"], card["invoice"]
    checkout = start_checkout(card["person"], invoice, card["streams"]["council"])
    session = fake.complete(checkout.session_id)
    refund = fake.event("charge.refunded", fake.charge_of(checkout.session_id))
    assert deliver(client, refund).get_json()["outcome"] == "waiting"
    assert deliver(client, fake.event("checkout.session.completed", session)).get_json()["outcome"] == "paid"
    db.session.refresh(invoice)
    assert invoice.status == InvoiceStatus.APPROVED
    assert [p.status for p in payments_of(invoice)] == [PaymentStatus.REFUNDED]
    assert db.session.get(StripeEvent, refund["id"]).outcome == EventOutcome.REFUNDED
    assert ledger.verify().ok


def test_a_part_refund_is_flagged_not_guessed(card, fake, app):
    admin = UserFactory(is_platform_admin=True)
    client, invoice = card["client"], card["invoice"]
    checkout = start_checkout(card["person"], invoice, card["streams"]["council"])
    deliver(client, fake.event("checkout.session.completed", fake.complete(checkout.session_id)))
    part = fake.event("charge.refunded", fake.charge_of(checkout.session_id, refunded_pence=1000))
    assert deliver(client, part).get_json()["outcome"] == "flagged"
    db.session.refresh(invoice)
    assert invoice.status == InvoiceStatus.PAID
    assert db.session.scalar(select(Notification).where(Notification.user_id == admin.id)) is not None


def test_an_amount_that_does_not_match_is_flagged_and_the_admin_told(card, fake, app):
    admin = UserFactory(is_platform_admin=True, name="Ada Admin")
    client, invoice = card["client"], card["invoice"]
    checkout = start_checkout(card["person"], invoice, card["streams"]["council"])
    session = {**fake.complete(checkout.session_id), "amount_total": invoice.total_pence - 1}
    assert deliver(client, fake.event("checkout.session.completed", session)).get_json()["outcome"] == "flagged"
    # Once flagged, a later event for the same session records nothing either.
    again = fake.event("checkout.session.async_payment_succeeded", fake.sessions[checkout.session_id])
    assert deliver(client, again).get_json()["outcome"] == "no_change"
    db.session.refresh(invoice)
    assert invoice.status == InvoiceStatus.APPROVED and payments_of(invoice) == [] and stripe_postings() == 0
    page = text(client.get(invoice_url(card)))
    assert "We are checking a payment of this invoice." in page and "Pay by card" not in page
    assert "An administrator is checking a payment" in text(client.get(invoice_url(card, "/pay"), follow_redirects=True))
    assert db.session.scalar(select(Notification).where(
        Notification.user_id == card["person"].user_id,
        Notification.title == f"We are checking a payment of invoice {invoice.number}")) is not None
    told = list(db.session.scalars(select(Notification).where(Notification.user_id == admin.id)))
    assert len(told) == 1 and invoice.number in told[0].title  # told once, not at every event
    admin_client = sign_in_as(app.test_client(), admin)
    listing = text(admin_client.get("/admin/payments/stripe?flagged=1"))
    assert "Payments that need checking" in listing and "invoice " + invoice.number in listing
    event_page = admin_client.get(f"/admin/payments/stripe/{db.session.scalars(select(StripeEvent.id)).first()}")
    assert event_page.status_code == 200 and "What Stripe sent" in text(event_page)
    assert client.get("/admin/payments/stripe").status_code in (403, 404)
    # The admin refunds it in Stripe: nothing to put back in the books, and the invoice can be paid again.
    refund = fake.event("charge.refunded", fake.charge_of(checkout.session_id))
    assert deliver(client, refund).get_json()["outcome"] == "refunded"
    assert db.session.get(CardCheckout, checkout.id).state == CheckoutState.REFUNDED
    assert stripe_postings() == 0 and ledger.verify().ok
    assert "Pay by card" in text(client.get(invoice_url(card)))


def test_an_invoice_already_paid_by_hand_is_not_paid_twice(card, fake):
    client, invoice, stream = card["client"], card["invoice"], card["streams"]["council"]
    checkout = start_checkout(card["person"], invoice, stream)
    from app.core.timeutil import today_in_london
    from app.payments import services as payments
    from tests.money_helpers import key

    payments.pay_manually(acting_for(card["person"].user, card["person"]), invoice.id, payments.ManualPayment(
        shares=[payments.Share(stream.id, invoice.total_pence)], reference="FPS 1", paid_on=today_in_london(),
        key=key()))
    db.session.commit()
    outcome = deliver(client, fake.event("checkout.session.completed", fake.complete(checkout.session_id)))
    assert outcome.get_json()["outcome"] == "flagged"
    assert [p.method for p in payments_of(invoice)] == [PaymentMethod.MANUAL]
    assert "already paid" in db.session.get(CardCheckout, checkout.id).flagged_reason


@pytest.mark.parametrize("how", ["bad signature", "no signature", "old timestamp", "other secret"])
def test_an_event_not_signed_by_stripe_answers_400_and_writes_nothing(card, fake, how):
    checkout = start_checkout(card["person"], card["invoice"], card["streams"]["council"])
    event = fake.event("checkout.session.completed", fake.complete(checkout.session_id))
    kwargs = {"bad signature": {"signature": "t=1,v1=abc"}, "no signature": {"signature": ""},
              "old timestamp": {"timestamp": int(time.time()) - 301},
              "other secret": {"secret": "whsec_someone_else"}}[how]
    answer = deliver(card["client"], event, **kwargs)
    assert answer.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(StripeEvent)) == 0
    assert payments_of(card["invoice"]) == []


def test_events_we_do_not_use_or_for_sessions_that_are_not_ours_are_kept_and_ignored(card, fake):
    client = card["client"]
    unknown_type = fake.event("customer.created", {"id": "cus_1", "object": "customer"})
    assert deliver(client, unknown_type).get_json()["outcome"] == "ignored"
    stranger = fake.event("checkout.session.completed", {"id": "cs_test_not_ours", "object": "checkout.session",
                                                        "payment_status": "paid", "amount_total": 100,
                                                        "currency": "gbp"})
    answer = deliver(client, stranger)
    assert answer.status_code == 200 and answer.get_json()["outcome"] == "unknown"
    assert payments_of(card["invoice"]) == []


def test_account_updated_shows_the_provider_can_take_cards_and_an_older_event_changes_nothing(card, fake, app):
    account = card["account"]
    newer = fake.event("account.updated", {**fake.accounts[account.stripe_account_id]}, created=int(time.time()))
    older = fake.event("account.updated", {**fake.accounts[account.stripe_account_id], "charges_enabled": False},
                       created=int(time.time()) - 60)
    assert deliver(card["client"], newer).get_json()["outcome"] == "account"
    assert deliver(card["client"], older).get_json()["outcome"] == "no_change"
    db.session.refresh(account)
    assert account.charges_enabled
    owner = sign_in_as(app.test_client(), card["owner"])
    assert "Can take card payments" in text(owner.get(f"/providers/{card['maida'].id}/payouts"))


def test_reconcile_settles_a_session_whose_webhook_never_came(card, fake, app):
    checkout = start_checkout(card["person"], card["invoice"], card["streams"]["council"])
    other = start_checkout(card["person"], approved_invoice(card["person"], card["agreement"], weeks_after_start=1),
                           card["streams"]["council"])
    fake.complete(checkout.session_id)  # paid on Stripe's page; the event is lost
    runner = CliRunner()
    with app.app_context():
        result = runner.invoke(payments_cli, ["reconcile"], obj=app_script_info(app))
    assert result.exit_code == 0, result.output
    assert "Checked 2 payment(s) with Stripe: 1 settled or changed" in result.output
    assert fake.seen("GET", f"/v1/checkout/sessions/{checkout.session_id}")[0]["params"] == {"expand": ["payment_intent"]}
    db.session.expire_all()
    assert db.session.get(CardCheckout, checkout.id).state == CheckoutState.PAID
    assert db.session.get(CardCheckout, other.id).state == CheckoutState.OPEN  # still at Stripe's page
    again = runner.invoke(payments_cli, ["reconcile"], obj=app_script_info(app))
    assert "1 payment(s)" in again.output and stripe_postings() == 1
    # The webhook arriving late changes nothing.
    late = fake.event("checkout.session.completed", fake.sessions[checkout.session_id])
    assert deliver(card["client"], late).get_json()["outcome"] == "no_change"
    assert stripe_postings() == 1 and ledger.verify().ok


def app_script_info(app):
    from flask.cli import ScriptInfo

    return ScriptInfo(create_app=lambda: app)


def test_someone_elses_card_payment_page_is_not_found(card, fake, app):
    checkout = start_checkout(card["person"], card["invoice"], card["streams"]["council"])
    from tests.factories import BudgetHolderFactory

    stranger = sign_in_as(app.test_client(), BudgetHolderFactory().user)
    assert stranger.get(invoice_url(card, f"/card-payment?session={checkout.session_id}")).status_code == 404
    assert stranger.get(invoice_url(card, "/pay-by-card")).status_code == 404
    assert card["client"].get(invoice_url(card, "/card-payment?session=cs_test_other")).status_code == 404


def test_the_owner_connects_a_stripe_account_and_comes_back_to_see_where_they_are(app, world, fake):
    switch_on(app, fake)
    maida = world["maida"]
    owner = sign_in_as(app.test_client(), maida.staff[0].user)
    assert "Getting paid by card" in text(owner.get(f"/providers/{maida.id}"))
    page = owner.get(f"/providers/{maida.id}/payouts")
    assert "Not connected" in text(page) and "Connect with Stripe" in text(page)
    assert "https://connect.stripe.com" in page.headers["Content-Security-Policy"]
    went = owner.submit(f"/providers/{maida.id}/payouts/connect", form_url=f"/providers/{maida.id}/payouts")
    assert went.status_code == 303 and went.headers["Location"].startswith(f"{fake.url}/onboarding/acct_")
    [created] = fake.seen("POST", "/v1/accounts")
    assert created["idempotency_key"] == f"account:organisation-{maida.id}"
    assert created["params"]["type"] == "express" and created["params"]["country"] == "GB"
    link = fake.seen("POST", "/v1/account_links")[0]["params"]
    assert link["return_url"] == f"http://localhost/providers/{maida.id}/payouts/return"
    assert link["type"] == "account_onboarding"
    # Back before finishing: Stripe says not yet.
    back = owner.get(f"/providers/{maida.id}/payouts/return", follow_redirects=True)
    assert "Stripe needs more from you" in text(back) and "Continue with Stripe" in text(back)
    # Pressing again reuses the same account.
    owner.submit(f"/providers/{maida.id}/payouts/connect", form_url=f"/providers/{maida.id}/payouts")
    assert len(fake.seen("POST", "/v1/accounts")) == 1
    fake.enable(next(iter(fake.accounts)))
    done = owner.get(f"/providers/{maida.id}/payouts/return", follow_redirects=True)
    assert "Your Stripe account is ready" in text(done) and "Can take card payments" in text(done)


def test_only_the_owner_connects_and_staff_see_where_they_are(app, world, fake):
    from tests.factories import ProviderStaffFactory

    switch_on(app, fake)
    maida = world["maida"]
    staff = sign_in_as(app.test_client(), ProviderStaffFactory(organisation=maida, is_owner=False).user)
    page = text(staff.get(f"/providers/{maida.id}/payouts"))
    assert "Only the person who manages" in page and "Connect with Stripe" not in page
    refused = staff.submit(f"/providers/{maida.id}/payouts/connect", form_url=f"/providers/{maida.id}/payouts")
    assert refused.status_code == 403 and fake.seen("POST", "/v1/accounts") == []


def test_a_broker_connects_too_and_nothing_is_offered_while_card_payments_are_off(app, world, fake):
    broker = sign_in_as(app.test_client(), world["broker"].user)
    off = text(broker.get("/broker/payouts"))
    assert "Card payments are not switched on" in off and "Connect with Stripe" not in off
    assert "Getting paid by card" not in text(broker.get("/broker/invoices"))
    switch_on(app, fake)
    went = broker.submit("/broker/payouts/connect", form_url="/broker/payouts")
    assert went.status_code == 303
    assert fake.seen("POST", "/v1/accounts")[0]["idempotency_key"] == f"account:broker-{world['broker'].id}"


def test_stripe_being_unreachable_is_a_clear_message_not_a_500(card, app):
    app.config["STRIPE_API_BASE"] = "http://127.0.0.1:9"  # nothing listens there
    client, invoice, stream = card["client"], card["invoice"], card["streams"]["council"]
    answer = client.submit(invoice_url(card, "/pay-by-card"),
                           {f"share_{stream.id}": f"{invoice.total_pence / 100:.2f}"})
    assert answer.status_code == 400
    assert "Stripe could not start the payment just now. Nothing was charged." in text(answer)
    assert db.session.scalar(select(func.count()).select_from(CardCheckout)) == 0


def test_a_helper_who_can_act_pays_by_card_and_one_who_can_only_view_cannot(card, fake, app):
    from app.core.timeutil import utcnow
    from app.holders.models import DelegateAccess, Delegation, DelegationStatus

    viewer, actor = UserFactory(name="Vera Viewer"), UserFactory(name="Adam Okafor")
    for user, level in ((viewer, DelegateAccess.VIEW), (actor, DelegateAccess.ACT)):
        db.session.add(Delegation(holder=card["person"], user=user, email=user.email, name=user.name, access=level,
                                  status=DelegationStatus.ACTIVE, expires_at=utcnow(),
                                  invited_by_id=card["person"].user_id))
    db.session.commit()
    stream, invoice = card["streams"]["council"], card["invoice"]
    data = {f"share_{stream.id}": f"{invoice.total_pence / 100:.2f}"}
    viewing = sign_in_as(app.test_client(), viewer)
    assert "Pay by card" not in text(viewing.get(invoice_url(card)))
    assert viewing.get(invoice_url(card, "/pay-by-card")).status_code == 403
    assert fake.seen("POST", "/v1/checkout/sessions") == []
    acting = sign_in_as(app.test_client(), actor)
    went = acting.submit(invoice_url(card, "/pay-by-card"), data)
    assert went.status_code == 303
    checkout = db.session.scalar(select(CardCheckout))
    assert (checkout.started_by_id, checkout.on_behalf_of_id) == (actor.id, card["person"].user_id)
    deliver(acting, fake.event("checkout.session.completed", fake.complete(checkout.session_id)))
    [payment] = payments_of(invoice)
    assert (payment.recorded_by_id, payment.on_behalf_of_id) == (actor.id, card["person"].user_id)
    assert payment.transaction.actor_id == actor.id


def test_the_webhook_saying_the_account_is_ready_in_the_second_it_was_made_is_applied(app, world, fake):
    switch_on(app, fake)
    maida = world["maida"]
    owner = sign_in_as(app.test_client(), maida.staff[0].user)
    owner.submit(f"/providers/{maida.id}/payouts/connect", form_url=f"/providers/{maida.id}/payouts")
    account_id = next(iter(fake.accounts))
    ready = fake.event("account.updated", fake.enable(account_id), account=account_id)  # Stripe's whole seconds
    assert deliver(owner, ready).get_json()["outcome"] == "account"
    assert "Can take card payments" in text(owner.get(f"/providers/{maida.id}/payouts"))


@pytest.mark.parametrize("body", [
    {"type": "checkout.session.completed", "created": 1, "data": {"object": {}}},  # no id
    {"id": "evt_1", "type": "checkout.session.completed", "created": 1, "data": None},
    {"id": "evt_1", "type": "checkout.session.completed", "created": 1, "data": {"object": "cs_1"}},
    {"id": "evt_1", "type": "checkout.session.completed", "created": "soon", "data": {"object": {}}},
    [1],
])
def test_a_signed_body_that_is_not_an_event_answers_400_and_writes_nothing(card, body):
    import json as _json

    from tests.fake_stripe import sign

    raw = _json.dumps(body)
    answer = card["client"].post("/payments/stripe/webhook", data=raw, content_type="application/json",
                                 headers={"Stripe-Signature": sign(raw)})
    assert answer.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(StripeEvent)) == 0


def test_reconcile_records_a_card_payment_as_card(card, fake, app):
    checkout = start_checkout(card["person"], card["invoice"], card["streams"]["council"])
    fake.complete(checkout.session_id)
    CliRunner().invoke(payments_cli, ["reconcile"], obj=app_script_info(app))
    db.session.expire_all()
    assert db.session.get(CardCheckout, checkout.id).method == "card"
    [payment] = payments_of(card["invoice"])
    assert "by card through Stripe" in payment.transaction.description


def test_reconcile_says_so_and_fails_when_stripe_cannot_be_reached(card, fake, app):
    start_checkout(card["person"], card["invoice"], card["streams"]["council"])
    app.config["STRIPE_API_BASE"] = "http://127.0.0.1:9"
    result = CliRunner().invoke(payments_cli, ["reconcile"], obj=app_script_info(app))
    assert result.exit_code == 1
    assert "1 could not be checked and will be tried again" in result.output


def test_a_second_page_for_other_choices_closes_the_first_and_the_same_choices_reuse_it(card, fake):
    from app.payments import services as payments
    from tests.money_helpers import key

    person, invoice, council = card["person"], card["invoice"], card["streams"]["council"]
    acting = acting_for(person.user, person)
    first = start_checkout(person, invoice, council)
    same = payments.start_checkout(acting, invoice.id, payments.CardPayment(
        shares=[payments.Share(council.id, invoice.total_pence)], key=key()))
    assert same.id == first.id and len(fake.seen("POST", "/v1/checkout/sessions")) == 1
    other = payments.start_checkout(acting, invoice.id, payments.CardPayment(
        shares=[payments.Share(council.id, invoice.total_pence)], key=key(),
        over_allocation_reason="The council agreed extra hours."))
    db.session.commit()
    assert other.id != first.id
    assert fake.sessions[first.session_id]["status"] == "expired"
    assert db.session.get(CardCheckout, first.id).state == CheckoutState.EXPIRED


def test_a_refund_kept_waiting_by_a_race_is_applied_by_reconcile(card, fake, app):
    client, invoice = card["client"], card["invoice"]
    checkout = start_checkout(card["person"], invoice, card["streams"]["council"])
    deliver(client, fake.event("checkout.session.completed", fake.complete(checkout.session_id)))
    # What a refund delivered at the same moment as the payment leaves: kept, waiting, after the payment's look.
    refund = fake.event("charge.refunded", fake.charge_of(checkout.session_id))
    db.session.add(StripeEvent(id=refund["id"], type=refund["type"], stripe_created_at=checkout.created_at,
                               object_id=refund["data"]["object"]["id"],
                               payment_intent_id=db.session.get(CardCheckout, checkout.id).payment_intent_id,
                               outcome=EventOutcome.WAITING, payload=refund))
    db.session.commit()
    result = CliRunner().invoke(payments_cli, ["reconcile"], obj=app_script_info(app))
    assert "Refunds applied that were waiting for their payment: 1" in result.output, result.output
    db.session.expire_all()
    assert db.session.get(type(invoice), invoice.id).status == InvoiceStatus.APPROVED
    assert db.session.get(StripeEvent, refund["id"]).outcome == EventOutcome.REFUNDED


def test_connecting_tells_nobody_it_was_paused_and_a_real_pause_is_told(app, world, fake):
    switch_on(app, fake)
    maida = world["maida"]
    owner_user = maida.staff[0].user
    owner = sign_in_as(app.test_client(), owner_user)
    owner.submit(f"/providers/{maida.id}/payouts/connect", form_url=f"/providers/{maida.id}/payouts")
    owner.get(f"/providers/{maida.id}/payouts/return")
    titles = lambda: [n.title for n in db.session.scalars(select(Notification).where(  # noqa: E731
        Notification.user_id == owner_user.id))]
    assert not any("paused" in t for t in titles())
    account_id = next(iter(fake.accounts))
    deliver(owner, fake.event("account.updated", fake.enable(account_id), account=account_id))
    assert "You can now be paid by card through OurChoice" in titles()
    paused = {**fake.accounts[account_id], "charges_enabled": False,
              "requirements": {"disabled_reason": "requirements.past_due"}}
    deliver(owner, fake.event("account.updated", paused, account=account_id, created=int(time.time()) + 1))
    assert "Stripe has paused card payments to you" in titles()
    assert "Stripe needs more details from you" in text(owner.get(f"/providers/{maida.id}/payouts"))


def test_a_connected_payee_opens_their_stripe_dashboard_for_payouts_and_bank_details(card, fake, app):
    from tests.factories import ProviderStaffFactory

    maida = card["maida"]
    owner = sign_in_as(app.test_client(), card["owner"])
    page = text(owner.get(f"/providers/{maida.id}/payouts"))
    assert "Open your Stripe dashboard" in page
    went = owner.submit(f"/providers/{maida.id}/payouts/dashboard", form_url=f"/providers/{maida.id}/payouts")
    assert went.status_code == 303
    assert went.headers["Location"] == f"{fake.url}/express/{card['account'].stripe_account_id}"
    staff = sign_in_as(app.test_client(), ProviderStaffFactory(organisation=maida, is_owner=False).user)
    refused = staff.submit(f"/providers/{maida.id}/payouts/dashboard", form_url=f"/providers/{maida.id}/payouts")
    assert refused.status_code == 403
