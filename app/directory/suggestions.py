"""Suggestions from anyone signed in (a new community service, or a correction to any listing),
and their moderation by the hub lead for the district (or a platform admin where no hub
covers it)."""

from __future__ import annotations

from dataclasses import asdict

from flask import current_app
from sqlalchemy import select

from app.accounts.models import User
from app.brokers.models import BrokerProfile
from app.core import audit, ratelimit
from app.core.errors import DomainError
from app.core.notifications import notify, register_kind
from app.core.permissions import IsAdmin, ensure
from app.core.timeutil import today_in_london, utcnow
from app.core.urls import path_for
from app.directory.details import EntryDetails, apply_to, check_contact, clean, details_of
from app.directory.entries import entry_for_moderator, update_entry
from app.directory.models import DirectoryEntry, Suggestion, SuggestionStatus
from app.directory.policies import covered_by_a_hub, moderates_entry, moderates_suggestion, moderators_for
from app.directory.public import correction_target, listed_name, target_name
from app.extensions import db
from app.hubs.policies import led_districts
from app.providers.models import ProviderOrganisation

DIRECTORY_NEWS = register_kind("directory", "Suggestions for the directory, and what happened to yours")


def _check_rate(user: User) -> None:
    """Suggestions notify hub leads: a limit a day per person keeps that useful."""
    limit = current_app.config.get("DIRECTORY_SUGGESTIONS_LIMIT", "30 per day")
    if not ratelimit.take(limit, "directory-suggestions", str(user.id)):
        raise DomainError("You have sent a lot of suggestions today. Thank you! Please send more tomorrow.")


def _tell_moderators(districts: list[str], title: str, body: str, suggestion: Suggestion) -> None:
    for moderator in moderators_for(districts):
        notify(moderator, DIRECTORY_NEWS.key, title, body,
               path_for("directory.review_suggestion", suggestion_id=suggestion.id))


def suggest_new(user: User, details: EntryDetails, note: str = "") -> Suggestion:
    """Anyone signed in suggests a community service; the hub for its district decides."""
    details, districts, categories = clean(details)
    _check_rate(user)
    data = asdict(details)
    data["category_ids"] = [c.id for c in categories]
    data["districts"] = ", ".join(districts)
    suggestion = Suggestion(district=districts[0], proposed=data, note=note.strip(), suggested_by_id=user.id)
    db.session.add(suggestion)
    db.session.flush()
    audit.record("directory.suggested", actor=user, obj=suggestion, new=True)
    _tell_moderators(districts, f"New directory suggestion: {details.name}", f"From {user.name}, in {districts[0]}.",
                     suggestion)
    return suggestion


def suggest_correction(user: User, kind: str, target_id: int, note: str) -> Suggestion:
    """Anyone signed in says what is wrong or missing about a listing."""
    target = correction_target(kind, target_id)
    if not note.strip():
        raise DomainError("Say what is wrong or missing", field="note")
    _check_rate(user)
    districts = target.district_codes or ["UNKNOWN"]
    suggestion = Suggestion(target_kind=kind, target_id=target_id, district=districts[0], note=note.strip(),
                            suggested_by_id=user.id)
    db.session.add(suggestion)
    db.session.flush()
    audit.record("directory.suggested", actor=user, obj=suggestion, target=f"{kind}:{target_id}")
    _tell_moderators(districts, f"Correction suggested for {listed_name(target)}", note.strip()[:200], suggestion)
    return suggestion


def suggestion_for_moderator(user: User, suggestion_id: int) -> Suggestion:
    """A suggestion in a district the user moderates (404 for any other)."""
    suggestion = db.session.get(Suggestion, suggestion_id)
    ensure(moderates_suggestion, user, suggestion)
    return suggestion


def suggestions_for(user: User, *, pending_only: bool = True) -> list[Suggestion]:
    """The suggestions the user moderates, newest first."""
    districts = led_districts(user)
    query = select(Suggestion).order_by(Suggestion.created_at.desc())
    if pending_only:
        query = query.where(Suggestion.status == SuggestionStatus.PENDING)
    rows = list(db.session.scalars(query))
    return [s for s in rows if s.district in districts or (IsAdmin(user) and not covered_by_a_hub([s.district]))]


def _tell_suggester(suggestion: Suggestion, title: str, body: str) -> None:
    notify(suggestion.suggested_by, DIRECTORY_NEWS.key, title, body)


def _pending(user: User, suggestion_id: int) -> Suggestion:
    suggestion = suggestion_for_moderator(user, suggestion_id)
    if not suggestion.is_pending:
        raise DomainError("This suggestion has already been decided")
    return suggestion


