"""Setting up the person's company and its funding streams, and the funder's confirmation.

Every change to a stream is kept (`StreamChange`): who, when, why, and each field's old and new
value. A stream of a funding body in the portal is set up by the person (from their award
letter) and is "not confirmed by the funder" until one of that body's officers confirms it; from
then on only the funder changes its allocation and restrictions, always with a reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from app.accounts.models import User
from app.core import audit
from app.core.errors import DomainError, NotFound, accumulate_errors
from app.core.notifications import notify, register_kind
from app.core.permissions import ensure
from app.core.records import get_or_404, locked
from app.core.roles import Role
from app.core.timeutil import utcnow
from app.core.urls import path_for
from app.extensions import db
from app.funders.models import FundingBody, FundingOfficer
from app.holders.models import Delegation
from app.holders.policies import HolderAccess
from app.holders.services import tell_holder
from app.ledger import policies
from app.ledger.models import Company, CompanyKind, FundingStream, PaymentSchedule, StreamChange
from app.taxonomy.models import ServiceCategory

MONEY_NEWS = register_kind("money", "Your money: funding, invoices and payments")
FUNDING_NEWS = register_kind("funding", "Funding streams you confirm, and their warnings", roles={Role.FUNDER_OFFICER})

_COMPANIES_HOUSE = re.compile(r"(?:[0-9]{8}|[A-Z]{2}[0-9]{6})", re.ASCII)
MAX_STREAM_DAYS = 3 * 366


@dataclass(frozen=True)
class CompanyDetails:
    name: str
    kind: str
    companies_house_number: str = ""
    manager_delegation_id: int | None = None  # None: the person manages it
    bank_account_name: str = ""
    bank_sort_code: str = ""
    bank_account_number: str = ""


def company_of(holder) -> Company | None:
    return db.session.scalar(select(Company).where(Company.holder_id == holder.id))


def lock_company_row(acting: HolderAccess) -> Company:
    """The person's company, locked for this unit of work (two forms sent at once wait for each other)."""
    return locked(Company, required_company(acting).id)


def required_company(acting: HolderAccess) -> Company:
    company = company_of(acting.holder)
    if company is None:
        raise DomainError(f"{'You have' if acting.is_self else acting.holder.name + ' has'} not set up a company yet")
    return company


def _check_company(acting: HolderAccess, details: CompanyDetails) -> None:
    def name():
        if not details.name.strip():
            raise DomainError("Enter the company's name", field="name")

    def number():
        if details.kind == CompanyKind.LIMITED.value and not _COMPANIES_HOUSE.fullmatch(details.companies_house_number):
            raise DomainError("Enter the Companies House number: 8 characters, like 01234567 or SC123456",
                              field="companies_house_number")

    def manager():
        if details.manager_delegation_id is None:
            return
        delegation = db.session.get(Delegation, details.manager_delegation_id)
        if delegation is None or delegation.holder_id != acting.holder.id or not delegation.can_act:
            raise DomainError("Choose someone who can act for the person", field="manager")

    def bank():
        if not any([details.bank_account_name, details.bank_sort_code, details.bank_account_number]):
            return  # none given: none yet, or keeping the details already held
        if not details.bank_account_name.strip():
            raise DomainError("Enter the name on the bank account", field="bank_account_name")
        if not re.fullmatch(r"[0-9]{6}", details.bank_sort_code, re.ASCII):
            raise DomainError("Enter a sort code of 6 digits, like 30-99-50", field="bank_sort_code")
        if not re.fullmatch(r"[0-9]{8}", details.bank_account_number, re.ASCII):
            raise DomainError("Enter an account number of 8 digits", field="bank_account_number")

    if details.kind not in {k.value for k in CompanyKind}:
        raise DomainError("Choose what kind of company it is", field="kind")
    accumulate_errors(name, number, manager, bank)


def set_up_company(acting: HolderAccess, details: CompanyDetails) -> Company:
    """The person's company (once): its name, kind, who manages it, its bank account."""
    ensure(policies.can_manage_money, acting.user, acting.holder, hide=False)
    if company_of(acting.holder) is not None:
        raise DomainError("The company is already set up")
    _check_company(acting, details)
    company = Company(holder_id=acting.holder.id, created_by_id=acting.user.id, name="", kind=CompanyKind(details.kind))
    _apply(company, details)
    db.session.add(company)
    db.session.flush()
    audit.record("company.set_up", actor=acting.user, on_behalf_of=acting.on_behalf_of, holder=acting.holder,
                 obj=company)
    return company


