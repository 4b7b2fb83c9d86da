"""The history of a need, and the notification kinds of this feature."""

from __future__ import annotations

from typing import Any

from app.brokers.models import BrokerProfile
from app.core.notifications import notify, register_kind
from app.core.roles import Role
from app.engagements.services import active_engagement
from app.extensions import db
from app.needs.models import Need, NeedEvent

NEEDS_FOR_YOU = register_kind("needs_for_you", "New needs that fit your services, areas and spare capacity",
                              roles={Role.PROVIDER_STAFF})
OFFER_NEWS = register_kind("offer_news", "What happens to your offers, and questions about them",
                           roles={Role.PROVIDER_STAFF})
NEED_NEWS = register_kind("need_news", "Offers and changes on the needs posted for you or your clients")
AGREEMENT_NEWS = register_kind("agreement_news", "Service agreements: starting, and handed back")


def event(need: Need, kind: str, actor: Any = None, **details: Any) -> NeedEvent:
    row = NeedEvent(need=need, kind=kind, actor_id=getattr(actor, "id", None),
                    details={k: v for k, v in details.items() if v is not None})
    db.session.add(row)
    return row


def current_broker(need: Need) -> BrokerProfile | None:
    """The broker who works with the person now (an active engagement), whoever posted the need."""
    engagement = active_engagement(need.holder)
    return engagement.broker if engagement is not None else None


def tell_broker(need: Need, kind: str, title: str, body: str = "", link: str | None = None) -> None:
    """Everything about a need goes to the person's current broker, never to a former one; with
    no broker right now, nobody on the broker side is told (the person is told separately)."""
    broker = current_broker(need)
    if broker is not None:
        notify(broker.user, kind, title, body, link)
