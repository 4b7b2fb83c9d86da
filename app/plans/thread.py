"""The plan's thread and who is told: the person and the helpers who can act for them, their broker,
and (once the plan has been submitted) the funding body's officers; never the one who did it."""

from __future__ import annotations

from app.core import audit
from app.core.errors import DomainError, PermissionDenied
from app.core.notifications import notify, register_kind
from app.core.timeutil import utcnow
from app.engagements.clients import current_broker_of
from app.extensions import db
from app.holders.services import people_to_tell
from app.plans.models import PlanMessage, SupportPlan
from app.plans.policies import FUNDER, PlanAccess, can_write

PLAN_NEWS = register_kind("plans", "Support plans: changes asked for, decisions, signatures, reviews and messages")
MESSAGE_LIMIT = 4000


def plan_link(plan: SupportPlan) -> str:
    return f"/people/{plan.holder_id}/plans/{plan.id}"


def parties(plan: SupportPlan) -> list:
    """Everyone with a part in the plan now."""
    people = list(people_to_tell(plan.holder))
    broker = current_broker_of(plan.holder)
    if broker is not None and broker.user.is_active:
        people.append(broker.user)
    if plan.versions:
        people.extend(officer.user for officer in plan.funding_body.officers if officer.user.is_active)
    unique = {}
    for person in people:
        unique.setdefault(person.id, person)
    return list(unique.values())


def tell(plan: SupportPlan, actor, title: str, body: str = "") -> None:
    for person in parties(plan):
        if actor is None or person.id != actor.id:
            notify(person, PLAN_NEWS.key, title, body, plan_link(plan))


def event(plan: SupportPlan, access: PlanAccess | None, text: str, *, news: str | None = None) -> PlanMessage:
    """A line in the thread for a move of the plan, and a notification to everyone else (`news`, when
    the line carries words that should stay on the page rather than go out by email)."""
    user = access.user if access else None
    message = PlanMessage(plan=plan, author_id=user.id if user else None,
                          on_behalf_of_id=getattr(access.on_behalf_of, "id", None) if access else None,
                          author_role=access.role if access else "system", body=text, is_event=True, at=utcnow())
    db.session.add(message)
    news = news or text
    tell(plan, user, f"{plan.holder.name}'s support plan for {plan.funding_body.name}: {news}"[:200], news)
    return message


def post(access: PlanAccess, plan: SupportPlan, body: str) -> PlanMessage:
    if not can_write(access, plan):
        raise PermissionDenied("You can read this plan's messages but not write in them.")
    body = (body or "").strip()
    if not body:
        raise DomainError("Write your message", field="body")
    if len(body) > MESSAGE_LIMIT:
        raise DomainError(f"Your message must be {MESSAGE_LIMIT} characters or fewer", field="body")
    message = PlanMessage(plan=plan, author_id=access.user.id, on_behalf_of_id=getattr(access.on_behalf_of, "id", None),
                          author_role=access.role, body=body, at=utcnow())
    db.session.add(message)
    audit.record("plan.message_posted", actor=access.user, on_behalf_of=access.on_behalf_of, holder=plan.holder,
                 obj=plan)
    # The words stay on the page (they may be about health): the notification and its email only say who wrote.
    tell(plan, access.user, f"New message about {plan.holder.name}'s support plan",
         f"{access.user.name} wrote a message about the plan for {plan.funding_body.name}. Sign in to read it.")
    return message


def visible_messages(access: PlanAccess, plan: SupportPlan) -> list[PlanMessage]:
    """The thread; a funder officer reads it from the first submission on (not the drafting before)."""
    if access.role != FUNDER or not plan.versions:
        return list(plan.messages)
    since = plan.versions[0].submitted_at
    return [m for m in plan.messages if m.at >= since]
