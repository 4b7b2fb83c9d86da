"""Users and their single-use tokens (email verification, password reset, email change)."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.roles import Role
from app.core.timeutil import utcnow
from app.core.types import UTCDateTime
from app.extensions import db

# How holders stores `DelegationStatus.ACTIVE` (accounts sits below holders, so it compares the value).
ACTIVE_DELEGATION = "active"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_platform_admin: Mapped[bool] = mapped_column(default=False)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Accessibility preferences, applied on every page.
    pref_larger_text: Mapped[bool] = mapped_column(default=False)
    pref_high_contrast: Mapped[bool] = mapped_column(default=False)
    pref_reduced_motion: Mapped[bool] = mapped_column(default=False)

    budget_holder = relationship("BudgetHolder", back_populates="user", uselist=False,
                                 foreign_keys="BudgetHolder.user_id")
    broker_profile = relationship("BrokerProfile", back_populates="user", uselist=False)
    provider_memberships = relationship("ProviderStaff", back_populates="user")
    hub_lead_memberships = relationship("HubLead", back_populates="user")
    funder_memberships = relationship("FundingOfficer", back_populates="user")
    delegations = relationship("Delegation", foreign_keys="Delegation.user_id", viewonly=True)

    # The sign-in session this request belongs to (set when it starts or is loaded; not stored).
    sign_in_session = None
    _session_secret = None

    def __eq__(self, other: object) -> bool:  # by id: UserMixin's compares get_id(), which needs a session
        return isinstance(other, User) and other.id is not None and other.id == self.id

    def __hash__(self) -> int:
        return hash(("user", self.id))

    def get_id(self) -> str:
        """What the session cookie holds: the user's id and the secret of one sign-in session."""
        if not self._session_secret:
            raise RuntimeError("No sign-in session: start one with accounts.session.start(user)")
        return f"{self.id}:{self._session_secret}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.closed_at is None

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def roles(self) -> frozenset[Role]:
        roles = set()
        if self.budget_holder is not None:
            roles.add(Role.BUDGET_HOLDER)
        if self.broker_profile is not None:
            roles.add(Role.BROKER)
        if self.provider_memberships:
            roles.add(Role.PROVIDER_STAFF)
        if self.hub_lead_memberships:
            roles.add(Role.HUB_LEAD)
        if self.funder_memberships:
            roles.add(Role.FUNDER_OFFICER)
        if self.is_platform_admin:
            roles.add(Role.ADMIN)
        return frozenset(roles)

    @property
    def role_labels(self) -> list[str]:
        return [role.label for role in Role if role in self.roles]

    @property
    def provider_organisations(self):
        return [membership.organisation for membership in self.provider_memberships]

    @property
    def people_helped(self):
        """Budget holders who have allowed this user to view or act for them: their active
        delegations to this user (`ACTIVE_DELEGATION` is holders' stored status value)."""
        return [d for d in self.delegations if d.status == ACTIVE_DELEGATION and d.holder.closed_at is None]

    @property
    def funding_bodies(self):
        return [membership.funding_body for membership in self.funder_memberships]

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class AuthToken(db.Model):
    """A single-use, expiring token sent by email. Only its SHA-256 hash is stored."""

    __tablename__ = "auth_tokens"

    VERIFY_EMAIL = "verify_email"
    RESET_PASSWORD = "reset_password"  # noqa: S105 - a purpose name, not a password
    CHANGE_EMAIL = "change_email"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(32))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    new_email: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User")


class SignInSession(db.Model):
    """One sign-in on one browser. Signing out ends it on the server, so a copy of the cookie
    stops working; it also ends at `expires_at` however often the cookie is re-issued."""

    __tablename__ = "sign_in_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User")
