"""Demo data for trying OurChoice locally: `flask --app wsgi demo seed`.

Idempotent: every record is looked up by a natural key first (people by email, brokers by
their user), so running it again creates nothing and changes nothing. Never loaded in
production (the command refuses).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from app.accounts.models import User
from app.accounts.passwords import hash_password
from app.brokers.models import (
    AccreditedCourse,
    BrokerConflict,
    BrokerDistrict,
    BrokerFee,
    BrokerProfile,
    BrokerStatus,
    BusinessType,
    ConflictKind,
    ConflictRelationship,
    StandardsAcceptance,
    StandardsVersion,
    Verification,
    VerificationKind,
    VerificationStatus,
)
from app.core.reference import DAYS, PARTS_OF_DAY, QUALITY_QUESTIONS
from app.core.timeutil import add_working_days, today_in_london, utcnow
from app.demo_directory import seed_directory
from app.engagements.models import (
    Band,
    BrokerRequest,
    Engagement,
    EngagementStatus,
    RequestStatus,
    Review,
    ReviewStatus,
    TimeEntry,
)
from app.extensions import db
from app.funders.models import FundingBody, FundingBodyKind, FundingOfficer
from app.holders.models import BudgetHolder, Consent, ConsentMethod, DelegateAccess, Delegation, DelegationStatus
from app.hubs.models import Hub, HubDistrict, HubLead
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

DEMO_PASSWORD = "ourchoice-demo"  # noqa: S105 - documented demo password, never used in production
HUB_NAME = "Westminster & Kensington Hub"
HUB_DISTRICTS = ["W2", "W9", "W10", "W11", "NW8", "SW1", "SW3", "SW5", "SW7"]

STANDARDS_TEXT = """Standards for associate brokers, written by disabled people