def update_company(acting: HolderAccess, details: CompanyDetails) -> Company:
    ensure(policies.can_manage_money, acting.user, acting.holder, hide=False)
    company = required_company(acting)
    _check_company(acting, details)
    _apply(company, details)
    audit.record("company.changed", actor=acting.user, on_behalf_of=acting.on_behalf_of, holder=acting.holder,
                 obj=company)
    return company


def _apply(company: Company, details: CompanyDetails) -> None:
    company.name = details.name.strip()
    company.kind = CompanyKind(details.kind)
    company.companies_house_number = (details.companies_house_number or None) if company.kind == CompanyKind.LIMITED else None
    company.manager_delegation_id = details.manager_delegation_id
    if details.bank_account_number:
        company.bank_account_name = details.bank_account_name.strip()
        company.bank_sort_code = details.bank_sort_code
        company.bank_account_number = details.bank_account_number


# --- Funding streams ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StreamDetails:
    name: str
    allocation_pence: int
    starts_on: date
    ends_on: date
    schedule: str
    funding_body_id: int | None = None  # a funder in the portal...
    funder_name: str = ""  # ...or one outside it
    category_ids: list[int] = field(default_factory=list)


def _check_stream(details: StreamDetails) -> None:
    def funder():
        if details.funding_body_id is not None:
            if db.session.get(FundingBody, details.funding_body_id) is None:
                raise DomainError("Choose a funder from the list", field="funding_body")
        elif not details.funder_name.strip():
            raise DomainError("Enter the funder's name", field="funder_name")

    def name():
        if not details.name.strip():
            raise DomainError("Enter a name for this funding, like Westminster personal budget 2026-27", field="name")

    def period():
        if details.ends_on <= details.starts_on:
            raise DomainError("The end date must be after the start date", field="ends_on")
        if (details.ends_on - details.starts_on).days > MAX_STREAM_DAYS:
            raise DomainError("A funding period can be up to 3 years: set up another stream for the years after",
                              field="ends_on")

    def allocation():
        if details.allocation_pence < 0:
            raise DomainError("Enter the allocation in pounds, like 24000", field="allocation")

    def schedule():
        if details.schedule not in {s.value for s in PaymentSchedule}:
            raise DomainError("Choose how the money is paid", field="schedule")

    def categories():
        known = set(db.session.scalars(select(ServiceCategory.id).where(ServiceCategory.id.in_(details.category_ids))))
        if set(details.category_ids) - known:
            raise DomainError("Choose the kinds of support from the list", field="category_ids")

    accumulate_errors(funder, name, period, allocation, schedule, categories)


def _stream_values(stream: FundingStream) -> dict:
    return {"name": stream.name, "allocation_pence": stream.allocation_pence, "starts_on": stream.starts_on.isoformat(),
            "ends_on": stream.ends_on.isoformat(), "schedule": stream.schedule.value,
            "category_ids": sorted(stream.category_ids or [])}


def _record_change(stream: FundingStream, user: User, kind: str, before: dict, reason: str, *, by_funder: bool) -> StreamChange:
    after = _stream_values(stream)
    changes = {key: [before.get(key), value] for key, value in after.items() if before.get(key) != value}
    change = StreamChange(stream=stream, kind=kind, changes=changes, reason=reason, by_funder=by_funder,
                          changed_by_id=user.id)
    db.session.add(change)
    return change


def add_stream(acting: HolderAccess, details: StreamDetails, *, key: str = "") -> FundingStream:
    """A new stream. `key` is the form's one-off key: the same form sent twice adds one stream."""
    ensure(policies.can_manage_money, acting.user, acting.holder, hide=False)
    company = lock_company_row(acting)
    if key:
        already = db.session.scalar(select(FundingStream).where(FundingStream.company_id == company.id,
                                                                FundingStream.form_key == key))
        if already is not None:
            return already
    _check_stream(details)
    body = db.session.get(FundingBody, details.funding_body_id) if details.funding_body_id else None
    stream = FundingStream(company=company, funding_body_id=body.id if body else None,
                           funder_name=body.name if body else details.funder_name.strip(), name=details.name.strip(),
                           allocation_pence=details.allocation_pence, starts_on=details.starts_on, ends_on=details.ends_on,
                           schedule=PaymentSchedule(details.schedule), category_ids=sorted(set(details.category_ids)),
                           created_by_id=acting.user.id, form_key=key or None)
    db.session.add(stream)
    db.session.flush()
    _record_change(stream, acting.user, "created", {}, "Set up", by_funder=False)
    audit.record("stream.added", actor=acting.user, on_behalf_of=acting.on_behalf_of, holder=acting.holder, obj=stream)
    if body is not None:
        for officer in db.session.scalars(select(User).join(FundingOfficer).where(FundingOfficer.funding_body_id == body.id)):
            notify(officer, FUNDING_NEWS.key, f"{acting.holder.name} added funding from {body.name} to confirm",
                   f"{stream.name}: please confirm the allocation and what it may pay for.",
                   path_for("money.funder_stream", stream_id=stream.id))
    return stream


