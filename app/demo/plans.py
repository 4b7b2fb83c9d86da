"""The demo's support plans: Grace's plan signed by both and in force, with its yearly review due
next month; Rose's plan waiting in the council officer's queue; Sam's plan sent back with a change
request; and Joan's plan whose review is overdue. Written through the services (so versions,
hashes, signatures and the thread are real), then dated into the past."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.core.models import Notification
from app.demo.seeder import Seeder
from app.extensions import db
from app.funders.models import FundingBody
from app.holders.models import BudgetHolder
from app.ledger import services as ledger
from app.plans import services as plans
from app.plans.access import open_plan
from app.plans.models import IndicativeBudget, PlanReview, ReviewKind, SupportPlan

WORDS = {
    "about_me": "I am {name}. I live in {district} and I have lived in London all my life.",
    "important_to_me": "My family, my friends at church, and doing things for myself where I can.",
    "outcomes": "Get up, washed and dressed by 9 each morning\nGo out to see friends twice a week\n"
                "Stay safe at home",
    "risks": "I can fall when I am tired. I have a pendant alarm and my assistant checks in each evening.",
    "emergency": "My daughter is my first contact. If my assistant cannot come, the agency sends cover.",
    "who_helped": "My broker and my family.",
}


def _access(user, plan):
    return open_plan(user, plan.holder_id, plan.id)[0]


def _write(holder: BudgetHolder, author, council: FundingBody, *, own_words: str, cost: int, stream=None,
           start=None) -> SupportPlan:
    access, _ = plans.plans_for(author, holder.id)
    plan = plans.create_plan(access, council.id)
    plans.save_section(access, plan, "own_words", own_words)
    for key, text in WORDS.items():
        plans.save_section(access, plan, key, text.format(name=holder.name.split()[0], district=holder.district))
    plans.save_money(access, plan, "my_company" if stream else "direct_payment",
                     "I make the decisions. My family helps me keep the records.")
    plans.save_start(access, plan, start, 6)
    paid = {"paid_by": "stream", "funding_stream_id": stream.id} if stream else {"paid_by": "indicative"}
    plans.add_line(access, plan, plans.LineDetails(
        need="Help to wash and dress each morning", support="A personal assistant, chosen by me",
        given_by="provider", given_by_name="", quantity="7 hours a week", cost_pence=cost, **paid))
    plans.add_line(access, plan, plans.LineDetails(
        need="Getting out to see friends", support="A lift from a neighbour", given_by="community",
        given_by_name="", quantity="Once a week", cost_pence=None, paid_by="unpaid"))
    return plan


def _signed(plan: SupportPlan, holder_user, officer) -> None:
    plans.submit(_access(holder_user, plan), plan, agreed=True)
    plans.approve(_access(officer, plan), plan)
    plans.sign(_access(holder_user, plan), plan, confirmed=True)
    plans.sign(_access(officer, plan), plan, confirmed=True)


def _backdate(plan: SupportPlan, s: Seeder, days: int) -> None:
    """Everything that happened to the plan, moved `days` into the past."""
    shift = timedelta(days=days)
    for record in [plan, *plan.messages, *plan.edits, *plan.versions]:
        for name in ("created_at", "updated_at", "at", "submitted_at", "approved_at"):
            if getattr(record, name, None) is not None:
                setattr(record, name, getattr(record, name) - shift)
    for version in plan.versions:
        for item in [*version.signatures, *version.change_requests]:
            for name in ("signed_at", "at"):
                if getattr(item, name, None) is not None:
                    setattr(item, name, getattr(item, name) - shift)


def _first_review_line(plan: SupportPlan, due_on) -> None:
    """The thread's line about the first review names the date it was booked for."""
    for message in plan.messages:
        if message.is_event and "first review is booked" in message.body:
            message.body = message.body.split(" The first review")[0] + \
                f" The first review is booked for {due_on.strftime('%-d %B %Y')}."


def _holder(s: Seeder, email: str, name: str, district: str) -> BudgetHolder:
    user = s.user(email, name)
    return s.get_or_create(BudgetHolder, {"user_id": user.id}, name=name, district=district)


