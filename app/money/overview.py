"""The money pages' readings: the person's money at a glance, one stream in full, a funder
officer's overview of the streams their body funds, and what a broker may see of a client's
budget (only with the person's recorded consent, which they can withdraw).

A funder officer sees the streams their body funds, with those streams' figures, statements and
warnings, and nothing else of the person's company: not its bank details, other funders'
streams, or its invoices.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.core import audit
from app.core.errors import DomainError, NotFound
from app.core.permissions import ensure
from app.engagements.services import broker_engagement, current_broker_of
from app.extensions import db
from app.holders.models import Consent, ConsentMethod
from app.holders.policies import HolderAccess
from app.holders.services import record_consent, withdraw_consent
from app.ledger import policies
from app.ledger.books import AccountKind, LedgerAccount
from app.ledger.companies import company_of, holder_stream, officer_stream
from app.ledger.models import Company, FundingStream
from app.ledger.receipts import receipts_of
from app.money import policies as money_policies
from app.money.figures import StreamFigures, figures_for, unfunded_support
from app.money.policies import SHARE_BUDGET, current_budget_consent
from app.payments.models import Invoice, InvoiceStatus
from app.taxonomy.models import ServiceCategory


@dataclass(frozen=True)
class MoneyPage:
    company: Company | None
    streams: list[StreamFigures]
    bank_balance: int
    owed: int  # approved and not yet paid, to anyone
    waiting: list[Invoice]  # for the person's approval
    to_pay: list[Invoice]  # approved, not yet paid
    sharing: Consent | None  # the person's consent for their broker to see the budget
    # Support owed or planned that none of the running streams may pay for: (kind of support, amount).
    unfunded: list[tuple[str, int]] = field(default_factory=list)


def bank_and_owed(company: Company) -> tuple[int, int]:
    rows = dict(db.session.execute(select(LedgerAccount.kind, func.sum(LedgerAccount.balance_pence))
                                   .where(LedgerAccount.company_id == company.id,
                                          LedgerAccount.kind.in_([AccountKind.BANK, AccountKind.PAYABLE]))
                                   .group_by(LedgerAccount.kind)).all())
    return int(rows.get(AccountKind.BANK, 0) or 0), -int(rows.get(AccountKind.PAYABLE, 0) or 0)


def money_page(acting: HolderAccess) -> MoneyPage:
    ensure(policies.can_view_money, acting.user, acting.holder)
    company = company_of(acting.holder)
    if company is None:
        return MoneyPage(None, [], 0, 0, [], [], None)
    unfunded = unfunded_support(company)
    names = dict(db.session.execute(select(ServiceCategory.id, ServiceCategory.name)
                                    .where(ServiceCategory.id.in_(list(unfunded)))).all()) if unfunded else {}
    streams = list(db.session.scalars(select(FundingStream).where(FundingStream.company_id == company.id)
                                      .order_by(FundingStream.ends_on.desc(), FundingStream.id)))
    figures = figures_for(streams)
    bank, owed = bank_and_owed(company)
    invoices = list(db.session.scalars(select(Invoice).where(
        Invoice.company_id == company.id, Invoice.status.in_([InvoiceStatus.SUBMITTED, InvoiceStatus.QUERIED,
                                                              InvoiceStatus.APPROVED]))
        .order_by(Invoice.submitted_at)))
    waiting = [i for i in invoices if i.status in (InvoiceStatus.SUBMITTED, InvoiceStatus.QUERIED)]
    to_pay = [i for i in invoices if i.status == InvoiceStatus.APPROVED]
    return MoneyPage(company, [figures[s.id] for s in streams], bank, owed, waiting, to_pay,
                     current_budget_consent(acting.holder),
                     sorted((names[category_id], amount) for category_id, amount in unfunded.items() if amount))


@dataclass(frozen=True)
class StreamPage:
    figures: StreamFigures
    receipts: list


def stream_page(acting: HolderAccess, stream_id: int) -> StreamPage:
    ensure(policies.can_view_money, acting.user, acting.holder)
    stream = holder_stream(acting, stream_id)
    return StreamPage(figures_for([stream])[stream.id], receipts_of(stream))


def holder_statement_stream(acting: HolderAccess, stream_id: int) -> FundingStream:
    """One of the person's streams, for its statement."""
    ensure(policies.can_view_money, acting.user, acting.holder)
    return holder_stream(acting, stream_id)


# --- Funder officers ---------------------------------------------------------------------------


def funder_streams(user: User) -> list[StreamFigures]:
    """Every stream the officer's bodies fund, across the people they fund: not confirmed first,
    then by the person's name."""
    body_ids = policies.officer_body_ids(user)
    if not body_ids:
        return []
    streams = list(db.session.scalars(
        select(FundingStream).join(Company).where(FundingStream.funding_body_id.in_(body_ids))
        .options(joinedload(FundingStream.company).joinedload(Company.holder),
                 joinedload(FundingStream.funding_body))))
    figures = figures_for(streams)
    streams.sort(key=lambda s: (s.is_confirmed, s.company.holder.name.lower(), s.ends_on, s.id))
    return [figures[s.id] for s in streams]


def funder_stream_figures(user: User, stream_id: int) -> StreamFigures:
    stream = officer_stream(user, stream_id)
    audit.record("stream.viewed_by_funder", actor=user, holder=stream.company.holder, obj=stream)
    return figures_for([stream])[stream.id]


def funder_statement_stream(user: User, stream_id: int) -> FundingStream:
    """A stream the officer's body funds, for its statement (each view is kept in the audit log)."""
    stream = officer_stream(user, stream_id)
    audit.record("statement.viewed_by_funder", actor=user, holder=stream.company.holder, obj=stream)
    return stream


# --- A broker's view of a client's budget ------------------------------------------------------


def share_budget_with_broker(acting: HolderAccess) -> Consent:
    """The person lets their current broker see the summary of their budget."""
    ensure(policies.can_manage_money, acting.user, acting.holder, hide=False)
    broker = current_broker_of(acting.holder)
    if broker is None:
        raise DomainError("You are not working with a broker at the moment")
    existing = current_budget_consent(acting.holder)
    if existing is not None and existing.broker_id == broker.id:
        return existing
    if existing is not None:
        withdraw_consent(existing, acting.user, purpose=SHARE_BUDGET)
    return record_consent(acting.holder, purpose=SHARE_BUDGET, recorded_by=acting.user, method=ConsentMethod.ONLINE,
                          broker=broker)


def stop_sharing_budget(acting: HolderAccess) -> None:
    ensure(policies.can_manage_money, acting.user, acting.holder, hide=False)
    existing = current_budget_consent(acting.holder)
    if existing is None:
        raise DomainError("Your broker cannot see your budget already")
    withdraw_consent(existing, acting.user, purpose=SHARE_BUDGET)


def broker_budget(user: User, engagement_id: int) -> list[StreamFigures]:
    """A client's budget summary, for their broker: only while the engagement is active and the
    person's consent for this broker stands (anyone else: 404)."""
    engagement = broker_engagement(user, engagement_id, audit_view=False)
    if not money_policies.broker_sees_budget(user, engagement):
        raise NotFound()
    company = company_of(engagement.holder)
    streams = list(db.session.scalars(select(FundingStream).where(FundingStream.company_id == company.id)
                                      .order_by(FundingStream.ends_on.desc(), FundingStream.id))) if company else []
    audit.record("budget.viewed_by_broker", actor=user, holder=engagement.holder, obj=engagement)
    figures = figures_for(streams)
    return [figures[s.id] for s in streams]

