"""A small, hand-built history of one hub (and a second hub that must never be counted), for the
performance report's tests. Every expected number in those tests was worked out by hand from
the comments here, not by the report's code.

Hub H (W9, W10), broker Bea (hub H), broker Ben (hub H2, NW1). `now` is when the history is built;
the period is the last 90 days.

Needs of hub H (hours after publishing):
  N1  published 60 days ago, routine. Told: P1 +1h, P2 +5h. Offers: P1 +10h (accepted +5 days),
      P2 +30h. Filled.
  N2  published 50 days ago, routine; the person agreed to what it shares 2 hours before it was
      published (so it was ready at -2h). Told: P1 +3h. Offers: P2 +20h (never told; accepted
      +40 days). Filled.
  N3  published 40 days ago, hospital discharge. Told: P1 +0.5h, P3 +0.5h. Offers: P3 +1h
      (accepted +1 day). Filled.
  N4  published 10 days ago, routine, 48 hours to apply. Told: P1 +6h, P4 +6h. No offers. Closed
      (being chosen from; counted as open).
  N5  published 35 days ago, routine. Nobody told, no offers. Withdrawn.
  N6  published 100 days ago (before the period): filled by P3 (agreement 95 days ago), handed
      back by P3 20 days ago; open again.
  X1  hub H2, published 20 days ago, filled: never counted for H.

Gaps of hub H: G1 home care in W9, 20 days ago, no response; G2 home care in W9, 5 days ago, no
response; G3 befriending in W10, 30 days ago, responded; G4 befriending in W9, 200 days ago
(before the period, within 12 months). Hub H2: one gap 3 days ago (never counted for H).

Bea's clients: two active engagements (600 and 900 minutes allocated; 120 + 60 and 300 minutes
logged) and one ended (1,000 minutes logged, not counted). Her insurance expires in 10 days.
Reviews of Bea: R1 (20 days ago, rating 5, all Yes but "listened" No), R2 (40 days ago, rating
3, "listened" Partly, "information_useful" Don't know, the rest Yes), R3 (120 days ago, rating
1: before the period).

Directory in H's districts: E1 checked 400 days ago, E2 checked 10 days ago, E3 never checked,
E4 in NW1 (hub H2) never checked. Suggestions in W9: one waiting, one approved; in NW1: one
waiting.
"""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

from app.core.reference import QUALITY_QUESTIONS
from app.core.timeutil import today_in_london, utcnow
from app.directory.models import Suggestion, SuggestionStatus
from app.engagements.models import EngagementStatus, Review, TimeEntry
from app.extensions import db
from app.holders.models import Consent, ConsentMethod
from app.needs.models import (
    AgreementStatus,
    Gap,
    GapReason,
    Need,
    NeedRecipient,
    NeedStatus,
    Offer,
    OfferStatus,
    ServiceAgreement,
    Urgency,
)
from tests.factories import (
    BudgetHolderFactory,
    HubFactory,
    HubLeadFactory,
    accredited_broker,
    category,
    directory_entry,
    engagement,
    provider,
)

H = timedelta(hours=1)
D = timedelta(days=1)


def _need(s, broker, holder, ago, status, urgency=Urgency.ROUTINE, district="W9"):
    published = s.now - ago
    need = Need(holder_id=holder.id, broker_id=broker.id, posted_by_id=broker.user_id, status=status,
                category_id=category("personal-care").id, district=district, minutes_per_week=300,
                start_date=today_in_london(), max_hourly_rate_pence=2600, public_description="Morning help.",
                urgency=urgency, published_at=published, created_at=published - H)
    db.session.add(need)
    db.session.flush()
    return need


def _told(need, organisation, after):
    at = need.published_at + after
    db.session.add(NeedRecipient(need_id=need.id, organisation_id=organisation.id, notified_at=at))
    need.first_told_at = min(at, need.first_told_at or at)


def _offer(s, need, organisation, after, accepted_after=None):
    at = need.published_at + after
    offer = Offer(need_id=need.id, organisation_id=organisation.id, hourly_rate_pence=2400,
                  proposed_start=today_in_london(), message="We can help.", created_at=at, updated_at=at,
                  submitted_by_id=organisation.staff[0].user_id,
                  status=OfferStatus.ACCEPTED if accepted_after else OfferStatus.SUBMITTED)
    db.session.add(offer)
    db.session.flush()
    if need.first_offer_at is None or at < need.first_offer_at:
        need.first_offer_at = at
    if accepted_after is not None:
        need.accepted_at = need.published_at + accepted_after
        db.session.add(ServiceAgreement(need_id=need.id, offer_id=offer.id, holder_id=need.holder_id,
                                        organisation_id=organisation.id, hourly_rate_pence=2400,
                                        minutes_per_week=300, start_date=today_in_london(),
                                        accepted_by_id=s.holder.user_id, created_at=need.accepted_at))
    return offer


def _gap(s, hub, broker, slug, district, ago, response=""):
    db.session.add(Gap(hub_id=hub.id, broker_id=broker.id, category_id=category(slug).id, district=district,
                       reason=GapReason.RAISED, needed="Something", note="Nobody had it", flagged_at=s.now - ago,
                       raised_by_id=broker.user_id, response=response,
                       responded_at=s.now - ago + D if response else None))


def _review(s, eng, ago, rating, **answers):
    chosen = {key: "yes" for key in QUALITY_QUESTIONS} | answers
    db.session.add(Review(engagement_id=eng.id, broker_id=eng.broker_id, answers=chosen, rating=rating,
                          submitted_at=s.now - ago, submitted_by_id=eng.holder.user_id))