def seed_plans(s: Seeder, grace: BudgetHolder) -> None:
    council = db.session.scalar(select(FundingBody).where(FundingBody.name == "Westminster City Council"))
    if db.session.scalar(select(SupportPlan).where(SupportPlan.holder_id == grace.id)) is not None:
        return
    officer = db.session.scalar(select(User).where(User.email == "funder@demo.test"))
    broker = db.session.scalar(select(User).where(User.email == "broker@demo.test"))
    stream = next(st for st in ledger.company_of(grace).streams if st.funding_body_id == council.id)
    # Grace: signed eleven months ago; the first review was done; the yearly review is due next month.
    start = s.today - timedelta(days=335)
    plan = _write(grace, broker, council, own_words="I want to stay in my own home and choose who helps me.",
                  cost=stream.allocation_pence * 8 // 10, stream=stream, start=start)
    _signed(plan, grace.user, officer)
    first = plan.open_review
    first.due_on, first.done_at, first.done_by_id = start + timedelta(weeks=6), s.days_ago(285), officer.id
    first.notes = "Mornings are going well. Grace would like to get out more."
    ratings = ["met", "partly", "met"]
    first.ratings = [{"outcome": o, "rating": r} for o, r in zip(plans.outcomes_to_rate(plan), ratings, strict=True)]
    db.session.flush()
    s.add(PlanReview(plan=plan, version_id=plan.in_force_version.id, kind=ReviewKind.ANNUAL,
                     due_on=s.today + timedelta(days=30)))
    _first_review_line(plan, first.due_on)
    s.add(IndicativeBudget(holder_id=grace.id, funding_body_id=council.id, amount_pence=stream.allocation_pence,
                           set_by_id=officer.id, set_at=s.days_ago(345)))
    _backdate(plan, s, 340)
    # Rose: submitted three days ago, waiting in the officer's queue.
    rose = _holder(s, "rose.bennett@demo.test", "Rose Bennett", "W2")
    plan = _write(rose, rose.user, council, own_words="I want to get back to my choir.", cost=950_000,
                  start=s.today + timedelta(days=21))
    s.add(IndicativeBudget(holder_id=rose.id, funding_body_id=council.id, amount_pence=1_000_000,
                           set_by_id=officer.id, set_at=s.days_ago(20)))
    plans.submit(_access(rose.user, plan), plan, agreed=True)
    _backdate(plan, s, 3)
    # Sam: submitted last week, sent back asking for more about the risks.
    sam = db.session.scalar(select(BudgetHolder).where(BudgetHolder.name == "Sam Patel"))
    plan = _write(sam, sam.user, council, own_words="I want to work part-time again.", cost=780_000,
                  start=s.today + timedelta(days=28))
    plans.submit(_access(sam.user, plan), plan, agreed=True)
    plans.ask_for_changes(_access(officer, plan), plan, ["risks"],
                          "Please say how you get to work safely on days your assistant is not with you.")
    _backdate(plan, s, 5)
    # Joan: signed over a year ago; the yearly review was due three weeks ago.
    joan = db.session.scalar(select(BudgetHolder).where(BudgetHolder.name == "Joan Baptiste"))
    plan = _write(joan, joan.user, council, own_words="I want my son to go to college with a PA he chose.",
                  cost=1_100_000, start=s.today - timedelta(days=400))
    _signed(plan, joan.user, officer)
    first = plan.open_review
    first.due_on, first.done_at, first.done_by_id = s.today - timedelta(days=358), s.days_ago(386), officer.id
    first.notes = "Joan's son goes to college three days a week with a PA he chose."
    first.ratings = [{"outcome": o, "rating": "met"} for o in plans.outcomes_to_rate(plan)]
    db.session.flush()
    s.add(PlanReview(plan=plan, version_id=plan.in_force_version.id, kind=ReviewKind.ANNUAL,
                     due_on=s.today - timedelta(days=21)))
    _first_review_line(plan, first.due_on)
    _backdate(plan, s, 410)
    plans.update_statuses(s.today)
    db.session.execute(db.update(Notification).where(Notification.kind == "plans", Notification.read_at.is_(None))
                       .values(read_at=s.now))
