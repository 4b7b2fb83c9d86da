"""Account rules: registering, verifying email, signing in, passwords, settings, closing.

Views pass plain values and the acting user; these functions check the rules, do the work in
the caller's transaction and commit, and raise `DomainError`s the views put beside fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, render_template
from sqlalchemy import delete, func, select

from app.accounts import session as sign_in_sessions
from app.accounts import signals
from app.accounts.models import AuthToken, User
from app.accounts.passwords import hash_password, needs_rehash, password_problem, verify_password
from app.brokers.models import BrokerProfile
from app.core import audit, ratelimit
from app.core.errors import DomainError
from app.core.models import Notification, NotificationPreference, OutboxMessage
from app.core.notifications import ACCOUNT_SECURITY, send_template_email
from app.core.timeutil import utcnow
from app.core.tokens import hash_token, new_token
from app.core.urls import external_url
from app.extensions import db
from app.holders.models import BudgetHolder
from app.providers.models import ProviderKind, ProviderOrganisation, ProviderStaff

SIGN_IN_ERROR = "Enter a correct email address and password"


class SignInError(DomainError):
    pass


class SignInLimited(DomainError):
    def __init__(self, minutes: int):
        super().__init__(
            f"There have been too many attempts to sign in. Wait {minutes} minute"
            f"{'s' if minutes != 1 else ''} and try again, or reset your password."
        )
        self.minutes = minutes


class EmailNotVerified(DomainError):
    pass


class TokenInvalid(DomainError):
    pass


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def check_new_password(password: str, *, email: str | None = None, name: str | None = None, field: str = "password") -> None:
    problem = password_problem(password, email=email, name=name)
    if problem:
        raise DomainError(problem, field=field)


# --- Registration and email verification -------------------------------------------------


class AccountKind:
    BUDGET_HOLDER = "budget_holder"
    PROVIDER = "provider"
    BROKER = "broker"

    LABELS = {
        BUDGET_HOLDER: "I have a personal budget (or act for someone who does)",
        PROVIDER: "I run or work for a care or support provider",
        BROKER: "I want to apply to be an associate broker",
    }


@dataclass
class Registration:
    kind: str
    name: str
    email: str
    password: str
    organisation_name: str = ""
    organisation_kind: str = ""


def register(reg: Registration) -> None:
    """Create an unverified account and send the verification email.

    If the address already has an account, nothing is created and the owner is emailed
    instead, so the page never reveals which addresses have accounts.
    """
    email = normalise_email(reg.email)
    check_new_password(reg.password, email=email, name=reg.name)
    # Hashed whether or not the address has an account, so the answer takes as long either way
    # (the hash is most of the time: without this, timing alone tells who has an account).
    password_hash = hash_password(reg.password)
    existing = find_by_email(email)
    if existing is not None:
        if existing.is_active:
            send_template_email(
                existing.email, "Someone tried to create an OurChoice account with your email",
                "email/already_registered.txt", kind=ACCOUNT_SECURITY.key, user=existing,
                user_name=existing.name, sign_in_url=external_url("accounts.sign_in"),
                reset_url=external_url("accounts.forgot_password"),
            )
        db.session.commit()
        return

    user = User(email=email, name=reg.name.strip(), password_hash=password_hash)
    db.session.add(user)
    if reg.kind == AccountKind.BUDGET_HOLDER:
        db.session.add(BudgetHolder(user=user, name=user.name))
    elif reg.kind == AccountKind.PROVIDER:
        organisation = ProviderOrganisation(
            name=reg.organisation_name.strip(), kind=ProviderKind(reg.organisation_kind)
        )
        db.session.add(ProviderStaff(organisation=organisation, user=user, is_owner=True))
    elif reg.kind == AccountKind.BROKER:
        db.session.add(BrokerProfile(user=user))
    else:
        raise DomainError("Choose the kind of account you need", field="kind")
    db.session.flush()
    _send_verification(user)
    audit.record("account.registered", actor=user, obj=user, kind=reg.kind)
    db.session.commit()


def _issue_token(user: User, purpose: str, lifetime: timedelta, new_email: str | None = None) -> str:
    raw, token_hash = new_token()
    db.session.add(
        AuthToken(user_id=user.id, purpose=purpose, token_hash=token_hash, new_email=new_email,
                  expires_at=utcnow() + lifetime)
    )
    return raw


def _send_verification(user: User) -> None:
    hours = current_app.config["EMAIL_VERIFICATION_HOURS"]
    raw = _issue_token(user, AuthToken.VERIFY_EMAIL, timedelta(hours=hours))
    send_template_email(
        user.email, "Confirm your email address for OurChoice", "email/verify_email.txt",
        kind=ACCOUNT_SECURITY.key, user=user, user_name=user.name, hours=hours,
        link=external_url("accounts.verify_email", token=raw),
    )


def resend_verification(email: str) -> None:
    """Send a fresh verification link if the address has an unverified account (silently
    does nothing otherwise)."""
    limit = current_app.config["EMAIL_REQUESTS_PER_ADDRESS"]
    email = normalise_email(email)
    if ratelimit.is_limited(limit, "verify-email", email):
        return
    ratelimit.hit(limit, "verify-email", email)
    user = find_by_email(email)
    if user is not None and user.is_active and not user.is_verified:
        _send_verification(user)
    db.session.commit()


def _use_token(raw: str, purpose: str) -> AuthToken:
    token = db.session.scalar(
        select(AuthToken).where(AuthToken.token_hash == hash_token(raw or ""), AuthToken.purpose == purpose)
        .with_for_update().execution_options(populate_existing=True)
    )
    if token is None or not token.user.is_active:
        raise TokenInvalid("This link is not valid. Check you copied the whole link from the email.")
    if token.used_at is not None:
        raise TokenInvalid("This link has already been used. Each link works only once.")
    if token.expires_at <= utcnow():
        raise TokenInvalid("This link has expired.")
    token.used_at = utcnow()
    return token


def verify_email(raw: str) -> User:
    token = _use_token(raw, AuthToken.VERIFY_EMAIL)
    user = token.user
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    audit.record("account.email_verified", actor=user, obj=user)
    db.session.commit()
    return user


# --- Signing in ----------------------------------------------------------------------------


def sign_in(email: str, password: str, ip_address: str | None) -> User:
    """Check the email and password, counting failures per account and per address.

    Every refusal says the same thing whether or not the address has an account.
    """
    config = current_app.config
    email = normalise_email(email)
    per_account = config["SIGN_IN_FAILURES_PER_ACCOUNT"]
    per_address = config["SIGN_IN_FAILURES_PER_ADDRESS"]
    ip_address = ip_address or "unknown"
    for limit, namespace, key in ((per_account, "sign-in-account", email), (per_address, "sign-in-address", ip_address)):
        if ratelimit.is_limited(limit, namespace, key):
            audit.record("sign_in.blocked", actor=find_by_email(email), limit=namespace)
            db.session.commit()
            raise SignInLimited(ratelimit.minutes_until_reset(limit, namespace, key))

    user = find_by_email(email)
    password_ok = verify_password(user.password_hash if user else None, password)
    if not password_ok or user is None or not user.is_active:
        ratelimit.hit(per_account, "sign-in-account", email)
        ratelimit.hit(per_address, "sign-in-address", ip_address)
        audit.record("sign_in.failed", actor=user, known_account=user is not None)
        db.session.commit()
        raise SignInError(SIGN_IN_ERROR)

    if not user.is_verified:
        resend_verification(email)
        raise EmailNotVerified(
            "You need to confirm your email address before you can sign in. We have sent you a "
            "new link: check your inbox (and spam folder)."
        )

    ratelimit.clear(per_account, "sign-in-account", email)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_sign_in_at = utcnow()
    audit.record("sign_in.succeeded", actor=user)
    db.session.commit()
    return user


def record_sign_out(user: User) -> None:
    """Signing out ends the session on the server: a copy of the cookie no longer works."""
    sign_in_sessions.end(user)
    audit.record("sign_out", actor=user)
    db.session.commit()


# --- Passwords -----------------------------------------------------------------------------


def request_password_reset(email: str) -> None:
    """Email a reset link if the address has an account. Says nothing either way."""
    limit = current_app.config["EMAIL_REQUESTS_PER_ADDRESS"]
    email = normalise_email(email)
    if ratelimit.is_limited(limit, "password-reset", email):
        return
    ratelimit.hit(limit, "password-reset", email)
    user = find_by_email(email)
    hours = current_app.config["PASSWORD_RESET_HOURS"]
    if user is None or not user.is_active:
        # The same work as for a real account (a token, the email rendered, a row written), so the
        # answer takes as long and nobody can tell from the timing whether the address has an account.
        raw, _ = new_token()
        render_template("email/reset_password.txt", user_name="", hours=hours,
                        link=external_url("accounts.reset_password", token=raw))
        audit.record("password.reset_requested", actor=None, known_account=False)
        db.session.commit()
        return
    raw = _issue_token(user, AuthToken.RESET_PASSWORD, timedelta(hours=hours))
    send_template_email(
        user.email, "Reset your OurChoice password", "email/reset_password.txt",
        kind=ACCOUNT_SECURITY.key, user=user, user_name=user.name, hours=hours,
        link=external_url("accounts.reset_password", token=raw),
    )
    audit.record("password.reset_requested", actor=user, obj=user)
    db.session.commit()


def check_reset_token(raw: str) -> None:
    """Raise TokenInvalid unless the reset link can still be used (does not use it)."""
    token = db.session.scalar(
        select(AuthToken).where(AuthToken.token_hash == hash_token(raw or ""),
                                AuthToken.purpose == AuthToken.RESET_PASSWORD)
    )
    if token is None or not token.user.is_active:
        raise TokenInvalid("This link is not valid. Check you copied the whole link from the email.")
    if token.used_at is not None:
        raise TokenInvalid("This link has already been used. Each link works only once.")
    if token.expires_at <= utcnow():
        raise TokenInvalid("This link has expired.")


def reset_password(raw: str, new_password: str) -> User:
    token = _use_token(raw, AuthToken.RESET_PASSWORD)
    user = token.user
    check_new_password(new_password, email=user.email, name=user.name)
    _set_password(user, new_password)
    # The link proved the person controls the address.
    user.email_verified_at = user.email_verified_at or utcnow()
    # Any other reset links still in flight stop working.
    db.session.execute(
        delete(AuthToken).where(AuthToken.user_id == user.id, AuthToken.purpose == AuthToken.RESET_PASSWORD,
                                AuthToken.used_at.is_(None))
    )
    audit.record("password.reset", actor=user, obj=user)
    _tell_password_changed(user)
    db.session.commit()
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not verify_password(user.password_hash, current_password):
        raise DomainError("Your current password is not correct", field="current_password")
    if current_password == new_password:
        raise DomainError("Your new password must be different from your current password", field="new_password")
    check_new_password(new_password, email=user.email, name=user.name, field="new_password")
    _set_password(user, new_password)
    audit.record("password.changed", actor=user, obj=user)
    _tell_password_changed(user)
    db.session.commit()


def _set_password(user: User, new_password: str) -> None:
    user.password_hash = hash_password(new_password)
    sign_in_sessions.end_all(user)  # signs out every session; the view starts a new one where it should


def _tell_password_changed(user: User) -> None:
    send_template_email(
        user.email, "Your OurChoice password was changed", "email/password_changed.txt",
        kind=ACCOUNT_SECURITY.key, user=user, user_name=user.name,
        reset_url=external_url("accounts.forgot_password"),
    )


# --- Settings ------------------------------------------------------------------------------


def update_details(user: User, name: str) -> None:
    name = name.strip()
    if not name:
        raise DomainError("Enter your name", field="name")
    user.name = name
    if user.budget_holder is not None and user.budget_holder.closed_at is None:
        user.budget_holder.name = name
    audit.record("account.details_changed", actor=user, obj=user)
    db.session.commit()


def update_accessibility(user: User, *, larger_text: bool, high_contrast: bool, reduced_motion: bool) -> None:
    user.pref_larger_text = larger_text
    user.pref_high_contrast = high_contrast
    user.pref_reduced_motion = reduced_motion
    db.session.commit()


def request_email_change(user: User, new_email: str, password: str) -> None:
    """Send a confirmation link to the new address; the change happens when it is used."""
    if not verify_password(user.password_hash, password):
        raise DomainError("Your password is not correct", field="password")
    new_email = normalise_email(new_email)
    if new_email == user.email:
        raise DomainError("This is already your email address", field="email")
    if find_by_email(new_email) is not None:
        # Saying so reveals little here: the person is signed in and proved their password.
        raise DomainError("There is already an account with this email address", field="email")
    hours = current_app.config["EMAIL_VERIFICATION_HOURS"]
    raw = _issue_token(user, AuthToken.CHANGE_EMAIL, timedelta(hours=hours), new_email=new_email)
    send_template_email(
        new_email, "Confirm your new email address for OurChoice", "email/change_email.txt",
        kind=ACCOUNT_SECURITY.key, user=user, user_name=user.name, hours=hours,
        link=external_url("accounts.confirm_email_change", token=raw),
    )
    send_template_email(
        user.email, "Your OurChoice email address is being changed", "email/email_change_requested.txt",
        kind=ACCOUNT_SECURITY.key, user=user, user_name=user.name, new_email=new_email,
    )
    audit.record("account.email_change_requested", actor=user, obj=user)
    db.session.commit()


def confirm_email_change(raw: str) -> User:
    token = _use_token(raw, AuthToken.CHANGE_EMAIL)
    user = token.user
    if find_by_email(token.new_email) is not None:
        raise TokenInvalid("Another account now uses that email address, so it cannot be changed.")
    old = user.email
    user.email = token.new_email
    user.email_verified_at = utcnow()
    audit.record("account.email_changed", actor=user, obj=user)
    send_template_email(
        old, "Your OurChoice email address was changed", "email/email_changed.txt",
        kind=ACCOUNT_SECURITY.key, user=user, user_name=user.name, new_email=user.email,
    )
    db.session.commit()
    return user


# --- Closing an account --------------------------------------------------------------------


def _count_admins() -> int:
    return db.session.scalar(
        select(func.count()).select_from(User).where(User.is_platform_admin.is_(True), User.closed_at.is_(None))
    ) or 0


def close_account(user: User, password: str) -> None:
    """Remove or pseudonymise personal data; keep financial and audit records."""
    if not verify_password(user.password_hash, password):
        raise DomainError("Your password is not correct", field="password")
    if user.is_platform_admin and _count_admins() <= 1:
        raise DomainError(
            "You are the only platform admin. Invite another admin before you close your account."
        )
    now = utcnow()
    original_email = user.email
    signals.account_closing.send(user, now=now)

    for membership in list(user.provider_memberships):
        organisation = membership.organisation
        was_owner = membership.is_owner
        db.session.delete(membership)
        db.session.flush()
        if was_owner:
            successor = db.session.scalar(
                select(ProviderStaff).where(ProviderStaff.organisation_id == organisation.id)
                .order_by(ProviderStaff.added_at, ProviderStaff.id)
            )
            if successor is not None:
                successor.is_owner = True
    for membership in list(user.hub_lead_memberships) + list(user.funder_memberships):
        db.session.delete(membership)
    if user.budget_holder is not None:
        user.budget_holder.name = f"Former budget holder {user.budget_holder.id}"
        user.budget_holder.closed_at = now
    db.session.execute(delete(Notification).where(Notification.user_id == user.id))
    db.session.execute(delete(NotificationPreference).where(NotificationPreference.user_id == user.id))
    db.session.execute(delete(AuthToken).where(AuthToken.user_id == user.id))
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.user_id == user.id))

    user.email = f"closed-{user.id}@closed.invalid"
    user.name = "Closed account"
    user.password_hash = None
    user.email_verified_at = None
    user.is_platform_admin = False
    user.pref_larger_text = user.pref_high_contrast = user.pref_reduced_motion = False
    sign_in_sessions.end_all(user)
    user.closed_at = now
    audit.record("account.closed", actor=user, obj=user)
    # A last message to the address the person used, confirming what happened.
    send_template_email(
        original_email, "Your OurChoice account is closed", "email/account_closed.txt",
        kind=ACCOUNT_SECURITY.key, user=None,
    )
    db.session.commit()
