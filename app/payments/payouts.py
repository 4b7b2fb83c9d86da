"""Providers and self-employed brokers connect a Stripe account to be paid into (an Express
connected account, set up on Stripe's own pages). Whether Stripe says it can take payments comes
from `account.updated` webhooks and from asking Stripe when the payee comes back; an older
reading never overwrites a newer one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.accounts.models import User
from app.brokers.models import BrokerProfile
from app.core import audit
from app.core.errors import DomainError, NotFound
from app.core.notifications import notify
from app.core.permissions import ensure
from app.core.records import locked
from app.core.timeutil import utcnow
from app.core.urls import path_for
from app.extensions import db
from app.ledger.companies import MONEY_NEWS
from app.payments import policies, stripe_gateway
from app.payments.card_models import PayoutAccount
from app.payments.models import Invoice
from app.providers.models import ProviderOrganisation


@dataclass(frozen=True)
class Payee:
    """Who is paid: a provider organisation or a broker."""

    organisation: ProviderOrganisation | None = None
    broker: BrokerProfile | None = None

    @property
    def key(self) -> str:
        return f"organisation-{self.organisation.id}" if self.organisation else f"broker-{self.broker.id}"

    @property
    def name(self) -> str:
        return self.organisation.name if self.organisation else self.broker.display_name

    @property
    def account(self) -> PayoutAccount | None:
        if self.organisation is not None:
            return db.session.scalar(select(PayoutAccount).where(PayoutAccount.organisation_id == self.organisation.id))
        return db.session.scalar(select(PayoutAccount).where(PayoutAccount.broker_id == self.broker.id))

    @property
    def people(self) -> list[User]:
        if self.organisation is not None:
            return [staff.user for staff in self.organisation.staff]
        return [self.broker.user]


def settings_link(payee: Payee) -> str:
    if payee.organisation is not None:
        return path_for("payments.provider_payouts", organisation_id=payee.organisation.id)
    return path_for("payments.broker_payouts")


def organisation_payee(user: User, organisation_id: int) -> Payee:
    payee = Payee(organisation=db.session.get(ProviderOrganisation, organisation_id))
    ensure(policies.sees_payouts, user, payee if payee.organisation else None)
    return payee


def broker_payee(user: User) -> Payee:
    broker = getattr(user, "broker_profile", None)
    if broker is None:
        raise NotFound()
    return Payee(broker=broker)


def payee_of(invoice: Invoice) -> Payee:
    return Payee(organisation=invoice.organisation, broker=invoice.broker)


def switched_on() -> bool:
    return stripe_gateway.configured()


def connect(user: User, payee: Payee, *, return_url: str, refresh_url: str) -> str:
    """The address of Stripe's sign-up pages for the payee's connected account (made the first time)."""
    ensure(policies.can_connect_payouts, user, payee, hide=False)
    if not switched_on():
        raise DomainError("Card payments are not switched on for OurChoice: you are paid by bank transfer")
    # One account per payee, whoever clicks at the same moment.
    locked(ProviderOrganisation if payee.organisation else BrokerProfile,
           payee.organisation.id if payee.organisation else payee.broker.id)
    account = payee.account
    if account is None:
        try:
            reading = stripe_gateway.create_account(email=user.email, business_name=payee.name, key=payee.key)
        except stripe_gateway.StripeUnavailable as error:
            raise DomainError(str(error)) from error
        account = PayoutAccount(organisation_id=getattr(payee.organisation, "id", None),
                                broker_id=getattr(payee.broker, "id", None), stripe_account_id=reading.account_id,
                                created_by_id=user.id)
        db.session.add(account)
        apply_reading(account, reading, utcnow())
        db.session.flush()
        audit.record("payouts.connected", actor=user, obj=account, payee=payee.key,
                     stripe_account=reading.account_id)
    try:
        return stripe_gateway.onboarding_link(account.stripe_account_id, return_url=return_url,
                                              refresh_url=refresh_url)
    except stripe_gateway.StripeUnavailable as error:
        raise DomainError(str(error)) from error


def dashboard(user: User, payee: Payee) -> str:
    """Where the payee manages their payouts and bank details: their Stripe Express dashboard."""
    ensure(policies.can_connect_payouts, user, payee, hide=False)
    account = payee.account
    if account is None or not account.details_submitted or not switched_on():
        raise DomainError("Finish connecting your Stripe account first")
    try:
        return stripe_gateway.dashboard_link(account.stripe_account_id)
    except stripe_gateway.StripeUnavailable as error:
        raise DomainError(str(error)) from error


def check_with_stripe(user: User, payee: Payee) -> PayoutAccount | None:
    """Ask Stripe how the payee's account stands now (when they come back from its pages)."""
    ensure(policies.sees_payouts, user, payee)
    account = payee.account
    if account is None or not switched_on():
        return account
    try:
        reading = stripe_gateway.retrieve_account(account.stripe_account_id)
    except stripe_gateway.StripeUnavailable as error:
        raise DomainError(str(error)) from error
    apply_reading(account, reading, utcnow())
    return account


def apply_reading(account: PayoutAccount, reading: stripe_gateway.AccountReading, as_of: datetime) -> bool:
    """Keep what Stripe said, unless we already hold a newer reading. True when it was applied.
    Stripe's times are whole seconds: a reading within the same second as the one held is applied."""
    as_of = as_of.replace(microsecond=0)
    if account.id is not None:  # two readings at once: one after the other
        account = locked(PayoutAccount, account.id)
    if account.stripe_as_of is not None and as_of < account.stripe_as_of:
        return False
    known, could = account.stripe_as_of is not None, bool(account.charges_enabled)
    account.charges_enabled, account.payouts_enabled = reading.charges_enabled, reading.payouts_enabled
    account.details_submitted, account.disabled_reason = reading.details_submitted, reading.disabled_reason[:200]
    account.stripe_as_of = as_of
    db.session.flush()
    if known and account.charges_enabled != could:  # not the first reading: nothing was "paused" then
        payee = Payee(organisation=account.organisation, broker=account.broker)
        title = ("You can now be paid by card through OurChoice" if account.charges_enabled else
                 "Stripe has paused card payments to you")
        body = ("People you invoice can pay approved invoices by card or Direct Debit." if account.charges_enabled else
                "Stripe needs more information before it pays you again. Open \"Getting paid by card\" to finish.")
        for person in payee.people:
            notify(person, MONEY_NEWS.key, title, body, settings_link(payee))
    return True


def account_for_invoice(invoice: Invoice) -> PayoutAccount | None:
    return payee_of(invoice).account


def account_by_stripe_id(stripe_account_id: str) -> PayoutAccount | None:
    return db.session.scalar(select(PayoutAccount).where(PayoutAccount.stripe_account_id == stripe_account_id))
