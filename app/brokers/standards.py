"""The accredited course list and the broker standards (versioned; every broker accepts the
current version before taking new clients)."""

from __future__ import annotations

from sqlalchemy import func, select

from app.accounts.models import User
from app.brokers import rules
from app.brokers.models import AccreditedCourse, BrokerProfile, StandardsAcceptance, StandardsVersion
from app.brokers.parts import APPLICATIONS
from app.brokers.policies import broker_of
from app.core import audit
from app.core.errors import DomainError
from app.core.notifications import notify
from app.core.permissions import IsAdmin, ensure
from app.core.records import get_or_404
from app.core.urls import path_for
from app.extensions import db


def all_courses() -> list[AccreditedCourse]:
    return list(db.session.scalars(select(AccreditedCourse).order_by(AccreditedCourse.active.desc(),
                                                                     AccreditedCourse.title)))


def add_course(actor: User, *, title: str, awarding_body: str, level: str) -> AccreditedCourse:
    ensure(IsAdmin, actor, hide=False)
    title, awarding_body, level = title.strip(), awarding_body.strip(), level.strip()
    if db.session.scalar(select(AccreditedCourse).where(
            func.lower(AccreditedCourse.title) == title.lower(),
            func.lower(AccreditedCourse.awarding_body) == awarding_body.lower(),
            func.lower(AccreditedCourse.level) == level.lower())):
        raise DomainError("This course is already on the list", field="title")
    course = AccreditedCourse(title=title, awarding_body=awarding_body, level=level)
    db.session.add(course)
    db.session.flush()
    audit.record("course.added", actor=actor, obj=course)
    return course


def toggle_course(actor: User, course_id: int) -> AccreditedCourse:
    """Take a course off the list offered to new applicants, or put it back. Brokers already
    approved with it keep their accreditation."""
    ensure(IsAdmin, actor, hide=False)
    course = get_or_404(AccreditedCourse, course_id)
    course.active = not course.active
    audit.record("course.active_changed", actor=actor, obj=course, active=course.active)
    return course


def versions() -> list[StandardsVersion]:
    return list(db.session.scalars(select(StandardsVersion).order_by(StandardsVersion.number.desc())))


def publish(actor: User, *, text: str, summary_of_changes: str) -> StandardsVersion:
    """Publish a new version. Every broker must accept it before taking new clients."""
    ensure(IsAdmin, actor, hide=False)
    if not text.strip():
        raise DomainError("Enter the text of the standards", field="text")
    current = rules.current_standards()
    if current is not None and current.text.strip() == text.strip():
        raise DomainError("This is the same as the current version", field="text")
    number = (current.number if current else 0) + 1
    version = StandardsVersion(number=number, text=text.strip(), summary_of_changes=summary_of_changes.strip(),
                               published_by_id=actor.id)
    db.session.add(version)
    db.session.flush()
    audit.record("standards.published", actor=actor, obj=version, number=number)
    for broker in db.session.scalars(select(BrokerProfile)):
        if broker.user.is_active:
            notify(broker.user, APPLICATIONS.key, f"Broker standards version {number} has been published",
                   "Read and accept it before you take new clients. Your current clients are not affected.",
                   path_for("brokers.standards"))
    return version


def accept_current(user: User) -> StandardsAcceptance:
    broker = broker_of(user)
    current = rules.current_standards()
    if current is None:
        raise DomainError("No standards have been published yet")
    if rules.has_accepted_current_standards(broker):
        raise DomainError(f"You have already accepted version {current.number}")
    acceptance = StandardsAcceptance(broker=broker, version=current)
    db.session.add(acceptance)
    db.session.flush()
    audit.record("standards.accepted", actor=user, obj=acceptance, number=current.number)
    return acceptance
