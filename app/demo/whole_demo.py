"""The whole demo: the hub, one account per role, and each part of the portal's data."""

from __future__ import annotations

from datetime import timedelta

from app.brokers.models import (
    BrokerProfile,
)
from app.demo.directory import seed_directory
from app.demo.history import seed_history
from app.demo.market import seed_market
from app.demo.money import seed_money
from app.demo.people_and_brokers import seed_brokerage
from app.demo.plans import seed_plans
from app.demo.seeder import Seeder
from app.funders.models import FundingBody, FundingBodyKind, FundingOfficer
from app.holders.models import BudgetHolder
from app.hubs.models import Hub, HubDistrict, HubLead
from app.providers.models import (
    ProviderKind,
    ProviderOrganisation,
    ProviderStaff,
)

HUB_NAME = "Westminster & Kensington Hub"
HUB_DISTRICTS = ["W2", "W9", "W10", "W11", "NW8", "SW1", "SW3", "SW5", "SW7"]


def seed() -> int:
    s = Seeder()
    signed = s.today - timedelta(days=265)  # the hub's franchise agreement, signed about nine months ago
    hub = s.get_or_create(
        Hub, {"slug": "westminster-kensington"}, name=HUB_NAME,
        description="Central and west London: Paddington, Maida Vale, Notting Hill, St John's Wood, "
                    "Westminster, Chelsea and South Kensington.",
        agreement_start=signed + timedelta(days=20), agreement_signed_on=signed,
        agreement_fee_arrangement="£250 a month and £40 for each new client, paid quarterly to the centre, in "
                                  "return for the portal, accredited training and the quality network.",
        agreement_reference=f"CIL-AA-{signed.year}-014", monthly_fee_pence=25000, fee_per_new_client_pence=4000,
    )
    for code in HUB_DISTRICTS:
        s.get_or_create(HubDistrict, {"district": code}, hub_id=hub.id)

    council = s.get_or_create(FundingBody, {"name": "Westminster City Council"}, kind=FundingBodyKind.COUNCIL)
    nhs = s.get_or_create(FundingBody, {"name": "NHS North West London"}, kind=FundingBodyKind.HEALTH)

    holder_user = s.user("holder@demo.test", "Grace Okafor")
    grace = s.get_or_create(BudgetHolder, {"user_id": holder_user.id}, name=holder_user.name, district="W9",
                            communication_needs=["large_print"], preferred_language="english")

    broker_user = s.user("broker@demo.test", "Daniel Price")
    s.get_or_create(BrokerProfile, {"user_id": broker_user.id}, hub_id=hub.id)

    provider_user = s.user("provider@demo.test", "Amira Haddad")
    agency = s.get_or_create(ProviderOrganisation, {"name": "Maida Vale Home Care"}, kind=ProviderKind.CARE_AGENCY)
    s.get_or_create(ProviderStaff, {"organisation_id": agency.id, "user_id": provider_user.id}, is_owner=True)

    lead = s.user("hublead@demo.test", "Priya Sharma")
    s.get_or_create(HubLead, {"hub_id": hub.id, "user_id": lead.id})

    officer = s.user("funder@demo.test", "Tom Whitfield")
    s.get_or_create(FundingOfficer, {"funding_body_id": council.id, "user_id": officer.id})
    # The health body's officer: Grace's personal health budget needs a plan of its own.
    health_officer = s.user("helen.carter@demo.test", "Helen Carter")
    s.get_or_create(FundingOfficer, {"funding_body_id": nhs.id, "user_id": health_officer.id})

    admin = s.user("admin@demo.test", "Morgan Ellis", is_platform_admin=True)

    seed_brokerage(s, hub, lead, admin, grace)
    seed_market(s, agency, provider_user, lead)
    seed_directory(s, lead, holder_user, provider_user)
    seed_money(s, grace)
    seed_plans(s, grace)
    seed_history(s, hub)
    return s.created
