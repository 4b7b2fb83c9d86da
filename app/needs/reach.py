"""Why a published need reached nobody, and what the broker can do about it.

`matching_providers` tells the verified providers that offer the service in the district and
have spare capacity at the times asked for (or only the invited ones). When that is nobody, the
broker sees which of those steps left nobody, in plain words, with the next steps that can help.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.extensions import db
from app.needs.matching import capacity_share, serving_providers, slots
from app.needs.models import Need, NeedRecipient, Visibility
from app.needs.policies import handed_back_ids


@dataclass
class Reach:
    """How many providers were told, and if none, why and what next."""

    told: int
    reasons: list[str] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)

    @property
    def nobody(self) -> bool:
        return self.told == 0


def providers_told(need: Need) -> int:
    return db.session.scalar(select(func.count(NeedRecipient.id)).where(NeedRecipient.need_id == need.id)) or 0


def reach(need: Need) -> Reach:
    """For a published need: how many providers were told; when none, why, and what next."""
    result = Reach(told=providers_told(need))
    if not result.nobody or need.is_draft:
        return result
    service = need.category.name.lower()
    if need.visibility == Visibility.INVITED:
        result.reasons.append("You chose to show it only to the providers you invite, and none could be told.")
    else:
        handed_back = handed_back_ids(need)
        serving = [org for org in serving_providers(need) if org.id not in handed_back]
        if not serving:
            result.reasons.append(f"No verified provider offers {service} in {need.district} yet.")
        elif slots(need) and all(capacity_share(org, need) == 0 for org in serving):
            count = len(serving)
            result.reasons.append(
                f"{'The ' + str(count) + ' providers' if count != 1 else 'The one provider'} offering {service} in "
                f"{need.district} {'have' if count != 1 else 'has'} no spare capacity at the days and times asked for.")
    result.next_steps = [
        "Invite named providers (a personal assistant or agency the person knows, verified or not).",
        "Raise the most that can be paid an hour, or add a travel supplement for providers further away.",
        "Widen the days and times: withdraw this need and post it again with wider times.",
        "Record it as a gap, so your hub lead knows what the market is missing.",
    ]
    return result
