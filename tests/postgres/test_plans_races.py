"""Support plans racing on a real PostgreSQL server: the person and the funder signing at the same
moment make one signed plan with one review booked; a double-clicked submit keeps one version;
an approval and a change request at the same moment leave exactly one answer."""

from __future__ import annotations

from sqlalchemy import func, select

from app.accounts.models import User
from app.core.errors import DomainError
from app.core.timeutil import today_in_london
from app.extensions import db
from app.plans import services as plans
from app.plans.models import PlanChangeRequest, PlanReview, PlanSignature, PlanStatus, PlanVersion, SupportPlan
from tests.factories import BudgetHolderFactory, FundingOfficerFactory, HubFactory, accredited_broker, engagement
from tests.plan_helpers import plan_world, submitted, written_plan
from tests.postgres.test_engagements_races import race


def world():
    hub = HubFactory(districts=["W9"])
    broker = accredited_broker(hub)
    person = BudgetHolderFactory(name="Grace Okafor", district="W9")
    return plan_world({"hub": hub, "broker": broker, "person": person, "engagement": engagement(person, broker)})


def as_user(user_id, plan_id, holder_id, action):
    def run():
        access, plan = plans.acting_on(db.session.get(User, user_id), holder_id, plan_id)
        return action(access, plan)
    return run


def test_both_sides_signing_at_once_sign_the_plan_once(pg_app):
    w = world()
    plan = written_plan(w, start=today_in_london())
    submitted(w, plan)
    plans.approve(plans.open_plan(w["officer"], plan.holder_id, plan.id)[0], plan)
    ids = plan.id, plan.holder_id

    def signs(user_id):
        return as_user(user_id, *ids, lambda access, p: plans.sign(access, p, confirmed=True))

    outcomes = race(pg_app, [signs(w["person"].user_id), signs(w["officer"].id)])
    assert all(isinstance(o, PlanSignature) for o in outcomes)
    db.session.expire_all()
    plan = db.session.get(SupportPlan, ids[0])
    assert plan.status == PlanStatus.ACTIVE and plan.in_force_version is not None
    assert db.session.scalar(select(func.count()).select_from(PlanReview)) == 1


def test_a_double_clicked_submit_keeps_one_version(pg_app):
    w = world()
    plan = written_plan(w)
    submit = as_user(w["person"].user_id, plan.id, plan.holder_id, lambda access, p: plans.submit(access, p, agreed=True))
    outcomes = race(pg_app, [submit, submit, submit])
    assert sum(isinstance(o, PlanVersion) for o in outcomes) == 1
    assert sum(isinstance(o, DomainError) for o in outcomes) == 2
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(PlanVersion)) == 1


def test_an_approval_and_a_change_request_at_once_leave_one_answer(pg_app):
    w = world()
    other_officer = FundingOfficerFactory(funding_body=w["body"]).user
    plan = written_plan(w)
    submitted(w, plan)
    ids = plan.id, plan.holder_id
    outcomes = race(pg_app, [
        as_user(w["officer"].id, *ids, plans.approve),
        as_user(other_officer.id, *ids, lambda access, p: plans.ask_for_changes(access, p, ["risks"], "More, please")),
    ])
    assert sum(isinstance(o, DomainError) for o in outcomes) == 1
    db.session.expire_all()
    plan = db.session.get(SupportPlan, ids[0])
    changes = db.session.scalar(select(func.count()).select_from(PlanChangeRequest))
    assert (plan.status, changes) in ((PlanStatus.APPROVED, 0), (PlanStatus.CHANGES_REQUESTED, 1))
