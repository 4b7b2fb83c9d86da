"""Finding a user for the platform admin: by part of their name or email address, with every role
they hold (and where) and the state of their account. Behind `app.admin.services.find_users`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.brokers.models import BrokerProfile, BrokerStatus
from app.core.enums import LabelledEnum
from app.extensions import db
from app.funders.models import FundingOfficer
from app.holders.models import Delegation
from app.hubs.models import HubLead
from app.providers.models import ProviderStaff

# At most this many people are shown for one search; the page says how many matched.
USER_SEARCH_LIMIT = 50

_BROKER_STAGES = {
    BrokerStatus.DRAFT: "application not sent yet",
    BrokerStatus.SUBMITTED: "application being checked",
    BrokerStatus.APPROVED: "approved",
}


class AccountState(LabelledEnum):
    ACTIVE = "active", "Active"
    UNCONFIRMED = "unconfirmed", "Email address not confirmed yet"
    CLOSED = "closed", "Closed"


@dataclass(frozen=True)
class FoundUser:
    user: User
    state: AccountState
    roles: list[str]  # each role in words, with the hub, organisation or funding body it is held in

    @property
    def closed_at(self) -> datetime | None:
        return self.user.closed_at

    @property
    def last_sign_in_at(self) -> datetime | None:
        return self.user.last_sign_in_at


@dataclass(frozen=True)
class UserSearch:
    text: str
    total: int
    found: list[FoundUser]

    @property
    def is_cut_short(self) -> bool:
        return self.total > len(self.found)


def account_state(user: User) -> AccountState:
    if user.closed_at is not None:
        return AccountState.CLOSED
    if not user.is_verified:
        return AccountState.UNCONFIRMED
    return AccountState.ACTIVE


def roles_in_words(user: User) -> list[str]:
    roles = []
    if user.budget_holder is not None:
        roles.append("Budget holder")
    profile = user.broker_profile
    if profile is not None:
        where = f", {profile.hub.name}" if profile.hub is not None else ", no hub chosen yet"
        roles.append(f"Associate broker{where} ({_BROKER_STAGES.get(profile.status, profile.status.label.lower())})")
    for staff in user.provider_memberships:
        roles.append(f"Provider staff, {staff.organisation.name}" + (" (manages the account)" if staff.is_owner else ""))
    roles.extend(f"Hub lead, {lead.hub.name}" for lead in user.hub_lead_memberships)
    roles.extend(f"Funder officer, {officer.funding_body.name}" for officer in user.funder_memberships)
    if user.is_platform_admin:
        roles.append("Platform admin")
    for delegation in user.people_helped:
        roles.append(f"Helps {delegation.holder.name} ({'can act for them' if delegation.can_act else 'can view only'})")
    return roles


def find_users(text: str) -> UserSearch:
    """People whose name or email address contains `text` (any case), by name, at most
    `USER_SEARCH_LIMIT` of them, with how many matched in all."""
    text = " ".join(text.split())
    if not text:
        return UserSearch(text, 0, [])
    wanted = text.lower()
    matches = or_(func.lower(User.name).contains(wanted, autoescape=True),
                  func.lower(User.email).contains(wanted, autoescape=True))
    total = db.session.scalar(select(func.count()).select_from(User).where(matches)) or 0
    users = db.session.scalars(
        select(User).where(matches).order_by(func.lower(User.name), User.email, User.id).limit(USER_SEARCH_LIMIT)
        .options(selectinload(User.budget_holder),
                 selectinload(User.broker_profile).selectinload(BrokerProfile.hub),
                 selectinload(User.provider_memberships).selectinload(ProviderStaff.organisation),
                 selectinload(User.hub_lead_memberships).selectinload(HubLead.hub),
                 selectinload(User.funder_memberships).selectinload(FundingOfficer.funding_body),
                 selectinload(User.delegations).selectinload(Delegation.holder))
    ).all()
    return UserSearch(text, total, [FoundUser(user, account_state(user), roles_in_words(user)) for user in users])
