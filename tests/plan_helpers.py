"""Building support plan worlds: Grace with her broker, her company and streams (a council in the
portal with an officer), a helper who can act and one who can only view; and a plan written in
full, ready to submit."""

from __future__ import annotations

from datetime import timedelta

from app.core.timeutil import today_in_london, utcnow
from app.extensions import db
from app.holders.models import DelegateAccess, Delegation, DelegationStatus
from app.plans import services as plans
from app.plans.access import open_plan
from tests.factories import UserFactory
from tests.money_helpers import company_and_streams

WORDS = {
    "own_words": "I want to live in my own flat and choose who helps me.",
    "about_me": "I am Grace. I live in Maida Vale. I love gardening and my grandchildren.",
    "important_to_me": "Seeing my family every week. Going to church on Sundays.",
    "outcomes": "Get up and dressed by 9 each morning\nGo to church every Sunday",
    "risks": "I can fall in the shower. A rail is fitted and my PA is with me.",
    "emergency": "Call my daughter Ada on 07700 900123. The agency sends cover.",
    "who_helped": "My broker Daniel and my daughter Ada.",
    "unpaid_support": "Ada does my shopping on Saturdays.",
}


def helps(user, holder, access=DelegateAccess.ACT) -> Delegation:
    delegation = Delegation(holder=holder, user_id=user.id, email=user.email, name=user.name, access=access,
                            status=DelegationStatus.ACTIVE, invited_by_id=holder.user_id, accepted_at=utcnow(),
                            expires_at=utcnow() + timedelta(days=14))
    db.session.add(delegation)
    db.session.commit()
    return delegation


def plan_world(world) -> dict:
    person = world["person"]
    company, streams, officer = company_and_streams(person)
    actor, viewer = UserFactory(name="Ada Okafor"), UserFactory(name="Sam Viewer")
    helps(actor, person)
    helps(viewer, person, DelegateAccess.VIEW)
    return {**world, "company": company, "streams": streams, "officer": officer,
            "body": streams["council"].funding_body, "actor": actor, "viewer": viewer}


def access_of(user, plan):
    return open_plan(user, plan.holder_id, plan.id)[0]


def written_plan(w, *, by=None, cost: int = 1_200_000, start=None):
    """A plan for the council with every part filled in, one line paid from the council stream
    and one unpaid; not submitted."""
    person = w["person"]
    author = by or person.user
    access, _ = plans.plans_for(author, person.id)
    plan = plans.create_plan(access, w["body"].id)
    for key, text in WORDS.items():
        plans.save_section(access, plan, key, text)
    plans.save_money(access, plan, "my_company", "I run my own company. Ada keeps the records with me.")
    plans.save_start(access, plan, start or today_in_london() + timedelta(days=7), 6)
    plans.add_line(access, plan, plans.LineDetails(
        need="Washing and dressing each morning", support="A personal assistant", given_by="provider",
        given_by_name="Maida Vale Care", quantity="7 hours a week", cost_pence=cost, paid_by="stream",
        funding_stream_id=w["streams"]["council"].id))
    plans.add_line(access, plan, plans.LineDetails(
        need="Shopping", support="Ada does the shopping", given_by="family", given_by_name="Ada",
        quantity="Saturdays", cost_pence=None, paid_by="unpaid"))
    db.session.commit()
    return plan


def submitted(w, plan):
    plans.submit(access_of(w["person"].user, plan), plan, agreed=True)
    db.session.commit()


def signed(w, plan):
    """Submitted, approved and signed by both sides."""
    submitted(w, plan)
    plans.approve(access_of(w["officer"], plan), plan)
    plans.sign(access_of(w["person"].user, plan), plan, confirmed=True)
    plans.sign(access_of(w["officer"], plan), plan, confirmed=True)
    db.session.commit()
