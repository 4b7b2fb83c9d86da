"""Support plans through their services: every allowed and refused move, who sees and edits what,
the budget check, versions and signatures (which never carry over) and review dates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core.errors import DomainError, NotFound, PermissionDenied
from app.core.models import AuditEvent, Notification
from app.core.timeutil import today_in_london
from app.engagements.ending import end_engagement
from app.extensions import db
from app.holders.models import DelegationStatus
from app.plans import services as plans
from app.plans.content import content_hash
from app.plans.models import PlanStatus, ReviewKind
from app.plans.workflow import MOVES, check_move
from tests.factories import FundingOfficerFactory, UserFactory
from tests.plan_helpers import access_of, plan_world, signed, submitted, written_plan


@pytest.fixture
def w(app, world):
    return plan_world(world)


def test_a_plan_cannot_be_submitted_with_a_required_part_empty(w):
    person = w["person"]
    access, _ = plans.plans_for(person.user, person.id)
    plan = plans.create_plan(access, w["body"].id)
    plans.save_section(access, plan, "about_me", "Grace")
    with pytest.raises(DomainError) as refused:
        plans.submit(access, plan, agreed=True)
    for heading in ("What is important to me", "The outcomes I want", "My eligible needs and how each will be met",
                    "Risks and how they are managed", "How I stay in control and manage my money",
                    "What happens in an emergency", "Who helped write this plan", "When support starts"):
        assert heading in refused.value.message
    assert "About me" not in refused.value.message and "In my own words" not in refused.value.message
    assert plan.status == PlanStatus.DRAFT and not plan.versions


def test_over_budget_blocks_submission_until_explained(w):
    plan = written_plan(w, cost=2_500_000)  # the council stream allocates £24,000
    access = access_of(w["person"].user, plan)
    check = plans.budget_check(plan)
    assert check.is_over and "£1,000.00 more than the £24,000.00 available" in check.warnings[0]
    with pytest.raises(DomainError) as refused:
        plans.submit(access, plan, agreed=True)
    assert refused.value.field == "explanation"
    version = plans.submit(access, plan, agreed=True, explanation="Two carers are needed for the hoist.")
    assert version.content["over_budget_explanation"] == "Two carers are needed for the hoist."


def test_the_indicative_budget_counts_the_funders_lines(w):
    plan = written_plan(w, cost=1_000_000)
    plans.set_indicative_budget(w["officer"], w["person"].id, w["body"].id, 900_000)
    check = plans.budget_check(plan)
    assert check.indicative.planned_pence == 1_000_000 and check.indicative.over_by == 100_000
    assert [row.over_by for row in check.streams] == [0]


def test_the_funder_sees_only_their_own_streams_and_the_version_they_read(w):
    plan = written_plan(w)
    person = access_of(w["person"].user, plan)
    plans.add_line(person, plan, plans.LineDetails(
        need="Getting to work", support="Taxis", given_by="provider", given_by_name="", quantity="Weekdays",
        cost_pence=250_000, paid_by="stream", funding_stream_id=w["streams"]["atw"].id))
    submitted(w, plan)
    officer = access_of(w["officer"], plan)
    shown = plans.budget_check(plan, plans.shown_content(officer, plan), funder_view=True)
    council = f"Westminster personal budget ({w['body'].name})"
    assert [row.label for row in shown.streams] == [council]
    assert sorted(row.label for row in plans.budget_check(plan).streams) == ["Access to Work", council]


def test_only_the_holders_side_submits_and_must_agree(w):
    plan = written_plan(w, by=w["broker"].user)  # the broker writes it with her
    broker = access_of(w["broker"].user, plan)
    with pytest.raises(PermissionDenied):
        plans.submit(broker, plan, agreed=True)
    with pytest.raises(DomainError) as refused:
        plans.submit(access_of(w["actor"], plan), plan, agreed=False)
    assert refused.value.field == "agree"
    version = plans.submit(access_of(w["actor"], plan), plan, agreed=True)
    assert version.on_behalf_of_id == w["person"].user_id and version.submitted_by_id == w["actor"].id


def test_changes_asked_for_name_sections_and_a_reason_and_show_in_the_thread(w):
    plan = written_plan(w)
    submitted(w, plan)
    officer = access_of(w["officer"], plan)
    with pytest.raises(DomainError) as no_section:
        plans.ask_for_changes(officer, plan, [], "Please say more")
    assert no_section.value.field == "sections"
    with pytest.raises(DomainError) as no_reason:
        plans.ask_for_changes(officer, plan, ["risks"], "  ")
    assert no_reason.value.field == "reason"
    plans.ask_for_changes(officer, plan, ["risks"], "Say who checks the rail.")
    db.session.commit()
    assert plan.status == PlanStatus.CHANGES_REQUESTED
    assert plan.latest_version.change_requests[0].sections == ["risks"]
    assert any("Risks and how they are managed: Say who checks the rail." in m.body for m in plan.messages)
    told = {n.user_id for n in db.session.scalars(select(Notification).where(Notification.kind == "plans",
                                                                             Notification.title.contains("changes")))}
    assert {w["person"].user_id, w["actor"].id, w["broker"].user_id} <= told and w["officer"].id not in told


def test_resubmitting_keeps_both_versions(w):
    plan = written_plan(w)
    submitted(w, plan)
    plans.ask_for_changes(access_of(w["officer"], plan), plan, ["risks"], "Say who checks the rail.")
    person = access_of(w["person"].user, plan)
    plans.save_section(person, plan, "risks", "My PA checks the rail each week.")
    plans.submit(person, plan, agreed=True)
    db.session.commit()
    assert [v.number for v in plan.versions] == [1, 2]
    assert plan.versions[0].content["sections"]["risks"] != plan.versions[1].content["sections"]["risks"]
    changed = {c.section.key for c in plans.compare(plan.versions[0], plan.versions[1]) if c.changed}
    assert changed == {"risks"}


def test_signing_needs_both_sides_and_books_the_first_review(w):
    start = today_in_london() - timedelta(days=1)
    plan = written_plan(w, start=start)
    submitted(w, plan)
    plans.approve(access_of(w["officer"], plan), plan)
    plans.sign(access_of(w["actor"], plan), plan, confirmed=True)  # a helper who can act signs for her
    assert plan.status == PlanStatus.APPROVED and plan.in_force_version is None
    with pytest.raises(PermissionDenied):
        plans.sign(access_of(w["broker"].user, plan), plan, confirmed=True)
    plans.sign(access_of(w["officer"], plan), plan, confirmed=True)
    db.session.commit()
    version = plan.latest_version
    holder_sig, funder_sig = version.signature("holder"), version.signature("funder")
    assert holder_sig.user_id == w["actor"].id and holder_sig.on_behalf_of_id == w["person"].user_id
    assert holder_sig.content_hash == funder_sig.content_hash == content_hash(version.content)
    assert plan.status == PlanStatus.ACTIVE  # support had started
    review = plan.open_review
    assert review.kind == ReviewKind.FIRST and review.due_on == today_in_london() + timedelta(weeks=6)


def test_the_first_review_follows_the_start_date_and_review_weeks(w):
    start = today_in_london() + timedelta(days=20)
    plan = written_plan(w, start=start)
    plans.save_start(access_of(w["person"].user, plan), plan, start, 8)
    signed(w, plan)
    assert plan.status == PlanStatus.SIGNED
    assert plan.open_review.due_on == start + timedelta(weeks=8)
    assert plans.update_statuses(start - timedelta(days=1)) == (0, 0)
    assert plans.update_statuses(start) == (1, 0) and plan.status == PlanStatus.ACTIVE
    assert plans.update_statuses(start + timedelta(weeks=8, days=-15)) == (0, 0)
    assert plans.update_statuses(start + timedelta(weeks=8, days=-14)) == (0, 1)
    assert plan.status == PlanStatus.REVIEW_DUE


def test_review_weeks_must_be_6_to_8(w):
    plan = written_plan(w)
    with pytest.raises(DomainError) as refused:
        plans.save_start(access_of(w["person"].user, plan), plan, today_in_london(), 9)
    assert refused.value.errors[0].field == "review_weeks"


def test_a_review_rates_every_outcome_and_books_the_next_a_year_on(w):
    plan = written_plan(w, start=today_in_london())
    signed(w, plan)
    person, officer = access_of(w["person"].user, plan), access_of(w["officer"], plan)
    with pytest.raises(DomainError):
        plans.record_review(officer, plan, "Going well", ["met", "met"])  # not due yet
    plans.ask_early_review(person, plan, "My needs changed after a fall.")
    assert plan.status == PlanStatus.REVIEW_DUE and plan.open_review.kind == ReviewKind.EARLY
    with pytest.raises(PermissionDenied):
        plans.record_review(person, plan, "Fine", ["met", "met"])
    with pytest.raises(DomainError) as refused:
        plans.record_review(officer, plan, "", ["met"])
    assert {e.field for e in refused.value.errors} == {"outcome_1", "notes"}
    review = plans.record_review(officer, plan, "Mornings work well; church needs transport.", ["met", "partly"])
    db.session.commit()
    assert review.ratings == [{"outcome": "Get up and dressed by 9 each morning", "rating": "met"},
                              {"outcome": "Go to church every Sunday", "rating": "partly"}]
    assert plan.status == PlanStatus.REVIEWED
    nxt = plan.open_review
    assert nxt.kind == ReviewKind.ANNUAL and nxt.due_on == today_in_london().replace(year=today_in_london().year + 1)


def test_a_new_version_must_be_signed_again_and_old_signatures_never_carry_over(w):
    plan = written_plan(w, start=today_in_london())
    signed(w, plan)
    first = plan.latest_version
    person = access_of(w["person"].user, plan)
    plans.start_new_version(person, plan)
    assert plan.status == PlanStatus.DRAFT and plan.in_force_version == first
    plans.save_section(person, plan, "about_me", "I am Grace. I have moved to a ground-floor flat.")
    plans.submit(person, plan, agreed=True)
    plans.approve(access_of(w["officer"], plan), plan)
    second = plan.latest_version
    assert second.signatures == [] and plan.in_force_version == first
    assert second.content_hash != first.content_hash
    plans.sign(person, plan, confirmed=True)
    assert plan.status == PlanStatus.APPROVED and plan.in_force_version == first
    plans.sign(access_of(w["officer"], plan), plan, confirmed=True)
    db.session.commit()
    assert plan.in_force_version == second and len(first.signatures) == 2
    assert sum(1 for r in plan.reviews if r.is_open) == 1


def test_a_tampered_version_cannot_be_signed(w):
    plan = written_plan(w)
    submitted(w, plan)
    plans.approve(access_of(w["officer"], plan), plan)
    version = plan.latest_version
    version.content = {**version.content, "sections": {**version.content["sections"], "risks": "None"}}
    with pytest.raises(DomainError) as refused:
        plans.sign(access_of(w["person"].user, plan), plan, confirmed=True)
    assert "does not match" in refused.value.message


# Every move from every state: allowed only where MOVES says, refused with a message elsewhere.
@pytest.mark.parametrize("status", list(PlanStatus))
@pytest.mark.parametrize("move", list(MOVES))
def test_every_move_from_every_state(status, move):
    from app.plans.models import SupportPlan

    plan = SupportPlan(status=status)
    sources, target, _ = MOVES[move]
    if status in sources:
        assert check_move(plan, move) == target
    else:
        with pytest.raises(DomainError) as refused:
            check_move(plan, move)
        assert status.label.lower() in refused.value.message


def test_the_moves_are_the_ones_the_issue_lists():
    edges = {(s.value, target.value) for sources, target, _ in MOVES.values() for s in sources}
    assert edges == {
        ("draft", "submitted"), ("changes_requested", "submitted"), ("submitted", "changes_requested"),
        ("submitted", "approved"), ("approved", "signed"), ("signed", "active"), ("active", "review_due"),
        ("reviewed", "review_due"), ("review_due", "reviewed"),
        *((s, "draft") for s in ("approved", "signed", "active", "review_due", "reviewed")),
    }


def test_editing_is_refused_once_submitted(w):
    plan = written_plan(w)
    submitted(w, plan)
    for who in (w["person"].user, w["broker"].user, w["actor"]):
        with pytest.raises(DomainError) as refused:
            plans.save_section(access_of(who, plan), plan, "about_me", "Changed")
        assert "Start a new version" in refused.value.message
    with pytest.raises(DomainError):
        plans.start_new_version(access_of(w["person"].user, plan), plan)  # submitted: wait for the funder


def test_who_sees_and_edits_what(w):
    plan = written_plan(w)
    person = w["person"]
    other_officer = FundingOfficerFactory().user
    stranger = UserFactory()
    for user in (other_officer, stranger, w["officer"]):  # the funder sees nothing before it is submitted
        with pytest.raises(NotFound):
            plans.open_plan(user, person.id, plan.id)
        with pytest.raises(NotFound):
            plans.plans_for(user, person.id)
    viewer = access_of(w["viewer"], plan)
    assert viewer.role == "helper" and not viewer.can_act
    with pytest.raises(PermissionDenied):
        plans.acting_on(w["viewer"], person.id, plan.id)
    assert access_of(w["broker"].user, plan).role == "broker"
    submitted(w, plan)
    assert access_of(w["officer"], plan).role == "funder"
    with pytest.raises(NotFound):
        plans.open_plan(other_officer, person.id, plan.id)
    with pytest.raises(PermissionDenied):
        plans.approve(access_of(w["broker"].user, plan), plan)


def test_a_revoked_helper_and_a_former_broker_are_told_nothing(w):
    plan = written_plan(w)
    delegation = next(d for d in w["person"].delegations if d.user_id == w["actor"].id)
    delegation.status = DelegationStatus.REVOKED
    end_engagement(w["engagement"], w["person"].user, "Moving away")
    db.session.commit()
    for user in (w["actor"], w["broker"].user):
        with pytest.raises(NotFound):
            plans.open_plan(user, w["person"].id, plan.id)


def test_the_funder_reads_the_version_submitted_not_the_new_draft(w):
    plan = written_plan(w, start=today_in_london())
    signed(w, plan)
    person = access_of(w["person"].user, plan)
    plans.start_new_version(person, plan)
    plans.save_section(person, plan, "about_me", "A draft the funder must not read yet.")
    db.session.commit()
    officer = access_of(w["officer"], plan)
    assert "must not read" not in plans.shown_content(officer, plan).text("about_me")
    assert "must not read" in plans.shown_content(person, plan).text("about_me")


def test_views_by_anyone_but_the_owner_are_audit_logged(w):
    plan = written_plan(w)
    submitted(w, plan)
    for user in (w["person"].user, w["broker"].user, w["viewer"], w["officer"]):
        plans.open_plan(user, w["person"].id, plan.id, viewing="plan")
    db.session.commit()
    views = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "client_record.viewed",
                                                        AuditEvent.object_type == "SupportPlan")).all()
    assert sorted((e.actor_id, e.details["as_role"]) for e in views) == sorted(
        [(w["broker"].user_id, "broker"), (w["viewer"].id, "helper"), (w["officer"].id, "funder")])


def test_every_edit_records_who_made_it(w):
    plan = written_plan(w, by=w["broker"].user)
    plans.save_section(access_of(w["actor"], plan), plan, "risks", "Ada checks the rail.")
    edits = plans.last_edits(plan)
    assert edits["about_me"].user_id == w["broker"].user_id
    assert edits["risks"].user_id == w["actor"].id and edits["risks"].on_behalf_of_id == w["person"].user_id


def test_one_plan_for_each_funder(w):
    written_plan(w)
    access, _ = plans.plans_for(w["person"].user, w["person"].id)
    with pytest.raises(DomainError) as refused:
        plans.create_plan(access, w["body"].id)
    assert refused.value.field == "funding_body"


def test_a_line_paid_from_a_stream_must_be_one_of_hers_and_unpaid_costs_nothing(w):
    plan = written_plan(w)
    access = access_of(w["person"].user, plan)
    bad = plans.LineDetails(need="x", support="y", given_by="provider", given_by_name="", quantity="1",
                            cost_pence=100, paid_by="stream", funding_stream_id=999_999)
    with pytest.raises(DomainError) as refused:
        plans.add_line(access, plan, bad)
    assert [e.field for e in refused.value.errors] == ["paid_by"]
    unpaid = plans.LineDetails(need="x", support="y", given_by="family", given_by_name="", quantity="1",
                               cost_pence=500, paid_by="unpaid")
    with pytest.raises(DomainError) as refused:
        plans.add_line(access, plan, unpaid)
    assert [e.field for e in refused.value.errors] == ["cost"]


def test_the_funder_desk(w):
    plan = written_plan(w)
    submitted(w, plan)
    desk = plans.desk(w["officer"])
    assert [p.id for p, _ in desk.queue] == [plan.id]
    assert [(h.id, b.id) for h, b, _ in desk.people] == [(w["person"].id, w["body"].id)]
    assert plans.desk(FundingOfficerFactory().user).queue == []
    plans.approve(access_of(w["officer"], plan), plan)
    assert [p.id for p in plans.desk(w["officer"]).to_sign] == [plan.id]
    with pytest.raises(NotFound):
        plans.set_indicative_budget(FundingOfficerFactory().user, w["person"].id, w["body"].id, 100)


def test_an_explanation_for_an_earlier_dearer_version_is_not_kept(w):
    plan = written_plan(w, cost=2_500_000)
    person = access_of(w["person"].user, plan)
    plans.submit(person, plan, agreed=True, explanation="Two carers for the hoist.")
    plans.ask_for_changes(access_of(w["officer"], plan), plan, ["needs"], "Please cost one carer.")
    line = plan.lines[0]
    plans.change_line(person, plan, line.id, plans.LineDetails(
        need=line.need, support=line.support, given_by="provider", given_by_name="", quantity="7 hours a week",
        cost_pence=1_200_000, paid_by="stream", funding_stream_id=line.funding_stream_id))
    version = plans.submit(person, plan, agreed=True, explanation="Two carers for the hoist.")
    assert version.content["over_budget_explanation"] == ""


def test_a_new_version_of_a_plan_in_force_keeps_the_review_already_booked(w):
    plan = written_plan(w, start=today_in_london() - timedelta(days=100))
    signed(w, plan)
    booked = plan.open_review
    person = access_of(w["person"].user, plan)
    plans.start_new_version(person, plan)
    plans.save_section(person, plan, "about_me", "Moved house.")
    plans.submit(person, plan, agreed=True)
    plans.approve(access_of(w["officer"], plan), plan)
    plans.sign(person, plan, confirmed=True)
    plans.sign(access_of(w["officer"], plan), plan, confirmed=True)
    assert plan.open_review is booked and booked.kind == ReviewKind.FIRST


def test_a_broker_who_also_helps_with_view_only_access_still_writes_the_plan(w):
    from app.holders.models import DelegateAccess
    from tests.plan_helpers import helps

    helps(w["broker"].user, w["person"], DelegateAccess.VIEW)
    plan = written_plan(w)
    access = access_of(w["broker"].user, plan)
    assert access.role == "broker" and access.can_act
    plans.save_section(access, plan, "risks", "Checked by the broker.")


def test_a_view_only_helper_cannot_write_in_the_thread_even_through_the_service(w):
    plan = written_plan(w)
    with pytest.raises(PermissionDenied):
        plans.post(access_of(w["viewer"], plan), plan, "Hello")
