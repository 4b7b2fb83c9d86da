"""Demo brokers and their work: courses, standards, accredited brokers, requests, engagements,
time and reviews."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.accounts.models import User
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
from app.core.reference import QUALITY_QUESTIONS
from app.core.timeutil import add_working_days
from app.demo.seeder import Seeder
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
from app.holders.models import BudgetHolder, Consent, ConsentMethod, DelegateAccess, Delegation, DelegationStatus
from app.hubs.models import Hub

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


def seed_brokerage(s: Seeder, hub: Hub, lead: User, admin: User, grace: BudgetHolder) -> None:
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
                                       allocated_minutes=bands["A"].hours * 60, started_at=s.days_ago(23),
                                       agreed_band_fee_pence=daniel.fee_for_band(bands["A"].id),
                                       agreed_hourly_fee_pence=daniel.hourly_fee_pence))
        for days, minutes, function, note in [
            (22, 90, "informing", "First visit at home. Talked about what matters: church, garden, independence."),
            (18, 120, "planning", "Drafted support plan outcomes with Grace and her daughter."),
            (11, 75, "negotiating", "Call with the council about the indicative budget."),
            (4, 60, "organising", "Shortlisted home care agencies serving W9."),
        ]:
            s.add(TimeEntry(engagement=engagement, worked_on=s.today - timedelta(days=days), minutes=minutes,
                            function=function, note=note, logged_by_id=daniel.user_id, created_at=s.days_ago(days)))
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
                                  recorded_by_id=sam_user.id, given_at=s.days_ago(1))),
        ))
    if db.session.scalar(select(BudgetHolder).where(BudgetHolder.name == "Peter Johnson")) is None:
        peter = s.add(BudgetHolder(name="Peter Johnson", district="NW8", created_by_id=tomasz.user_id,
                                   created_at=s.days_ago(9)))
        s.add(Consent(holder=peter, broker=tomasz, purpose="share_with_broker", method=ConsentMethod.VERBAL,
                      recorded_by_id=tomasz.user_id, given_at=s.days_ago(9), note="By phone on the day the record was made, after I "
                      "explained what I keep and who sees it."))
        s.add(Engagement(holder=peter, broker=tomasz, band=bands["B"], allocated_minutes=bands["B"].hours * 60,
                         started_at=s.days_ago(9), agreed_band_fee_pence=tomasz.fee_for_band(bands["B"].id),
                         agreed_hourly_fee_pence=tomasz.hourly_fee_pence))
    joan_user = s.user("joan.baptiste@demo.test", "Joan Baptiste")
    joan = s.get_or_create(BudgetHolder, {"user_id": joan_user.id}, name=joan_user.name, district="W11")
    if db.session.scalar(select(Engagement).where(Engagement.holder_id == joan.id)) is None:
        past = s.add(Engagement(holder=joan, broker=fatima, band=bands["A"], allocated_minutes=600,
                                status=EngagementStatus.ENDED, started_at=s.days_ago(120), ended_at=s.days_ago(40),
                                ended_by_id=fatima.user_id, end_reason="Support plan signed off and services started."))
        s.add(TimeEntry(engagement=past, worked_on=s.today - timedelta(days=100), minutes=540, function="planning",
                        note="Support plan, over several visits.", logged_by_id=fatima.user_id,
                        created_at=s.days_ago(100)))
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
        s.add(Verification(broker=broker, kind=kind, status=row_status, created_at=submitted, submitted_at=submitted,
                           **evidence, **review))
    if decided:
        broker.approved_at = s.days_ago(190)
        s.add(StandardsAcceptance(broker=broker, version=standards, accepted_at=s.days_ago(189)))
    return broker


# --- The market: providers of every type, needs in every state -------------------------------------
