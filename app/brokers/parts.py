"""Where each part of a broker's application stands, for the broker's task list and the hub
lead's checks, and who is told when a part needs checking."""

from __future__ import annotations

from dataclasses import dataclass

from app.brokers import rules
from app.brokers.models import BrokerProfile, Verification, VerificationKind
from app.core.notifications import notify, register_kind
from app.core.roles import Role
from app.core.urls import path_for

APPLICATIONS = register_kind("broker_applications", "Broker applications and checks",
                             roles={Role.BROKER, Role.HUB_LEAD})

PARTS = list(VerificationKind)

# How a sentence names each part ("your decision on the DBS check").
PART_NAMES = {kind.value: ("DBS check" if kind == VerificationKind.DBS else kind.label.lower()) for kind in PARTS}


@dataclass
class PartState:
    kind: VerificationKind
    latest: Verification | None
    approved: Verification | None
    complete: bool


def part_complete(broker: BrokerProfile, kind: VerificationKind) -> bool:
    if kind == VerificationKind.BUSINESS:
        return bool(broker.trading_name and broker.business_type)
    if kind == VerificationKind.CONFLICTS:
        return bool(broker.conflicts) or broker.no_conflicts_declared
    if kind == VerificationKind.PROFILE:
        has_fee = broker.hourly_fee_pence is not None or bool(broker.fees)
        return bool(broker.districts and broker.specialisms and broker.languages and broker.profile_text and has_fee)
    return rules.latest(broker, kind) is not None


def part_state(broker: BrokerProfile, kind: VerificationKind) -> PartState:
    return PartState(kind, rules.latest(broker, kind), rules.latest(broker, kind, approved_only=True),
                     part_complete(broker, kind))


def parts(broker: BrokerProfile) -> list[PartState]:
    return [part_state(broker, kind) for kind in PARTS]


def ready_to_submit(broker: BrokerProfile) -> bool:
    return broker.hub_id is not None and all(p.complete for p in parts(broker))


def every_part_approved(broker: BrokerProfile) -> bool:
    return all(rules.latest(broker, kind, approved_only=True) is not None for kind in PARTS)


def tell_leads(broker: BrokerProfile, title: str, body: str) -> None:
    """Tell the leads of the broker's hub that something of theirs needs checking."""
    if broker.hub is None:
        return
    for lead in broker.hub.lead_users:
        notify(lead, APPLICATIONS.key, title, body, path_for("brokers.review_broker", broker_id=broker.id))
