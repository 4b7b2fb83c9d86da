"""factory_boy factories for every model. Records are committed, like the app commits."""

from __future__ import annotations

import factory
from factory.alchemy import SQLAlchemyModelFactory

from app.accounts.models import User
from app.brokers.models import BrokerProfile
from app.core.timeutil import utcnow
from app.extensions import db
from app.funders.models import FundingBody, FundingBodyKind, FundingOfficer
from app.holders.models import BudgetHolder
from app.hubs.models import Hub, HubDistrict, HubLead
from app.providers.models import ProviderKind, ProviderOrganisation, ProviderStaff

PASSWORD = "correct horse battery staple"
_hash_cache: dict[str, str] = {}


def password_hash(password: str = PASSWORD) -> str:
    from app.accounts.passwords import hash_password

    if password not in _hash_cache:
        _hash_cache[password] = hash_password(password)
    return _hash_cache[password]


class Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class UserFactory(Base):
    class Meta:
        model = User

    name = factory.Faker("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    password_hash = factory.LazyFunction(password_hash)
    email_verified_at = factory.LazyFunction(utcnow)


class BudgetHolderFactory(Base):
    class Meta:
        model = BudgetHolder

    user = factory.SubFactory(UserFactory)
    name = factory.LazyAttribute(lambda o: o.user.name if o.user else "Someone")


class HubFactory(Base):
    class Meta:
        model = Hub

    name = factory.Sequence(lambda n: f"Test Hub {n}")
    slug = factory.Sequence(lambda n: f"test-hub-{n}")

    @factory.post_generation
    def districts(self, create, extracted, **kwargs):
        codes = extracted if extracted is not None else [f"W{9 + self.id * 10}"]
        for code in codes:
            db.session.add(HubDistrict(hub=self, district=code))
        if create:
            db.session.commit()


class HubLeadFactory(Base):
    class Meta:
        model = HubLead

    hub = factory.SubFactory(HubFactory)
    user = factory.SubFactory(UserFactory)


class BrokerProfileFactory(Base):
    class Meta:
        model = BrokerProfile

    user = factory.SubFactory(UserFactory)
    hub = factory.SubFactory(HubFactory)


class ProviderOrganisationFactory(Base):
    class Meta:
        model = ProviderOrganisation

    name = factory.Sequence(lambda n: f"Provider {n} Care")
    kind = ProviderKind.CARE_AGENCY


class ProviderStaffFactory(Base):
    class Meta:
        model = ProviderStaff

    organisation = factory.SubFactory(ProviderOrganisationFactory)
    user = factory.SubFactory(UserFactory)
    is_owner = False


class FundingBodyFactory(Base):
    class Meta:
        model = FundingBody

    name = factory.Sequence(lambda n: f"Borough Council {n}")
    kind = FundingBodyKind.COUNCIL


class FundingOfficerFactory(Base):
    class Meta:
        model = FundingOfficer

    funding_body = factory.SubFactory(FundingBodyFactory)
    user = factory.SubFactory(UserFactory)


# --- Brokers and brokerage -------------------------------------------------------------------

from datetime import timedelta  # noqa: E402

from sqlalchemy import select  # noqa: E402

from app.brokers.models import (  # noqa: E402
    AccreditedCourse,
    BrokerDistrict,
    BrokerStatus,
    BusinessType,
    StandardsAcceptance,
    StandardsVersion,
    Verification,
    VerificationKind,
    VerificationStatus,
)
from app.core.timeutil import today_in_london  # noqa: E402
from app.engagements.models import Band, Engagement  # noqa: E402


class AccreditedCourseFactory(Base):
    class Meta:
        model = AccreditedCourse

    title = factory.Sequence(lambda n: f"Certificate in Support Brokerage {n}")
    awarding_body = "Open College Network London"
    level = "Level 3"


class StandardsVersionFactory(Base):
    class Meta:
        model = StandardsVersion

    number = factory.Sequence(lambda n: n + 1)
    text = factory.LazyAttribute(lambda o: f"Standards version {o.number}: the person is in charge.")


def band(code: str = "A") -> Band:
    return db.session.scalar(select(Band).where(Band.code == code))


def accredited_broker(hub=None, *, name: str | None = None, districts: list[str] | None = None,
                      specialisms=("older_people",), languages=("english",), max_clients: int = 5,
                      accepting: bool = True, accept_standards: bool = True, dbs_age_days: int = 100,
                      insurance_days_left: int = 200):
    """A broker whose whole application was approved by their hub lead."""
    hub = hub or HubFactory()
    profile = BrokerProfileFactory(hub=hub, **({"user__name": name} if name else {}))
    today = today_in_london()
    profile.status = BrokerStatus.APPROVED
    profile.trading_name = profile.user.name
    profile.business_type = BusinessType.SOLE_TRADER
    profile.specialisms, profile.languages = list(specialisms), list(languages)
    profile.profile_text = "I help people plan their support."
    profile.hourly_fee_pence = 4000
    profile.no_conflicts_declared = True
    profile.max_clients, profile.accepting_new_clients = max_clients, accepting
    profile.districts = [BrokerDistrict(district=d) for d in (districts or hub.district_codes)]
    course = AccreditedCourseFactory()
    for kind in VerificationKind:
        evidence = {}
        if kind == VerificationKind.ACCREDITATION:
            evidence = {"course_id": course.id, "reference": "C-1", "issued_on": today - timedelta(days=400)}
        elif kind == VerificationKind.DBS:
            evidence = {"reference": "001234567890", "issued_on": today - timedelta(days=dbs_age_days)}
        elif kind == VerificationKind.INSURANCE:
            evidence = {"reference": "P-1", "provider_name": "Hiscox",
                        "expires_on": today + timedelta(days=insurance_days_left)}
        db.session.add(Verification(broker=profile, kind=kind, status=VerificationStatus.APPROVED,
                                    submitted_at=utcnow(), reviewed_at=utcnow(), **evidence))
    if accept_standards:
        current = db.session.scalar(select(StandardsVersion).order_by(StandardsVersion.number.desc()))
        if current is not None:
            db.session.add(StandardsAcceptance(broker=profile, version=current))
    db.session.commit()
    return profile


def engagement(holder_profile, broker, *, band_code: str = "A") -> Engagement:
    chosen = band(band_code)
    row = Engagement(holder=holder_profile, broker=broker, band=chosen, allocated_minutes=chosen.hours * 60)
    db.session.add(row)
    db.session.commit()
    return row


# --- Providers and needs ------------------------------------------------------------------------

from app.core.reference import DAYS as _DAYS  # noqa: E402
from app.core.reference import PARTS_OF_DAY as _PARTS  # noqa: E402
from app.providers.models import CapacitySlot, ProviderDistrict, ProviderService  # noqa: E402
from app.taxonomy.models import ServiceCategory  # noqa: E402


def category(slug: str = "personal-care") -> ServiceCategory:
    return db.session.scalar(select(ServiceCategory).where(ServiceCategory.slug == slug))


def provider(name: str | None = None, *, verified: bool = True, districts=("W9",), services=("personal-care",),
             slots=((0, "morning"), (1, "morning"), (2, "morning")), owner_name: str | None = None, **profile):
    """A provider organisation with an owner login, its services, districts and spare capacity."""
    staff = ProviderStaffFactory(is_owner=True, **({"organisation__name": name} if name else {}),
                                 **({"user__name": owner_name} if owner_name else {}))
    organisation = staff.organisation
    organisation.services = [ProviderService(category=category(slug)) for slug in services]
    organisation.districts = [ProviderDistrict(district=d) for d in districts]
    organisation.capacity = [CapacitySlot(day=d, part=p, available=(d, p) in set(slots)) for d in _DAYS for p in _PARTS]
    organisation.capacity_updated_at = utcnow()
    if verified:
        organisation.verified_at = utcnow()
        for row in [*organisation.services, *organisation.districts]:
            row.verified_at = organisation.verified_at
    for key, value in profile.items():
        setattr(organisation, key, value)
    db.session.commit()
    return organisation


def directory_entry(name: str = "Maida Vale Befriending", *, categories=("befriending",), districts=("W9",),
                    verified_days_ago: int | None = 10, **fields):
    """A published community service in the directory."""
    from app.directory.models import DirectoryEntry, DirectoryEntryCategory, DirectoryEntryDistrict

    values = {"description": f"{name}: a friendly local service.", "is_free": True}
    values.update(fields)
    entry = DirectoryEntry(name=name, **values)
    if verified_days_ago is not None:
        entry.last_verified_on = today_in_london() - timedelta(days=verified_days_ago)
    entry.categories = [DirectoryEntryCategory(category_id=category(slug).id) for slug in categories]
    entry.districts = [DirectoryEntryDistrict(district=d) for d in districts]
    db.session.add(entry)
    db.session.commit()
    return entry


def agree_and_publish(broker_user, need, **options) -> int:
    """The person agreed by phone to what the need shares (recorded by their broker), then the
    broker publishes it to every verified provider that fits. Returns how many were told."""
    from app.needs import posting, sharing

    sharing.record_sharing(broker_user, need.id, "verbal", "By phone, after hearing what providers will see")
    return posting.publish(broker_user, need.id, **{"response_hours": 48, "visibility": "all_verified",
                                                     "invited_ids": [], **options})


def need_details(**overrides):
    """What a broker types into the need form (as the service takes it), for a need in W9."""
    from app.core.timeutil import today_in_london
    from app.needs import posting

    values = dict(category_id=category("personal-care").id, district="W9", schedule=[(0, "morning")],
                  times_note="8am to 9am", minutes_per_week=300, start_date=today_in_london() + timedelta(days=7),
                  end_date=None, required_skills=[], required_languages=[], worker_gender=None, double_up=False,
                  driver=False, urgency="routine", max_hourly_rate_pence=2600,
                  public_description="Help to get up and dressed each morning.", health_conditions="Type 2 diabetes",
                  address="12 Elgin Avenue, W9 2EG", access_arrangements="Key safe: 1234")
    values.update(overrides)
    return posting.NeedDetails(**values)
