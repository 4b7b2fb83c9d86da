"""A year of the hub's past work, so every part of the performance page has something to show:
people who worked with a broker and have moved on (engagements ended, with their hours and
their reviews), the needs posted for them month by month (providers told, offers, who was chosen,
how long it took), a hand-back, and the gaps recorded with the hub's responses (two still
waiting after 14 days). Everything here is in the past and closed, so nobody's boards, lists or
invoices change: only the reports read it. Made the same way on every run (a fixed seed)."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from app.brokers.models import Band, BrokerProfile, BrokerStatus
from app.core.reference import QUALITY_ANSWERS, QUALITY_QUESTIONS
from app.demo.seeder import Seeder
from app.engagements.models import Engagement, EngagementStatus, Review, ReviewStatus, TimeEntry
from app.extensions import db
from app.holders.models import BudgetHolder
from app.hubs.models import Hub
from app.needs.models import (
    AgreementStatus,
    Gap,
    GapReason,
    Need,
    NeedEvent,
    NeedRecipient,
    NeedStatus,
    Offer,
    OfferStatus,
    ServiceAgreement,
    Urgency,
)
from app.providers.models import ProviderOrganisation
from app.taxonomy.models import ServiceCategory

PAST_CLIENTS = ["Alan Hughes", "Beatrice Mensah", "Carlos Ruiz", "Deborah Stone", "Edwin Clarke", "Farah Iqbal",
                "George Lam", "Hannah Wright", "Ibrahim Sesay", "Julia Novak", "Kenneth Ward", "Leila Ahmadi",
                "Martin Doyle", "Nadia Petrova", "Oliver Brennan", "Patience Owusu", "Quentin Hale", "Rita Kaur"]
CATEGORIES = ["personal-care", "personal-assistant", "befriending", "help-at-home", "short-breaks-respite"]
GAPS = [  # (category, district, days ago, response, or "" when still waiting)
    ("befriending", "W10", 330, "Two volunteer befriending schemes now cover W10."),
    ("personal-care", "NW8", 290, "Asked two agencies to recruit Arabic-speaking workers; one has since joined."),
    ("short-breaks-respite", "SW5", 250, "A new respite provider joined the directory in SW5."),
    ("personal-care", "W9", 200, "We raised double-up visits with Maida Vale Home Care, who now offer them."),
    ("personal-assistant", "W2", 160, "Ran a PA recruitment morning with the local college."),
    ("befriending", "NW8", 120, "The Polish centre now runs a weekly befriending group."),
    ("personal-care", "W10", 75, "Asked agencies serving W10 to quote for early morning visits."),
    ("help-at-home", "SW3", 45, ""),
    ("personal-care", "W11", 20, ""),
]


def seed_history(s: Seeder, hub: Hub) -> None:
    if db.session.scalar(select(BudgetHolder).where(BudgetHolder.name == PAST_CLIENTS[0])) is not None:
        return  # already seeded
    rng = random.Random(14)  # noqa: S311 - demo data, the same every run
    brokers = list(db.session.scalars(select(BrokerProfile).where(BrokerProfile.hub_id == hub.id,
                                                                   BrokerProfile.status == BrokerStatus.APPROVED)
                                      .order_by(BrokerProfile.id)))
    providers = list(db.session.scalars(select(ProviderOrganisation).where(ProviderOrganisation.verified_at.is_not(None))
                                        .order_by(ProviderOrganisation.id)))
    categories = {c.slug: c for c in db.session.scalars(select(ServiceCategory).where(
        ServiceCategory.slug.in_(CATEGORIES)))}
    band = db.session.scalar(select(Band).order_by(Band.hours))
    if not brokers or not providers or not categories or band is None:
        return
    districts = hub.district_codes
    for i, name in enumerate(PAST_CLIENTS):
        broker = brokers[i % len(brokers)]
        started = 40 + (i * 19) % 300  # days ago the work started, spread over the year
        person = s.add(BudgetHolder(name=name, district=districts[i % len(districts)]))
        engagement = _engagement(s, rng, person, broker, band, started)
        for n in range(2 if i % 3 else 3):
            _need(s, rng, person, broker, categories, providers, started - 3 - n * 9)
        if i % 2 == 0 and hub.lead_users:
            _review(s, rng, engagement, broker, hub.lead_users[0])
    for slug, district, days_ago, response in GAPS:
        if slug in categories:
            _gap(s, hub, brokers[days_ago % len(brokers)], categories[slug], district, days_ago, response)


def _engagement(s: Seeder, rng: random.Random, person, broker, band, started: int) -> Engagement:
    ended = max(1, started - 20 - rng.randint(0, 30))
    engagement = s.add(Engagement(holder_id=person.id, broker_id=broker.id, band_id=band.id,
                                  allocated_minutes=band.hours * 60, status=EngagementStatus.ENDED,
                                  started_at=s.days_ago(started), ended_at=s.days_ago(ended),
                                  end_reason="The support is set up and running."))
    for week in range(3):
        s.add(TimeEntry(engagement_id=engagement.id, worked_on=s.today - timedelta(days=started - week * 6),
                        minutes=rng.choice([90, 120, 150, 180]), function=rng.choice(["planning", "organising"]),
                        logged_by_id=broker.user_id))
    return engagement


def _need(s: Seeder, rng: random.Random, person, broker, categories, providers, days_ago: int) -> None:
    days_ago = max(days_ago, 8)
    published = s.days_ago(days_ago)
    category = categories[rng.choice(sorted(categories))]
    urgency = Urgency.HOSPITAL_DISCHARGE if rng.random() < 0.15 else Urgency.ROUTINE
    need = s.add(Need(holder_id=person.id, broker_id=broker.id, posted_by_id=broker.user_id, category_id=category.id,
                      district=person.district, minutes_per_week=rng.choice([120, 300, 420, 600]),
                      start_date=s.today - timedelta(days=days_ago - 7), max_hourly_rate_pence=2600,
                      public_description=f"{category.name}, a few times a week.", urgency=urgency,
                      created_at=published - timedelta(hours=2), published_at=published,
                      deadline_at=published + timedelta(hours=48), status=NeedStatus.CLOSED))
    s.add(NeedEvent(need_id=need.id, kind="published", at=published, actor_id=broker.user_id))
    told = rng.sample(providers, k=min(len(providers), rng.randint(1, 4)))
    first_told = timedelta(hours=rng.choice([0.2, 0.5, 1, 2, 3, 6, 9]))
    for k, organisation in enumerate(told):
        s.add(NeedRecipient(need_id=need.id, organisation_id=organisation.id,
                            notified_at=published + first_told + timedelta(minutes=5 * k)))
    need.first_told_at = published + first_told
    offers = []
    for organisation in told:
        if rng.random() < 0.7:
            at = published + first_told + timedelta(hours=rng.choice([1, 3, 6, 12, 20, 40]))
            offers.append(s.add(Offer(need_id=need.id, organisation_id=organisation.id, hourly_rate_pence=2400,
                                      proposed_start=need.start_date, message="We can help.", created_at=at,
                                      updated_at=at, submitted_by_id=organisation.staff[0].user_id
                                      if organisation.staff else broker.user_id)))
    _outcome(s, rng, need, offers)


def _outcome(s: Seeder, rng: random.Random, need: Need, offers: list[Offer]) -> None:
    if offers:
        need.first_offer_at = min(o.created_at for o in offers)
    if not offers or rng.random() < 0.1:
        need.status, need.withdrawn_at = NeedStatus.WITHDRAWN, need.published_at + timedelta(days=6)
        need.withdrawal_reason = "The person's family arranged help in the meantime."
        for offer in offers:
            offer.status = OfferStatus.NOT_CHOSEN
        return
    chosen = offers[0]
    delays = [days for days in (1, 2, 4, 9, 35) if need.first_offer_at + timedelta(days=days + 1) < s.now] or [0]
    need.status, need.accepted_at = NeedStatus.FILLED, need.first_offer_at + timedelta(days=rng.choice(delays))
    chosen.status, chosen.decided_at = OfferStatus.ACCEPTED, need.accepted_at
    for offer in offers[1:]:
        offer.status, offer.decided_at = OfferStatus.NOT_CHOSEN, need.accepted_at
    agreement = s.add(ServiceAgreement(
        need_id=need.id, offer_id=chosen.id, holder_id=need.holder_id, organisation_id=chosen.organisation_id,
        hourly_rate_pence=chosen.hourly_rate_pence, minutes_per_week=need.minutes_per_week,
        start_date=need.start_date, created_at=need.accepted_at, accepted_by_id=need.posted_by_id,
        status=AgreementStatus.ENDED, ended_at=s.now - timedelta(days=1), end_reason="The person moved on."))
    if rng.random() < 0.12 and need.accepted_at + timedelta(days=14) < s.now:
        agreement.status, agreement.handed_back_at = AgreementStatus.HANDED_BACK, need.accepted_at + timedelta(days=14)
        agreement.hand_back_reason = "We could no longer staff the early visits."
        chosen.status = OfferStatus.HANDED_BACK


def _review(s: Seeder, rng: random.Random, engagement: Engagement, broker, lead) -> None:
    """Past clients answered on the paper questionnaire, which the hub lead typed in."""
    weights = {"yes": 7, "partly": 2, "no": 1, "dont_know": 1}
    answers = {key: rng.choices(list(QUALITY_ANSWERS), weights=[weights[a] for a in QUALITY_ANSWERS])[0]
               for key in QUALITY_QUESTIONS}
    s.add(Review(engagement_id=engagement.id, broker_id=broker.id, answers=answers, rating=rng.choice([3, 4, 4, 5, 5]),
                 comment="", status=ReviewStatus.PUBLISHED, submitted_at=engagement.ended_at + timedelta(days=3),
                 submitted_by_id=lead.id, moderated_at=engagement.ended_at + timedelta(days=4), moderated_by_id=lead.id))


def _gap(s: Seeder, hub: Hub, broker, category, district: str, days_ago: int, response: str) -> None:
    lead = hub.lead_users[0] if hub.lead_users else None
    s.add(Gap(hub_id=hub.id, broker_id=broker.id, category_id=category.id, district=district, reason=GapReason.RAISED,
              needed=f"{category.name} in {district}.", note="No provider on OurChoice could offer it.",
              flagged_at=s.days_ago(days_ago), raised_by_id=broker.user_id, response=response,
              responded_at=s.days_ago(days_ago - 6) if response else None,
              responded_by_id=lead.id if response and lead else None,
              closed_at=s.days_ago(days_ago - 30) if response and days_ago > 100 else None,
              closed_by_id=lead.id if response and lead and days_ago > 100 else None))
