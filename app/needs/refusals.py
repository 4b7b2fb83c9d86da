"""Why a service says no, in the words shown beside the refusal: each `..._refusal(record)` gives
the reason (or None), and the named rules in `policies` allow only when there is none."""

from __future__ import annotations

from app.core.errors import DomainError
from app.core.timeutil import utcnow
from app.needs.models import Gap, Need, NeedStatus, Offer, OfferStatus


def sharing_agreed(need: Need) -> bool:
    """The person (or someone acting for them, or their broker recording what they said) agreed
    to share this need's details, and has not withdrawn it."""
    consent = need.sharing_consent
    return consent is not None and consent.is_current


PUBLISHED_CANNOT_CHANGE = "A published need cannot be changed. Withdraw it, or re-open it with a new deadline"


def refuse(reason: str | None, field: str | None = None) -> None:
    """Say no, in these words, when there is a reason to."""
    if reason is not None:
        raise DomainError(reason, field=field)


def edit_refusal(need: Need) -> str | None:
    return None if need.is_draft else PUBLISHED_CANNOT_CHANGE


def publish_refusal(need: Need) -> str | None:
    if not need.is_draft:
        return "This need has already been published"
    if not sharing_agreed(need):
        return f"{need.holder.name} has not agreed yet to what will be shared. Ask them, or record how they agreed"
    return None


def sharing_refusal(need: Need) -> str | None:
    """Agreeing to share is asked once per need, before it is published; a need that is finished
    shares nothing more."""
    if sharing_agreed(need):
        return "Agreement to share these details has already been given"
    if need.status == NeedStatus.WITHDRAWN:
        return "This need has been withdrawn"
    if need.is_filled:
        return "This need has been filled"
    return None


def withdraw_refusal(need: Need) -> str | None:
    """A need not yet filled (a draft too) can be withdrawn."""
    if need.is_draft or need.awaiting_choice:
        return None
    return f"This need is {need.status.label.lower()} and cannot be withdrawn"


def reopen_refusal(need: Need) -> str | None:
    if need.awaiting_choice:
        return None
    return "Only an open need, or one whose deadline has passed, can be re-opened"


def gap_refusal(need: Need) -> str | None:
    if need.gap is not None:
        return "This need is already recorded as a gap"
    if not need.awaiting_choice:
        return "Only a published, unfilled need can be recorded as a gap"
    return None


def choosing_refusal(need: Need) -> str | None:
    """The broker shortlists and proposes, and the person accepts, while the need awaits a choice."""
    return None if need.awaiting_choice else f"This need is {need.status.label.lower()}"


def shortlist_refusal(offer: Offer) -> str | None:
    if offer.status != OfferStatus.SUBMITTED:
        return f"This offer is {offer.status.label.lower()} and cannot be shortlisted"
    if not sharing_agreed(offer.need):
        return (f"{offer.need.holder.name} has stopped sharing the private details of this need, so no provider "
                "can be shortlisted until they agree again")
    return None


def accept_refusal(offer: Offer) -> str | None:
    """The person chooses any offer on the shortlist; the broker's proposal is a recommendation.
    The chosen provider needs the private details to give the support, so the person's agreement
    to share them must stand."""
    if offer.status not in (OfferStatus.SHORTLISTED, OfferStatus.PROPOSED):
        return "Only an offer on the shortlist can be accepted. It may have been withdrawn"
    if not sharing_agreed(offer.need):
        return ("You stopped sharing the details of this need. The provider you choose needs them to give the "
                "support: agree to share them again first")
    return None


def propose_refusal(offer: Offer) -> str | None:
    if offer.status != OfferStatus.SHORTLISTED:
        return "Shortlist an offer before proposing it"
    return None


def offers_closed_refusal(need: Need) -> str | None:
    """Offers can be made, changed or withdrawn only while the need is open, before its deadline."""
    if need.is_filled:
        return "This need has been filled, so offers can no longer be made or changed"
    if need.status == NeedStatus.WITHDRAWN:
        return "This need has been withdrawn, so offers can no longer be made or changed"
    if not need.is_open or need.deadline_at is None or need.deadline_at <= utcnow():
        return "The deadline for offers has passed, so offers can no longer be made or changed"
    return None


def offer_change_refusal(offer: Offer) -> str | None:
    """An accepted or handed-back offer is never changed (nor made again)."""
    if offer.is_accepted:
        return "Your offer has been accepted and can no longer be changed"
    if offer.is_handed_back:
        return "You handed this support back, so you cannot apply for it again"
    return None


def gap_closed_refusal(gap: Gap) -> str | None:
    """Why a gap can no longer be responded to or closed (None: it can)."""
    return "This gap has already been closed" if gap.closed_at is not None else None
