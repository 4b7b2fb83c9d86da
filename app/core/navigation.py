"""The service navigation, which depends on the user's roles.

Each feature adds its links here; an item appears only if its endpoint exists and the
user passes its rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request, url_for

from app.core import permissions as p


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    rule: p.Rule | None = None  # None: shown to everyone
    anonymous_only: bool = False
    # Endpoint prefixes of the pages that belong to this item's section.
    section: tuple[str, ...] = ()
    # Another label, for the users who pass its rule (the same page, called what it is for them).
    relabel: tuple[p.Rule, str] | None = None

    def label_for(self, user) -> str:
        if self.relabel is not None and self.relabel[0](user):
            return self.relabel[1]
        return self.label


# A broker whose application has been approved: their application page is now their accreditation.
IsApprovedBroker = p.IsBroker & p.Predicate(
    "approved broker", lambda user, _: bool(getattr(user.broker_profile, "is_approved", False)))


ITEMS: list[NavItem] = [
    # The budget holder's own pages (and those of the person a helper acts for) belong to Home.
    NavItem("Home", "home.index", section=("holders.", "home.person", "needs.holder_", "needs.accept_offer",
                                           "engagements.holder_", "engagements.review", "engagements.end_engagement",
                                           "money.home", "money.stream", "money.statement", "money.share_budget",
                                           "money.stop_sharing", "ledger.company", "ledger.new_", "ledger.edit_stream",
                                           "ledger.reverse_receipt", "payments.holder_", "payments.approve_",
                                           "payments.query_", "payments.pay_", "payments.reverse_payment",
                                           "payments.standing_approval")),
    NavItem("Find a broker", "brokers.directory", section=("brokers.directory", "brokers.profile", "brokers.compare",
                                                            "engagements.ask", "hubs.index", "home.hub_page")),
    NavItem("Directory", "directory.index",
            section=("directory.index", "directory.entry", "directory.provider", "directory.suggest",
                     "directory.correction")),
    NavItem("Needs for you", "needs.board", p.IsProviderStaff,
            section=("needs.provider_", "needs.save_offer", "needs.withdraw_offer", "providers.", "payments.provider_",
                     "payments.new_provider_", "payments.answer_provider_", "payments.correct_provider_")),
    NavItem("Clients", "engagements.broker_clients", p.IsBroker,
            section=("engagements.broker_", "engagements.log_time", "engagements.band_change", "engagements.new_client",
                     "money.broker_budget")),
    NavItem("Invoices", "payments.broker_invoices", p.IsBroker,
            section=("payments.broker_", "payments.new_broker_", "payments.answer_broker_", "payments.correct_broker_")),
    NavItem("Requests", "engagements.broker_requests", p.IsBroker, section=("engagements.broker_request",)),
    NavItem("Needs", "needs.broker_needs", p.IsBroker,
            section=("needs.broker_", "needs.new_need", "needs.edit_need", "needs.publish_need", "needs.reopen_need")),
    NavItem("My application", "brokers.application", p.IsBroker,
            section=("brokers.apply_", "brokers.availability", "brokers.standards"),
            relabel=(IsApprovedBroker, "My accreditation")),
    NavItem("Funding", "money.funder_home", p.IsFunderOfficer, section=("money.funder_", "ledger.funder_")),
    NavItem("Hub", "home.hub_dashboard", p.IsHubLead,
            section=("brokers.review_", "engagements.hub_", "invitations.hub_", "needs.hub_", "providers.hub_",
                     "directory.hub_", "directory.review_", "directory.edit_entry")),
    NavItem("Admin", "admin.index", p.IsAdmin,
            section=("admin.", "hubs.admin_", "brokers.admin_", "engagements.admin_", "needs.admin_")),
    NavItem("Notifications", "core.notifications_list", p.IsSignedIn),
    NavItem("Your account", "accounts.settings", p.IsSignedIn,
            section=("accounts.details", "accounts.change_", "accounts.accessibility",
                     "accounts.notification_settings", "accounts.close_account")),
    NavItem("Create an account", "accounts.register", anonymous_only=True, section=("accounts.register",)),
]


def section_of(endpoint: str) -> NavItem | None:
    """The one item a page belongs to: its own endpoint, else the longest section prefix it starts
    with ("engagements.broker_request" is under Requests, not Clients' "engagements.broker_")."""
    best: tuple[int, NavItem | None] = (0, None)
    for item in ITEMS:
        if endpoint == item.endpoint:
            return item
        for prefix in item.section:
            if endpoint.startswith(prefix) and len(prefix) > best[0]:
                best = (len(prefix), item)
    return best[1]


def items_for(user) -> list[dict]:
    signed_in = p.IsSignedIn(user)
    endpoints = current_app.view_functions
    current = request.endpoint or ""
    section = section_of(current)
    items = []
    for item in ITEMS:
        if item.endpoint not in endpoints:
            continue
        if item.anonymous_only and signed_in:
            continue
        if item.rule is not None and not item.rule(user):
            continue
        is_current = current == item.endpoint
        is_active = is_current or item is section
        items.append(
            {
                "text": item.label_for(user),
                "href": url_for(item.endpoint),
                "current": is_current,
                "active": is_active and not is_current,
            }
        )
    return items