def _decide(suggestion: Suggestion, user: User, status: SuggestionStatus, note: str, entry) -> None:
    suggestion.status = status
    suggestion.decided_by_id = user.id
    suggestion.decided_at = utcnow()
    suggestion.decision_note = note.strip()
    suggestion.entry_id = entry.id if entry is not None else None
    audit.record("directory.suggestion_decided", actor=user, obj=suggestion, decision=status.value)


def approve_new(user: User, suggestion_id: int, details: EntryDetails, note: str = "", *,
                no_contact_confirmed: bool = False) -> DirectoryEntry:
    """Publish a suggested community service (the hub lead may have edited the details). One with
    no way to contact it is published only when the hub lead confirms it."""
    suggestion = _pending(user, suggestion_id)
    if not suggestion.is_new_service:
        raise DomainError("This is a correction, not a new service")
    details, districts, categories = clean(details)
    check_contact(details, no_contact_confirmed)
    entry = DirectoryEntry(last_verified_on=today_in_london(), verified_by_id=user.id)
    apply_to(entry, details, districts, categories)
    db.session.add(entry)
    db.session.flush()
    _decide(suggestion, user, SuggestionStatus.APPROVED, note, entry)
    audit.record("directory.entry_created", actor=user, obj=entry, from_suggestion=suggestion.id)
    _tell_suggester(suggestion, f"{entry.name} is now in the directory", "Thank you for your suggestion.")
    return entry


def merge_new(user: User, suggestion_id: int, entry_id: int, note: str = "") -> DirectoryEntry:
    """The suggested service is already listed: link the suggestion to that entry."""
    suggestion = _pending(user, suggestion_id)
    entry = entry_for_moderator(user, entry_id)
    _decide(suggestion, user, SuggestionStatus.MERGED, note, entry)
    _tell_suggester(suggestion, f"{suggestion.proposed.get('name', 'Your suggestion')} is already in the directory",
                    f"It is listed as {entry.name}. {note.strip()}".strip())
    return entry


def resolve_correction(user: User, suggestion_id: int, note: str = "", details: EntryDetails | None = None, *,
                       no_contact_confirmed: bool = False) -> Suggestion:
    """A correction has been dealt with: an entry edited by the hub lead (with `details`, the
    entry is saved as corrected in the same step), or passed on to the provider or broker, who
    keep their own profiles."""
    suggestion = _pending(user, suggestion_id)
    if suggestion.is_new_service:
        raise DomainError("This is a new service, not a correction")
    if suggestion.target_kind in ("provider", "broker"):
        _pass_on(suggestion)
    entry = db.session.get(DirectoryEntry, suggestion.target_id) if suggestion.target_kind == "service" else None
    if details is not None:
        if entry is None:
            raise DomainError("Only a community service's entry can be corrected here")
        entry = update_entry(user, entry.id, details, no_contact_confirmed=no_contact_confirmed)
    _decide(suggestion, user, SuggestionStatus.APPROVED, note, entry)
    _tell_suggester(suggestion, f"Thank you: your correction to {target_name(suggestion)} has been dealt with",
                    note.strip())
    return suggestion


def correction_details(user: User, suggestion: Suggestion) -> EntryDetails | None:
    """For a waiting correction to a community service the user moderates: the entry's details,
    with any values the suggestion proposed, for the hub lead to adjust and approve in one step."""
    if not suggestion.is_pending or suggestion.target_kind != "service":
        return None
    entry = db.session.get(DirectoryEntry, suggestion.target_id)
    if entry is None or not moderates_entry(user, entry):
        return None
    return EntryDetails.from_proposed({**asdict(details_of(entry)), **(suggestion.proposed or {})})


def _pass_on(suggestion: Suggestion) -> None:
    """Providers and brokers keep their own listings: the correction goes to them."""
    if suggestion.target_kind == "provider":
        organisation = db.session.get(ProviderOrganisation, suggestion.target_id)
        people = [s.user for s in organisation.staff] if organisation else []
        link = path_for("providers.profile", organisation_id=suggestion.target_id)
    else:
        broker = db.session.get(BrokerProfile, suggestion.target_id)
        people = [broker.user] if broker else []
        link = path_for("brokers.apply_profile")
    for person in people:
        notify(person, DIRECTORY_NEWS.key, "Someone suggested a correction to your directory listing",
               suggestion.note, link)


def reject(user: User, suggestion_id: int, note: str) -> Suggestion:
    """Not accepted, with the reason the person who suggested it will see."""
    suggestion = _pending(user, suggestion_id)
    if not note.strip():
        raise DomainError("Give the reason, which the person who suggested it will see", field="note")
    _decide(suggestion, user, SuggestionStatus.REJECTED, note, None)
    _tell_suggester(suggestion, "Your directory suggestion was not accepted", note.strip())
    return suggestion