1. The person is in charge. You work for the person, and for nobody else.
2. Be independent. You do not work for, own, or take money from any provider you might recommend. You declare every link you have with a provider or a funder.
3. Listen first. Find out what matters to the person before you talk about services.
4. Give real choices. Show the person every option you know of, including small local and community services, not only the ones you know best.
5. Use plain words. Give information in the way the person asks for: easy read, large print, British Sign Language or their own language.
6. Keep the person safe. Know how to raise a safeguarding concern, and protect people from financial as well as physical abuse.
7. Respect privacy. Share the person's information only with their consent and only with those who need it.
8. Record your time honestly, against the band agreed, and ask your hub lead before you go over it.
9. Keep learning. Keep your accreditation, DBS check and insurance up to date.
10. Welcome feedback. Every person you work with is asked how you did, and what they say is published."""


class Seeder:
    def __init__(self) -> None:
        self.created = 0
        self._password_hash: str | None = None
        self.today = today_in_london()
        self.now = utcnow()

    def get_or_create(self, model, lookup: dict[str, Any], **values) -> Any:
        instance = db.session.scalar(select(model).filter_by(**lookup))
        if instance is None:
            instance = model(**lookup, **values)
            db.session.add(instance)
            db.session.flush()
            self.created += 1
        return instance

    def add(self, instance) -> Any:
        db.session.add(instance)
        db.session.flush()
        self.created += 1
        return instance

    def user(self, email: str, name: str, **values) -> User:
        if self._password_hash is None:
            self._password_hash = hash_password(DEMO_PASSWORD)
        return self.get_or_create(
            User, {"email": email}, name=name, password_hash=self._password_hash,
            email_verified_at=utcnow(), **values,
        )

    def days_ago(self, days: int):
        return self.now - timedelta(days=days)


def seed() -> int:
    s = Seeder()
    hub = s.get_or_create(
        Hub, {"slug": "westminster-kensington"}, name=HUB_NAME,
        description="Central and west London: Paddington, Maida Vale, Notting Hill, St John's Wood, "
                    "Westminster, Chelsea and South Kensington.",
        agreement_start=date(2026, 4, 1), agreement_signed_on=date(2026, 3, 12),
        agreement_fee_arrangement="8% of brokerage fees, paid quarterly to the centre, in return for the "
                                  "portal, accredited training and the quality network.",
        agreement_reference="CIL-AA-2026-014",
    )
    for code in HUB_DISTRICTS:
        s.get_or_create(HubDistrict, {"district": code}, hub_id=hub.id)

    council = s.get_or_create(FundingBody, {"name": "Westminster City Council"}, kind=FundingBodyKind.COUNCIL)
    s.get_or_create(FundingBody, {"name": "NHS North West London"}, kind=FundingBodyKind.HEALTH)

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

    admin = s.user("admin@demo.test", "Morgan Ellis", is_platform_admin=True)

    _seed_brokerage(s, hub, lead, admin, grace)
    _seed_market(s, agency, provider_user, lead)
    seed_directory(s, lead, holder_user, provider_user)
    db.session.commit()
    return s.created


def _seed_brokerage(s: Seeder, hub: Hub, lead: User, admin: User, grace: BudgetHolder) -> None:
    ocn = s.get_or_create(AccreditedCourse, {"title": "Certificate in Independent Support Brokerage"},
                          awarding_body="Open College Network London", level="Level 3")
    s.get_or_create(AccreditedCourse, {"title": "Person-centred Support Planning"},
                    awarding_body="Open College Network London", level="Level 2")
    s.get_or_create(AccreditedCourse, {"title": "Diploma in Self-Directed Support and Brokerage"},
                    awarding_body="National Brokerage Network", level="Level 4")
    standards = s.get_or_create(StandardsVersion, {"number": 1}, text=STANDARDS_TEXT,
                                summary_of_changes="First version, agreed by the CIL members' forum.",
                                published_by_id=admin.id)
    bands = {b.code: b for b in db.session.scalars(select(Band))}

    daniel = _broker(s, "broker@demo.test", "Daniel Price", hub, lead, ocn, standards, bands, trading_name="Daniel Price Brokerage",
                     specialisms=["older_people", "physical_disability", "end_of_life"], languages=["english", "yoruba"],
                     districts=["W2", "W9", "W10"], fees={"A": 45000, "B": 67500, "C": 112500}, hourly=4500,
                     profile="I worked for twelve years as a personal assistant before training as a broker. I help "
                             "older people and people with physical impairments get the support they want at home, "
                             "and I am good at untangling money from more than one funder.",
                     lived="My mother used a personal budget for ten years.", max_clients=8)
    fatima = _broker(s, "fatima.rahman@demo.test", "Fatima Rahman", hub, lead, ocn, standards, bands,
                     trading_name="Rahman Support Planning", company_number="12345678",
                     specialisms=["learning_disability", "autism", "transition"],
                     languages=["english", "bengali", "urdu"], districts=["W2", "W11"], fees={"A": 42000, "B": 63000},
                     profile="I support young people moving to adult services and adults with a learning "
                             "disability or autism. I use easy read and pictures, and I take time.",
                     lived="I am autistic.", max_clients=6)
    tomasz = _broker(s, "tomasz.nowak@demo.test", "Tomasz Nowak", hub, lead, ocn, standards, bands,
                     specialisms=["mental_health", "physical_disability"], languages=["english", "polish"],
                     districts=["NW8", "SW1", "W9"], fees={}, hourly=4000,
                     profile="Mental health recovery and independent living. I know the voluntary sector in "
                             "Westminster well, including the small groups that never make it into directories.",
                     max_clients=10, conflict=("Marylebone Mind", ConflictKind.PROVIDER, ConflictRelationship.FAMILY,
                                               "My partner is a volunteer coordinator there."))
    _broker(s, "helen.li@demo.test", "Helen Li", hub, lead, ocn, standards, bands,
            specialisms=["sensory_impairment", "older_people"], languages=["english", "bsl", "cantonese"],
            districts=["SW3", "SW5", "SW7"], fees={"A": 48000}, profile="I sign (BSL) and work with Deaf and deafblind "
            "people and older people with sight loss.", max_clients=3, accepting=False, dbs_issued_days_ago=3 * 365 - 20)
    _broker(s, "aisha.mohamed@demo.test", "Aisha Mohamed", hub, lead, ocn, standards, bands,
            specialisms=["older_people", "mental_health"], languages=["english", "somali", "arabic"],
            districts=["W10", "W11"], fees={"A": 40000}, profile="Somali and Arabic speaking broker for older people "
            "and carers.", max_clients=6, insurance_expired=True)
    _broker(s, "ruth.campbell@demo.test", "Ruth Campbell", hub, lead, ocn, standards, bands,
            specialisms=["end_of_life", "older_people"], languages=["english"], districts=["SW1", "SW3"],
            fees={"A": 46000}, profile="Former hospice social worker, now an independent broker.", status="submitted")
    _broker(s, "kwame.boateng@demo.test", "Kwame Boateng", hub, lead, ocn, standards, bands,
            specialisms=[], languages=[], districts=[], fees={}, profile="", status="draft")

    # Grace works with Daniel; her daughter can act for her.
    if db.session.scalar(select(Engagement).where(Engagement.holder_id == grace.id)) is None:
        request = s.add(BrokerRequest(
            holder=grace, broker=daniel, status=RequestStatus.ACCEPTED, created_at=s.days_ago(24),
            respond_by=s.days_ago(17), responded_at=s.days_ago(23), sent_by_id=grace.user_id,
            help_wanted=["planning", "organising"],
            message="I have had a stroke and want help at home so I can keep going to my church group.",
            consent=s.add(Consent(holder=grace, broker=daniel, purpose="share_with_broker", method=ConsentMethod.ONLINE,
                                  recorded_by_id=grace.user_id, given_at=s.days_ago(24))),
        ))
        engagement = s.add(Engagement(holder=grace, broker=daniel, request=request, band=bands["A"],
                                       allocated_minutes=bands["A"].hours * 60, started_at=s.days_ago(23)))
        for days, minutes, function, note in [
            (22, 90, "informing", "First visit at home. Talked about what matters: church, garden, independence."),
            (18, 120, "planning", "Drafted support plan outcomes with Grace and her daughter."),
            (11, 75, "negotiating", "Call with the council about the indicative budget."),
            (4, 60, "organising", "Shortlisted home care agencies serving W9."),
        ]:
            s.add(TimeEntry(engagement=engagement, worked_on=s.today - timedelta(days=days), minutes=minutes,
                            function=function, note=note, logged_by_id=daniel.user_id))
    ada = s.user("ada.okafor@demo.test", "Ada Okafor")
    s.get_or_create(Delegation, {"holder_id": grace.id, "user_id": ada.id}, email=ada.email, name=ada.name,
                    relationship_to_holder="daughter", access=DelegateAccess.ACT, status=DelegationStatus.ACTIVE,
                    invited_at=s.days_ago(20), expires_at=s.days_ago(6), accepted_at=s.days_ago(19),
                    invited_by_id=grace.user_id)

    # Sam asked Daniel and is waiting; Peter has no login (Tomasz made his record after a phone call);
    # Joan worked with Fatima and reviewed her.
    sam_user = s.user("sam.patel@demo.test", "Sam Patel")
    sam = s.get_or_create(BudgetHolder, {"user_id": sam_user.id}, name=sam_user.name, district="W2")
    if db.session.scalar(select(BrokerRequest).where(BrokerRequest.holder_id == sam.id)) is None:
        s.add(BrokerRequest(
            holder=sam, broker=daniel, created_at=s.days_ago(1), respond_by=add_working_days(s.days_ago(1), 5),
            sent_by_id=sam_user.id, help_wanted=["informing", "planning"],
            message="I use a wheelchair and want help to get back to work part-time.",
            consent=s.add(Consent(holder=sam, broker=daniel, purpose="share_with_broker", method=ConsentMethod.ONLINE,
                                  recorded_by_id=sam_user.id)),
        ))
    if db.session.scalar(select(BudgetHolder).where(BudgetHolder.name == "Peter Johnson")) is None:
        peter = s.add(BudgetHolder(name="Peter Johnson", district="NW8", created_by_id=tomasz.user_id))
        s.add(Consent(holder=peter, broker=tomasz, purpose="share_with_broker", method=ConsentMethod.VERBAL,
                      recorded_by_id=tomasz.user_id, note="By phone on the day the record was made, after I "
                      "explained what I keep and who sees it."))
        s.add(Engagement(holder=peter, broker=tomasz, band=bands["B"], allocated_minutes=bands["B"].hours * 60,
                         started_at=s.days_ago(9)))
    joan_user = s.user("joan.baptiste@demo.test", "Joan Baptiste")
    joan = s.get_or_create(BudgetHolder, {"user_id": joan_user.id}, name=joan_user.name, district="W11")
    if db.session.scalar(select(Engagement).where(Engagement.holder_id == joan.id)) is None:
        past = s.add(Engagement(holder=joan, broker=fatima, band=bands["A"], allocated_minutes=600,
                                status=EngagementStatus.ENDED, started_at=s.days_ago(120), ended_at=s.days_ago(40),
                                ended_by_id=fatima.user_id, end_reason="Support plan signed off and services started."))
        s.add(TimeEntry(engagement=past, worked_on=s.today - timedelta(days=100), minutes=540, function="planning",
                        note="Support plan, over several visits.", logged_by_id=fatima.user_id))
        s.add(Review(engagement=past, broker_id=fatima.id, rating=5, submitted_by_id=joan_user.id,
                     comment="Fatima explained everything in easy read and never rushed my son. He now goes to "
                             "college three days a week with a PA he chose.",
                     answers=dict.fromkeys(QUALITY_QUESTIONS, "yes"),
                     status=ReviewStatus.PUBLISHED, submitted_at=s.days_ago(38), moderated_at=s.days_ago(37),
                     moderated_by_id=lead.id, reply="Thank you, Joan. It was a pleasure.", replied_at=s.days_ago(36),
                     reply_status=ReviewStatus.PUBLISHED, reply_moderated_at=s.days_ago(35),
                     reply_moderated_by_id=lead.id))


def _broker(s: Seeder, email: str, name: str, hub: Hub, lead: User, course: AccreditedCourse,
            standards: StandardsVersion, bands: dict[str, Band], *, specialisms: list[str], languages: list[str],
            districts: list[str], fees: dict[str, int], profile: str, trading_name: str = "", lived: str = "",
            company_number: str | None = None, hourly: int | None = None, max_clients: int = 8, accepting: bool = True,
            status: str = "approved", dbs_issued_days_ago: int = 400, insurance_expired: bool = False,
            conflict: tuple | None = None) -> BrokerProfile:
    """An associate broker in a given state of their application (created once)."""
    user = s.user(email, name)
    existing = db.session.scalar(select(BrokerProfile).where(BrokerProfile.user_id == user.id))
    if existing is not None and existing.trading_name:
        return existing
    broker = existing or s.add(BrokerProfile(user=user, hub=hub))
    broker.hub = hub
    broker.status = BrokerStatus(status)
    if status == "draft":
        return broker
    broker.trading_name = trading_name or name
    broker.business_type = BusinessType.COMPANY if company_number else BusinessType.SOLE_TRADER
    broker.company_number = company_number
    broker.specialisms, broker.languages = specialisms, languages
    broker.profile_text, broker.lived_experience = profile, lived
    broker.hourly_fee_pence, broker.max_clients, broker.accepting_new_clients = hourly, max_clients, accepting
    broker.districts = [BrokerDistrict(district=d) for d in districts]
    broker.fees = [BrokerFee(band_id=bands[code].id, pence=pence) for code, pence in fees.items()]
    if conflict:
        organisation, kind, relationship, details = conflict
        broker.conflicts = [BrokerConflict(organisation=organisation, kind=kind, relationship_type=relationship,
                                           details=details)]
    else:
        broker.no_conflicts_declared = True
    submitted = s.days_ago(200 if status == "approved" else 3)
    broker.submitted_at = submitted
    decided = status == "approved"
    row_status = VerificationStatus.APPROVED if decided else VerificationStatus.PENDING
    review = {"reviewed_at": s.days_ago(190), "reviewer_id": lead.id} if decided else {}
    insurance_end = s.today - timedelta(days=2) if insurance_expired else s.today + timedelta(days=250)
    for kind, evidence in [
        (VerificationKind.BUSINESS, {"reference": company_number or ""}),
        (VerificationKind.ACCREDITATION, {"course_id": course.id, "reference": f"OCN-{user.id:05d}",
                                          "issued_on": s.today - timedelta(days=700)}),
        (VerificationKind.DBS, {"reference": f"00{user.id:010d}", "issued_on": s.today - timedelta(days=dbs_issued_days_ago)}),
        (VerificationKind.INSURANCE, {"provider_name": "Hiscox", "reference": f"PI-{user.id:06d}",
                                      "expires_on": insurance_end}),
        (VerificationKind.CONFLICTS, {}),
        (VerificationKind.PROFILE, {}),
    ]:
        s.add(Verification(broker=broker, kind=kind, status=row_status, submitted_at=submitted, **evidence, **review))
    if decided:
        broker.approved_at = s.days_ago(190)
        s.add(StandardsAcceptance(broker=broker, version=standards, accepted_at=s.days_ago(189)))
    return broker


# --- The market: providers of every type, needs in every state -------------------------------------


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


def _seed_market(s: Seeder, agency: ProviderOrganisation, owner: User, lead: User) -> None:
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
        row = Need(holder=holder, broker=broker, posted_by_id=broker.user_id, status=status,
                   category=_category(slug), district=district, created_at=s.days_ago((published or 0) + 1),
                   start_date=s.today + timedelta(days=7), **values)
        row.private = NeedPrivateDetails(**private)
        if published is not None:
            row.published_at = s.days_ago(published)
            row.deadline_at = row.published_at + timedelta(hours=row.response_hours)
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
    # Open, with two offers
    open_need = need(grace, daniel, NeedStatus.OPEN, "personal-care", "W9", published_days_ago=0,
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
    # Filled: help at home, with an active agreement
    filled = need(grace, daniel, NeedStatus.FILLED, "help-at-home", "W9", published_days_ago=14, response_hours=48,
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
    s.add(Gap(need=gap_need, reason=GapReason.UNFILLED, flagged_at=s.days_ago(2),
              response="We are talking to the Polish Social and Cultural Association about volunteer befrienders.",
              responded_at=s.days_ago(1), responded_by_id=lead.id))
