"""Submitting a plan (the person agrees), the funder's answer (changes asked for, naming the
sections and why, or approval), and the two signatures of the approved version."""

from __future__ import annotations

from app.core import audit
from app.core.errors import DomainError, PermissionDenied
from app.core.records import locked
from app.core.timeutil import today_in_london, utcnow
from app.extensions import db
from app.plans.content import budget_check, content_hash, content_of, working_content
from app.plans.models import PlanChangeRequest, PlanSignature, PlanVersion, SupportPlan
from app.plans.policies import PlanAccess, decides_plans, signing_side
from app.plans.reviews import book_first_review
from app.plans.sections import BY_KEY
from app.plans.thread import event
from app.plans.workflow import check_move, move


def _lock(plan: SupportPlan) -> SupportPlan:
    """The plan's row, locked until the unit of work ends (two answers at once wait for each other)."""
    return locked(SupportPlan, plan.id)


def submit(access: PlanAccess, plan: SupportPlan, *, agreed: bool, explanation: str = "") -> PlanVersion:
    """Freeze the working plan into a new version and send it to the funder."""
    if not access.holder_side:
        raise PermissionDenied("Only the person, or someone who can act for them, submits their plan: "
                               "they must agree with it.")
    plan = _lock(plan)
    check_move(plan, "submit")
    missing = working_content(plan).missing()
    if missing:
        raise DomainError("The plan cannot be submitted yet. Fill in: " + "; ".join(missing) + ".")
    explanation = (explanation or "").strip()
    if budget_check(plan).is_over:
        if not explanation:
            raise DomainError("The plan costs more than the money available: explain why before you submit it",
                              field="explanation")
        plan.over_budget_explanation = explanation
    else:
        plan.over_budget_explanation = ""  # a reason given for an earlier, dearer version no longer applies
    if not agreed:
        raise DomainError("Confirm that you agree with the plan", field="agree")
    resubmitted = plan.status.value == "changes_requested"
    now = utcnow()
    content = content_of(plan)
    version = PlanVersion(plan=plan, number=len(plan.versions) + 1, content=content, content_hash=content_hash(content),
                          submitted_at=now, submitted_by_id=access.user.id,
                          on_behalf_of_id=getattr(access.on_behalf_of, "id", None))
    db.session.add(version)
    move(plan, "submit")
    db.session.flush()
    audit.record("plan.submitted", actor=access.user, on_behalf_of=access.on_behalf_of, holder=plan.holder, obj=plan,
                 version=version.number)
    who = access.user.name if access.on_behalf_of is None else f"{access.user.name} (for {plan.holder.name})"
    event(plan, access, f"{who} {'resubmitted' if resubmitted else 'submitted'} version {version.number} "
                        f"to {plan.funding_body.name}.")
    return version


def _funder(access: PlanAccess) -> None:
    if not decides_plans(access):
        raise PermissionDenied("Only an officer of the funder decides on a plan.")


def ask_for_changes(access: PlanAccess, plan: SupportPlan, sections: list[str], reason: str) -> PlanChangeRequest:
    _funder(access)
    plan = _lock(plan)
    check_move(plan, "ask_for_changes")
    sections = [key for key in dict.fromkeys(sections or []) if key in BY_KEY]
    if not sections:
        raise DomainError("Choose the part or parts of the plan to change", field="sections")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Say what needs to change, and why", field="reason")
    request = PlanChangeRequest(version=plan.latest_version, sections=sections, reason=reason, by_id=access.user.id,
                                at=utcnow())
    db.session.add(request)
    move(plan, "ask_for_changes")
    audit.record("plan.changes_requested", actor=access.user, holder=plan.holder, obj=plan, sections=sections)
    headings = ", ".join(BY_KEY[key].heading for key in sections)
    event(plan, access, f"{access.user.name} of {plan.funding_body.name} asked for changes to {headings}: {reason}",
          news=f"{access.user.name} asked for changes to {headings}. Sign in to read why.")
    return request


def _the_version_read(plan: SupportPlan, number: int | None) -> PlanVersion:
    """The latest version, if it is the one the page showed (`number`): a page left open while the
    plan was resubmitted must not approve or sign a version nobody read."""
    version = plan.latest_version
    if number is not None and version.number != number:
        raise DomainError(f"Version {version.number} has been submitted since you opened this page. "
                          "Read it before you answer.")
    return version


def approve(access: PlanAccess, plan: SupportPlan, *, version_number: int | None = None) -> PlanVersion:
    _funder(access)
    plan = _lock(plan)
    check_move(plan, "approve")
    version = _the_version_read(plan, version_number)
    version.approved_at, version.approved_by_id = utcnow(), access.user.id
    move(plan, "approve")
    audit.record("plan.approved", actor=access.user, holder=plan.holder, obj=plan, version=version.number)
    event(plan, access, f"{access.user.name} of {plan.funding_body.name} approved version {version.number}. "
                        "It now needs signing by the person and by the funder.")
    return version


def sign(access: PlanAccess, plan: SupportPlan, *, confirmed: bool, version_number: int | None = None) -> PlanSignature:
    """One side signs the approved version; the signature keeps the hash of the exact text. When both
    sides have signed, the plan is signed, the reviews are booked, and it is in force once support starts."""
    side = signing_side(access)
    if side is None:
        raise PermissionDenied("Only the person (or someone who can act for them) and the funder sign a plan.")
    plan = _lock(plan)
    check_move(plan, "sign")
    version = _the_version_read(plan, version_number)
    db.session.refresh(version, ["signatures"])  # as they are now, after the lock: the other side may just have signed
    if version.signature(side) is not None:
        raise DomainError("This version has already been signed for your side.")
    if content_hash(version.content) != version.content_hash:
        raise DomainError("This version's text does not match what was submitted, so it cannot be signed. "
                          "Contact support.")
    if not confirmed:
        raise DomainError("Confirm that you have read this version and sign it", field="confirm")
    signature = PlanSignature(version=version, role=side, user_id=access.user.id, signed_at=utcnow(),
                              on_behalf_of_id=getattr(access.on_behalf_of, "id", None),
                              content_hash=version.content_hash)
    db.session.add(signature)
    db.session.flush()
    audit.record("plan.signed", actor=access.user, on_behalf_of=access.on_behalf_of, holder=plan.holder, obj=plan,
                 version=version.number, side=side, content_hash=version.content_hash)
    event(plan, access, f"{access.user.name} signed version {version.number}"
                        f"{' for ' + plan.funding_body.name if side == 'funder' else ''}.")
    if version.is_signed:
        _both_signed(access, plan, version)
    return signature


def _both_signed(access: PlanAccess, plan: SupportPlan, version: PlanVersion) -> None:
    move(plan, "sign")
    review = plan.open_review
    if review is not None and any(v.is_signed for v in plan.versions if v.id != version.id):
        # A new version of a plan already in force keeps the review already booked.
        event(plan, None, f"Version {version.number} is signed by both sides. The review booked for "
                          f"{review.due_on.strftime('%-d %B %Y')} stays.")
    else:
        review = book_first_review(plan, version)
        event(plan, None, f"Version {version.number} is signed by both sides. The first review is booked for "
                          f"{review.due_on.strftime('%-d %B %Y')}.")
    if plan.services_start_on is not None and plan.services_start_on <= today_in_london():
        move(plan, "start")
        event(plan, None, f"Version {version.number} is now in force.")
