"""The demo market: providers with their services, districts and capacity, needs, offers,
agreements and gaps."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.brokers.models import (
    BrokerProfile,
)
from app.core.reference import DAYS, PARTS_OF_DAY
from app.demo.seeder import Seeder
from app.extensions import db
from app.holders.models import BudgetHolder, Consent, ConsentMethod
from app.needs.models import (
    Gap,
    GapReason,
    Medication,
    Need,
    NeedEvent,
    NeedPrivateDetails,
    NeedStatus,
    Offer,
    OfferMessage,
    OfferStatus,
    ServiceAgreement,
)
from app.providers.models import (
    CapacitySlot,
    ProviderDistrict,
    ProviderKind,
    ProviderOrganisation,
    ProviderService,
    ProviderStaff,
)
from app.taxonomy.models import ServiceCategory


def _category(slug: str) -> ServiceCategory:
    return db.session.scalar(select(ServiceCategory).where(ServiceCategory.slug == slug))


def _provider(s: Seeder, organisation: ProviderOrganisation, *, lead: User, verified: bool = True,
              services: list[str], districts: list[str], capacity_days_ago: int | None = 0,
              slots: list[tuple[int, str]] = (), **profile) -> ProviderOrganisation:
    """Fill in a provider's profile once (when it has no services yet)."""
    if organisation.services:
        return organisation
    for key, value in profile.items():
        setattr(organisation, key, value)
    organisation.services = [ProviderService(category=_category(slug)) for slug in services]
    organisation.districts = [ProviderDistrict(district=d) for d in districts]
    if verified:
        organisation.verified_at, organisation.verified_by_id = s.days_ago(60), lead.id
        for row in [*organisation.services, *organisation.districts]:
            row.verified_at, row.verified_by_id = s.days_ago(60), lead.id
        organisation.verification_note = "CQC register and insurance certificate checked." if profile.get(
            "cqc_number") else "Insurance certificate checked."
    if capacity_days_ago is not None:
        organisation.capacity_updated_at = s.days_ago(capacity_days_ago)
        organisation.capacity = [CapacitySlot(day=day, part=part, available=(day, part) in set(slots))
                                 for day in DAYS for part in PARTS_OF_DAY]
    db.session.flush()
    s.created += 1
    return organisation


def _staffed(s: Seeder, email: str, name: str, organisation_name: str, kind: ProviderKind) -> ProviderOrganisation:
    user = s.user(email, name)
    organisation = s.get_or_create(ProviderOrganisation, {"name": organisation_name}, kind=kind)
    s.get_or_create(ProviderStaff, {"organisation_id": organisation.id, "user_id": user.id}, is_owner=True)
    return organisation


WEEKDAY_MORNINGS = [(day, "morning") for day in range(5)] + [(day, "early_morning") for day in range(5)]
EVENINGS = [(day, "evening") for day in range(7)] + [(day, "tea_time") for day in range(7)]


