"""The hub lead's pages, in one place. Each page lives in the feature that owns its rule
(brokers, engagements, providers, needs, directory, invitations); this list is how a hub lead
finds them: the dashboard (`home.hub_dashboard`) renders its links from it. Endpoints are
strings, so hubs imports none of those features."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HubLeadPage:
    label: str
    endpoint: str
    description: str


HUB_LEAD_PAGES: tuple[HubLeadPage, ...] = (
    HubLeadPage("Performance and gaps", "reports.hub",
                "How quickly needs are met, gaps in local provision, providers, brokers and what clients said"),
    HubLeadPage("All brokers in your hub", "brokers.review_list",
                "Every broker in your hub: applications, accreditation, DBS checks and insurance to check"),
    HubLeadPage("Band change requests", "engagements.hub_band_changes", "Brokers' requests for more hours for a client"),
    HubLeadPage("Reviews", "engagements.hub_reviews", "Clients' reviews of brokers, and brokers' replies, to check"),
    HubLeadPage("Engagements and hours used", "engagements.hub_engagements", "Brokers' work with their clients, and hours used"),
    HubLeadPage("Providers to verify", "providers.hub_list", "Providers in your area, and verifying them"),
    HubLeadPage("Gaps: needs nobody could meet", "needs.hub_gaps", "Record what the hub did, so the broker who raised it knows"),
    HubLeadPage("Directory: suggestions and entries to check", "directory.hub_index", "Suggestions and entries to check in your districts"),
    HubLeadPage("Invite someone to apply", "invitations.hub_list", "Invite someone to apply to your hub as an associate broker"),
)
