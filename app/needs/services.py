"""The needs feature's front door: brokers post their clients' needs, providers apply to do the
job, the broker shortlists and proposes, the budget holder accepts, a service agreement starts,
and gaps reach the hub. Other features (and the CLI) call only what is named here. The work is
done in modules of one job each:

- `posting`: drafting, publishing, withdrawing, re-opening a need, raising a gap.
- `offers`: the provider's board, making, changing and withdrawing an offer.
- `sharing`: the person's agreement to share a need's details (once per need), and withdrawing it.
- `choosing`: shortlisting, questions, recommending, checking and accepting, or turning down.
- `reach`: how many providers a published need reached, and when none, why and what next.
- `agreements`: service agreements, handing back, and what a person leaving ends.
- `gaps`: gaps raised with or without a need, the hub lead's responses, who sees them; `tasks`: the scheduled closing and gap flagging.
- `matching`: who fits a need, and the match score; `events`: the history and who is told.
- `policies`: the named rules; `access`: the loaders that ask them for the record a page wants.
"""

from __future__ import annotations

from app.needs.access import agreement_for_holder, holder_view, need_for_broker, provider_view
from app.needs.agreements import (
    end_all_for_person_leaving,
    hand_back,
    holder_agreement,
    holder_agreements,
    provider_agreement,
    provider_agreements,
    still_running_for,
)
from app.needs.choosing import (
    Terms,
    accept,
    broker_message,
    check_acceptance,
    decline_proposal,
    propose,
    provider_message,
    shortlist,
    terms_of,
)
from app.needs.events import AGREEMENT_NEWS, NEED_NEWS, NEEDS_FOR_YOU, OFFER_NEWS
from app.needs.gaps import (
    GapDetails,
    broker_gaps,
    close_gap,
    holder_gaps,
    hub_gaps,
    raise_gap_on_its_own,
    respond,
    waiting_for_response,
)
from app.needs.matching import board_fit, met_requirements, offer_choices, rank, requirement_keys
from app.needs.offers import (
    BoardFilters,
    OfferDetails,
    board,
    my_offers,
    offer_to_withdraw,
    save_offer,
    view_as_provider,
    withdraw_offer,
)
from app.needs.posting import (
    NeedDetails,
    broker_needs,
    check_details,
    create_draft,
    draft_for_editing,
    holder_needs,
    publish,
    raise_gap,
    record_view,
    reopen,
    unfilled_count,
    update_draft,
    withdraw,
    withdraw_all_for_person_leaving,
)
from app.needs.reach import Reach, reach
from app.needs.sharing import (
    WhatIsShared,
    agree_to_sharing,
    ask_for_sharing,
    need_for_sharing,
    needs_to_agree,
    record_sharing,
    what_is_shared,
    withdraw_sharing,
)
from app.needs.sharing import (
    fingerprint as sharing_fingerprint,
)
from app.needs.tasks import close_expired, flag_gaps, recount_first_told

__all__ = [
    "agreement_for_holder",
    "GapDetails", "Reach", "Terms", "broker_gaps", "holder_gaps", "raise_gap_on_its_own", "WhatIsShared", "close_gap", "terms_of", "waiting_for_response", "agree_to_sharing", "ask_for_sharing", "check_acceptance", "check_details",
    "need_for_sharing", "needs_to_agree", "sharing_fingerprint", "reach", "holder_agreement", "met_requirements", "offer_choices",
    "offer_to_withdraw", "provider_view", "record_sharing", "what_is_shared", "withdraw_sharing",
    "AGREEMENT_NEWS", "NEEDS_FOR_YOU", "NEED_NEWS", "OFFER_NEWS", "BoardFilters", "NeedDetails", "OfferDetails",
    "accept", "board", "board_fit", "broker_message", "broker_needs", "close_expired", "create_draft",
    "decline_proposal", "draft_for_editing", "end_all_for_person_leaving", "flag_gaps", "recount_first_told", "hand_back",
    "holder_agreements", "holder_needs", "holder_view", "hub_gaps", "my_offers", "need_for_broker", "propose",
    "provider_agreement", "provider_agreements", "provider_message", "publish", "raise_gap", "rank", "record_view",
    "reopen", "requirement_keys", "respond", "save_offer", "shortlist", "still_running_for", "unfilled_count",
    "update_draft", "view_as_provider", "withdraw", "withdraw_all_for_person_leaving", "withdraw_offer",
]