def seed_market(s: Seeder, agency: ProviderOrganisation, owner: User, lead: User) -> None:
    coordinator = s.user("coordinator@demo.test", "Kasia Nowak")
    s.get_or_create(ProviderStaff, {"organisation_id": agency.id, "user_id": coordinator.id}, is_owner=False)
    maida = _provider(s, agency, lead=lead, services=["personal-care", "help-at-home", "short-breaks-respite"],
                      districts=["W2", "W9", "W10", "NW8"], slots=WEEKDAY_MORNINGS + EVENINGS,
                      description="Family-run home care agency in Maida Vale since 2004.",
                      regulated_personal_care=True, cqc_number="1-101234567",
                      languages=["english", "polish", "arabic"], worker_genders=["female", "male"],
                      skills=["medication", "dementia", "moving_handling", "catheter_care", "end_of_life"],
                      double_up=True, drivers=True, rate_from_pence=2400, rate_to_pence=2800)
    notting = _provider(s, _staffed(s, "notting.hill@demo.test", "Rosa Silva", "Notting Hill Care Partners",
                                    ProviderKind.CARE_AGENCY), lead=lead, services=["personal-care", "help-at-home"],
                        districts=["W2", "W9", "W10", "W11", "NW8"], slots=WEEKDAY_MORNINGS, capacity_days_ago=20,
                        regulated_personal_care=True, cqc_number="1-109876543",
                        languages=["english", "portuguese", "spanish"], worker_genders=["female"],
                        skills=["epilepsy", "peg_feeding", "medication", "learning_disability"],
                        rate_from_pence=2500, rate_to_pence=2700)
    yusuf = _provider(s, _staffed(s, "yusuf.ali@demo.test", "Yusuf Ali", "Yusuf Ali PA Services",
                                  ProviderKind.PERSONAL_ASSISTANT), lead=lead,
                      services=["personal-assistant", "getting-out-and-about"], districts=["W9", "W10", "NW8"],
                      slots=[(day, "afternoon") for day in range(7)], languages=["english", "somali", "arabic"],
                      worker_genders=["male"], skills=["autism", "mental_health"], drivers=True,
                      rate_from_pence=1800, rate_to_pence=2000,
                      description="Self-employed personal assistant. I drive, and I love football and cooking.")
    _provider(s, _staffed(s, "westway@demo.test", "Marcia Campbell", "Westway Befriending CIC",
                          ProviderKind.COMMUNITY_ENTERPRISE), lead=lead,
              services=["befriending", "day-opportunities", "peer-support"], districts=["W10", "W11", "W2"],
              slots=[(day, "afternoon") for day in range(5)], languages=["english", "portuguese"],
              rate_from_pence=0, description="User-led community enterprise: volunteer befrienders and a Friday lunch club.")
    _provider(s, _staffed(s, "chelsea@demo.test", "Oliver Grant", "Chelsea Companions",
                          ProviderKind.PERSONAL_ASSISTANT), lead=lead, verified=False,
              services=["personal-assistant", "befriending"], districts=["SW3", "SW5"], capacity_days_ago=None,
              languages=["english", "french"], worker_genders=["male"], rate_from_pence=2000)

    grace = db.session.scalar(select(BudgetHolder).where(BudgetHolder.name == "Grace Okafor"))
    if db.session.scalar(select(Need).where(Need.holder_id == grace.id)) is not None:
        return
    daniel = db.session.scalar(select(BrokerProfile).join(User).where(User.email == "broker@demo.test"))
    peter = db.session.scalar(select(BudgetHolder).where(BudgetHolder.name == "Peter Johnson"))
    tomasz = db.session.scalar(select(BrokerProfile).join(User).where(User.email == "tomasz.nowak@demo.test"))

    def need(holder, broker, status, slug, district, **values):
        published = values.pop("published_days_ago", None)
        private = values.pop("private", {})
        values.setdefault("response_hours", 48)
        start = values.pop("start_date", s.today + timedelta(days=7))
        row = Need(holder=holder, broker=broker, posted_by_id=broker.user_id, status=status,
                   category=_category(slug), district=district, created_at=s.days_ago((published or 0) + 1),
                   start_date=start, **values)
        row.private = NeedPrivateDetails(**private)
        if published is not None:
            row.published_at = s.days_ago(published)
            row.deadline_at = row.published_at + timedelta(hours=row.response_hours)
            # The person agreed to what would be shared before it was published (online, or by
            # phone to their broker when they have no account).
            row.sharing_consent = s.add(Consent(
                holder=holder, purpose="share_need_details",
                method=ConsentMethod.ONLINE if holder.user_id else ConsentMethod.VERBAL,
                given_at=row.published_at - timedelta(hours=1), recorded_by_id=holder.user_id or broker.user_id,
                note="Shared with providers told about the need: the service, district, days and times and the "
                     "description. Shared with each provider the broker shortlists: the private details."))
        s.add(row)
        s.add(NeedEvent(need=row, kind="drafted", at=row.created_at, actor_id=broker.user_id))
        if published is not None:
            s.add(NeedEvent(need=row, kind="published", at=row.published_at, actor_id=broker.user_id))
        return row

    def offer(row, organisation, status, rate, message, **values):
        made = row.published_at + timedelta(hours=values.pop("after_hours", 3))
        o = s.add(Offer(need=row, organisation=organisation, status=status, hourly_rate_pence=rate,
                        proposed_start=row.start_date, message=message, submitted_by_id=organisation.staff[0].user_id,
                        created_at=made, updated_at=made, **values))
        row.first_offer_at = min(filter(None, [row.first_offer_at, made]))
        s.add(NeedEvent(need=row, kind="offer_made", at=made, actor_id=o.submitted_by_id,
                        details={"organisation_id": organisation.id}))
        return o

    grace_private = {"health_conditions": "Stroke in 2025: weakness on the left side. Type 2 diabetes.",
                     "medication": Medication.PROMPTED, "medication_notes": "Metformin twice a day, with meals.",
                     "address": "Flat 3, 12 Elgin Avenue, London W9 2EG", "access_arrangements": "Key safe by the door; code given to the chosen provider."}

    # Draft
    need(grace, daniel, NeedStatus.DRAFT, "getting-out-and-about", "W9", minutes_per_week=180,
         schedule=[[6, "morning"]], max_hourly_rate_pence=2000,
         public_description="Support to get to church on Sunday mornings and stay for the service and coffee afterwards.",
         private=grace_private)
    # Open since yesterday, with two offers (made hours after it was published, so both in the past)
    open_need = need(grace, daniel, NeedStatus.OPEN, "personal-care", "W9", published_days_ago=1,
                     response_hours=48, minutes_per_week=7 * 60, schedule=[[d, "morning"] for d in range(7)],
                     times_note="8am to 9am every day", required_skills=["medication"], worker_gender="female",
                     max_hourly_rate_pence=2600,
                     public_description="Help to get up, wash and dress each morning, and a reminder to take tablets. "
                                        "Enjoys talking about gardening.", private=grace_private)
    offer(open_need, maida, OfferStatus.SUBMITTED, 2500, "A regular carer, Joanna, lives nearby and has 10 years' "
          "experience of supporting people after a stroke.", requirements_met=["skill:medication", "gender:female"],
          worker_languages=["english", "polish"], worker_gender="female", after_hours=2)
    offer(open_need, notting, OfferStatus.SUBMITTED, 2450, "We can start next week with a small team of two carers.",
          requirements_met=["skill:medication"], worker_languages=["english", "portuguese"], worker_gender="female",
          after_hours=5)
    # Filled: help at home, with an active agreement that started a week ago
    filled = need(grace, daniel, NeedStatus.FILLED, "help-at-home", "W9", published_days_ago=14, response_hours=48,
                  start_date=s.today - timedelta(days=7),
                  minutes_per_week=4 * 60, schedule=[[1, "afternoon"], [4, "afternoon"]], max_hourly_rate_pence=2400,
                  public_description="Cleaning, laundry and a weekly shop, twice a week.", private=grace_private)
    won = offer(filled, maida, OfferStatus.ACCEPTED, 2300, "Our home help team covers W9 on Tuesdays and Fridays.",
                worker_languages=["english"], after_hours=4)
    offer(filled, notting, OfferStatus.NOT_CHOSEN, 2350, "We could do Tuesdays and Fridays.", after_hours=20)
    filled.shortlisted_at = filled.published_at + timedelta(days=2)
    filled.accepted_at = filled.published_at + timedelta(days=3)
    won.shortlisted_at, won.proposed_at = filled.shortlisted_at, filled.shortlisted_at
    s.add(NeedEvent(need=filled, kind="accepted", at=filled.accepted_at, actor_id=grace.user_id))
    s.add(ServiceAgreement(need=filled, offer=won, holder_id=grace.id, organisation_id=maida.id,
                           hourly_rate_pence=2300, minutes_per_week=240, schedule=filled.schedule,
                           start_date=s.today - timedelta(days=7), accepted_by_id=grace.user_id,
                           created_at=filled.accepted_at))
    # Withdrawn
    withdrawn = need(grace, daniel, NeedStatus.WITHDRAWN, "short-breaks-respite", "W9", published_days_ago=20,
                     minutes_per_week=24 * 60, schedule=[], max_hourly_rate_pence=2000,
                     public_description="A short break in the summer.", private=grace_private,
                     withdrawal_reason="The family arranged the break themselves.")
    withdrawn.withdrawn_at = s.days_ago(18)

    if peter is None or tomasz is None:
        return
    peter_private = {"health_conditions": "Depression and anxiety; uses a walking stick.", "address": "NW8",
                     "medication": Medication.NONE}
    # Closed (deadline passed): one offer shortlisted and proposed, one just sent
    closed = need(peter, tomasz, NeedStatus.CLOSED, "personal-assistant", "NW8", published_days_ago=2,
                  response_hours=24, minutes_per_week=6 * 60, schedule=[[1, "afternoon"], [3, "afternoon"]],
                  required_languages=["polish"], driver=True, max_hourly_rate_pence=2100,
                  public_description="A personal assistant to go swimming and to the shops, twice a week.",
                  private=peter_private)
    proposed = offer(closed, yusuf, OfferStatus.PROPOSED, 1900, "I drive and can take Peter swimming at Seymour "
                     "Leisure Centre.", requirements_met=["driver"], worker_gender="male", after_hours=6)
    proposed.shortlisted_at = proposed.proposed_at = closed.published_at + timedelta(days=1)
    closed.shortlisted_at = proposed.shortlisted_at
    s.add(OfferMessage(offer=proposed, author_id=tomasz.user_id, body="Peter speaks Polish best. Do you?",
                       created_at=closed.published_at + timedelta(hours=30)))
    s.add(OfferMessage(offer=proposed, author_id=yusuf.staff[0].user_id, from_provider=True,
                       body="I don't, but I have used a translation app with clients before and I am happy to learn.",
                       created_at=closed.published_at + timedelta(hours=31)))
    offer(closed, maida, OfferStatus.SUBMITTED, 2000, "We have a Polish-speaking support worker who drives.",
          requirements_met=["language:polish", "driver"], worker_languages=["english", "polish"], after_hours=12)
    # A gap: befriending in Polish, nobody applied, with the hub's response
    gap_need = need(peter, tomasz, NeedStatus.CLOSED, "befriending", "NW8", published_days_ago=5, response_hours=72,
                    minutes_per_week=120, schedule=[[5, "afternoon"]], required_languages=["polish"],
                    max_hourly_rate_pence=1500, public_description="A Polish-speaking befriender for a weekly chat "
                    "and a walk in the park.", private=peter_private)
    s.add(Gap(need=gap_need, hub_id=tomasz.hub_id, broker_id=tomasz.id, holder_id=gap_need.holder_id,
              category_id=gap_need.category_id, district=gap_need.district, needed=gap_need.public_description,
              reason=GapReason.UNFILLED, flagged_at=s.days_ago(2),
              response="We are talking to the Polish Social and Cultural Association about volunteer befrienders.",
              responded_at=s.days_ago(1), responded_by_id=lead.id))