def holder_stream(acting: HolderAccess, stream_id: int) -> FundingStream:
    """One of the person's streams (404 for anyone else's)."""
    stream = get_or_404(FundingStream, stream_id)
    company = company_of(acting.holder)
    if company is None or stream.company_id != company.id:
        raise NotFound()
    return stream


def change_stream(acting: HolderAccess, stream_id: int, details: StreamDetails, reason: str) -> FundingStream:
    """The person changes a stream they may change (see `policies.person_changes_stream`)."""
    stream = holder_stream(acting, stream_id)
    stream = locked(FundingStream, stream.id)
    if not policies.person_changes_stream(acting.user, stream):
        raise DomainError(f"{stream.funder_label} has confirmed this funding: only they can change it now. "
                          "Ask them if it is not right.")
    if not reason.strip():
        raise DomainError("Say why you are changing it", field="reason")
    if stream.in_portal and details.funding_body_id != stream.funding_body_id:
        details = StreamDetails(**{**details.__dict__, "funding_body_id": stream.funding_body_id})
    _check_stream(details)
    before = _stream_values(stream)
    stream.name, stream.allocation_pence = details.name.strip(), details.allocation_pence
    stream.starts_on, stream.ends_on = details.starts_on, details.ends_on
    stream.schedule, stream.category_ids = PaymentSchedule(details.schedule), sorted(set(details.category_ids))
    if not stream.in_portal:
        stream.funder_name = details.funder_name.strip()
    _record_change(stream, acting.user, "changed", before, reason.strip(), by_funder=False)
    audit.record("stream.changed", actor=acting.user, on_behalf_of=acting.on_behalf_of, holder=acting.holder, obj=stream)
    return stream


def officer_stream(user: User, stream_id: int) -> FundingStream:
    """A stream the officer's body funds (404 for any other)."""
    stream = get_or_404(FundingStream, stream_id)
    ensure(policies.funder_sees_stream, user, stream)
    return stream


def funder_sets(user: User, stream_id: int, *, allocation_pence: int, category_ids: list[int], reason: str) -> FundingStream:
    """A funder officer confirms the stream (the first time) and sets its allocation and what it
    may pay for. Always with a reason; the person is told."""
    stream = officer_stream(user, stream_id)
    stream = locked(FundingStream, stream.id)
    reason = reason.strip()

    def check_reason():
        if not reason:
            raise DomainError("Say why (for example: the care assessment of 3 November)", field="reason")

    def check_allocation():
        if allocation_pence < 0:
            raise DomainError("Enter the allocation in pounds, like 24000", field="allocation")

    accumulate_errors(check_reason, check_allocation,
                      lambda: _check_stream(StreamDetails(stream.name, allocation_pence, stream.starts_on, stream.ends_on,
                                                          stream.schedule.value, stream.funding_body_id, "", category_ids)))
    before = _stream_values(stream)
    first_time = not stream.is_confirmed
    if not first_time and (before["allocation_pence"], before["category_ids"]) == (allocation_pence, sorted(set(category_ids))):
        raise DomainError("Nothing has changed: change the allocation or what it may pay for, or go back")
    stream.allocation_pence, stream.category_ids = allocation_pence, sorted(set(category_ids))
    if first_time:
        stream.confirmed_at, stream.confirmed_by_id = utcnow(), user.id
    _record_change(stream, user, "confirmed" if first_time else "changed", before, reason, by_funder=True)
    audit.record("stream.confirmed" if first_time else "stream.changed_by_funder", actor=user,
                 holder=stream.company.holder, obj=stream)
    holder = stream.company.holder
    tell_holder(holder, MONEY_NEWS.key,
                f"{stream.funder_label} {'confirmed' if first_time else 'changed'} {stream.name}",
                f"Their reason: {reason}", path_for("money.stream", holder_id=holder.id, stream_id=stream.id))
    return stream