def build_history() -> SimpleNamespace:
    s = SimpleNamespace(now=utcnow(), today=today_in_london())
    s.hub = HubFactory(name="Hub H", slug="hub-h", districts=["W9", "W10"])
    s.other_hub = HubFactory(name="Hub H2", slug="hub-h2", districts=["NW1"])
    s.lead = HubLeadFactory(hub=s.hub).user
    s.other_lead = HubLeadFactory(hub=s.other_hub).user
    s.bea = accredited_broker(s.hub, name="Bea Broker", insurance_days_left=10)
    s.ben = accredited_broker(s.other_hub, name="Ben Broker")
    s.holder = BudgetHolderFactory(name="Grace Okafor", user__name="Grace Okafor")
    s.p1, s.p2, s.p3, s.p4 = (provider(name) for name in ("P1 Care", "P2 Care", "P3 Care", "P4 Care"))
    _needs(s)
    _gaps(s)
    _people(s)
    _directory(s)
    db.session.commit()
    return s


def _needs(s):
    bea, holder = s.bea, s.holder
    n1 = _need(s, bea, holder, 60 * D, NeedStatus.FILLED)
    _told(n1, s.p1, 1 * H), _told(n1, s.p2, 5 * H)
    _offer(s, n1, s.p1, 10 * H, accepted_after=5 * D), _offer(s, n1, s.p2, 30 * H)
    n2 = _need(s, bea, holder, 50 * D, NeedStatus.FILLED)
    consent = Consent(holder_id=holder.id, purpose="share_need_details", method=ConsentMethod.VERBAL,
                      given_at=n2.published_at - 2 * H, recorded_by_id=bea.user_id)
    db.session.add(consent)
    db.session.flush()
    n2.sharing_consent_id = consent.id
    _told(n2, s.p1, 3 * H)
    _offer(s, n2, s.p2, 20 * H, accepted_after=40 * D)
    n3 = _need(s, bea, holder, 40 * D, NeedStatus.FILLED, urgency=Urgency.HOSPITAL_DISCHARGE)
    _told(n3, s.p1, H / 2), _told(n3, s.p3, H / 2)
    _offer(s, n3, s.p3, 1 * H, accepted_after=1 * D)
    n4 = _need(s, bea, holder, 10 * D, NeedStatus.CLOSED)
    n4.deadline_at = n4.published_at + 48 * H
    _told(n4, s.p1, 6 * H), _told(n4, s.p4, 6 * H)
    n5 = _need(s, bea, holder, 35 * D, NeedStatus.WITHDRAWN)
    n6 = _need(s, bea, holder, 100 * D, NeedStatus.OPEN)
    _told(n6, s.p3, 1 * H)
    _offer(s, n6, s.p3, 2 * H, accepted_after=5 * D)
    agreement = db.session.query(ServiceAgreement).filter_by(need_id=n6.id).one()
    agreement.status, agreement.handed_back_at = AgreementStatus.HANDED_BACK, s.now - 20 * D
    x1 = _need(s, s.ben, holder, 20 * D, NeedStatus.FILLED, district="NW1")
    _told(x1, s.p1, 1 * H)
    _offer(s, x1, s.p1, 2 * H, accepted_after=2 * D)
    s.needs = SimpleNamespace(n1=n1, n2=n2, n3=n3, n4=n4, n5=n5, n6=n6, x1=x1)


def _gaps(s):
    _gap(s, s.hub, s.bea, "personal-care", "W9", 20 * D)
    _gap(s, s.hub, s.bea, "personal-care", "W9", 5 * D)
    _gap(s, s.hub, s.bea, "befriending", "W10", 30 * D, response="Asked two agencies to recruit befrienders.")
    _gap(s, s.hub, s.bea, "befriending", "W9", 200 * D)
    _gap(s, s.other_hub, s.ben, "personal-care", "NW1", 3 * D)


def _people(s):
    active = [engagement(BudgetHolderFactory(), s.bea, band_code=code) for code in ("A", "B")]
    active[0].allocated_minutes, active[1].allocated_minutes = 600, 900
    ended = engagement(BudgetHolderFactory(), s.bea)
    ended.status = EngagementStatus.ENDED
    for eng, minutes in ((active[0], 120), (active[0], 60), (active[1], 300), (ended, 1000)):
        db.session.add(TimeEntry(engagement_id=eng.id, worked_on=s.today, minutes=minutes, function="planning",
                                 logged_by_id=s.bea.user_id))
    _review(s, ended, 20 * D, 5, listened="no")
    _review(s, active[0], 40 * D, 3, listened="partly", information_useful="dont_know")
    _review(s, active[1], 120 * D, 1)
    other = engagement(BudgetHolderFactory(), s.ben)
    _review(s, other, 10 * D, 2)


def _directory(s):
    directory_entry("E1", verified_days_ago=400)
    directory_entry("E2", verified_days_ago=10)
    directory_entry("E3", verified_days_ago=None)
    directory_entry("E4", districts=("NW1",), verified_days_ago=None)
    for district, status in (("W9", SuggestionStatus.PENDING), ("W9", SuggestionStatus.APPROVED),
                             ("NW1", SuggestionStatus.PENDING)):
        db.session.add(Suggestion(district=district, proposed={"name": "A lunch club"}, suggested_by_id=s.lead.id,
                                  status=status))


def month_of(day: date) -> date:
    return date(day.year, day.month, 1)
