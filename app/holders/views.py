"""A budget holder's space, used by the person and by the people they allow to help: about me,
helpers (delegations), and claiming a record a broker created. (The person's own page, which
gathers what every feature holds for them, is `home.person`.)"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.services import find_by_email, sign_in_browser
from app.core.errors import DomainError
from app.core.flows import form_page, press, submit
from app.core.forms import EmptyForm
from app.core.permissions import IsSignedIn, require
from app.holders import services
from app.holders.forms import AboutForm, HelperForm
from app.invitations.forms import AcceptWithAccountForm

bp = Blueprint("holders", __name__)


def _person_page(holder_id: int):
    return redirect(url_for("home.person", holder_id=holder_id))


@bp.route("/people/<int:holder_id>/about", methods=["GET", "POST"])
@require(IsSignedIn)
def about(holder_id: int):
    acting = services.access(current_user, holder_id, act=True)
    form = AboutForm(obj=acting.holder) if request.method == "GET" else AboutForm()
    done = submit(form, lambda: services.update_about_me(
        acting, district=form.district.data or None, communication_needs=form.communication_needs.data or [],
        preferred_language=form.preferred_language.data or None))
    if done:
        flash("Saved.", "success")
        return _person_page(holder_id)
    return form_page("holders/about.html", form, acting=acting)


@bp.get("/people/<int:holder_id>/helpers")
@require(IsSignedIn)
def helpers(holder_id: int):
    acting = services.access(current_user, holder_id)
    return render_template("holders/helpers.html", acting=acting, delegations=acting.holder.delegations,
                           form=EmptyForm())


@bp.route("/people/<int:holder_id>/helpers/new", methods=["GET", "POST"])
@require(IsSignedIn)
def invite_helper(holder_id: int):
    acting = services.access(current_user, holder_id, act=True)
    if not acting.is_self:
        flash("Only the person themselves can choose who helps them.", "error")
        return redirect(url_for("holders.helpers", holder_id=holder_id))
    form = HelperForm()
    done = submit(form, lambda: services.invite_helper(acting, name=form.name.data, email=form.email.data,
                                                       relationship=form.relationship.data or "",
                                                       access_level=form.access.data))
    if done:
        flash(f"We have emailed an invitation to {form.email.data}.", "success")
        return redirect(url_for("holders.helpers", holder_id=holder_id))
    return form_page("holders/invite_helper.html", form, acting=acting)


@bp.post("/people/<int:holder_id>/helpers/<int:delegation_id>/stop")
@require(IsSignedIn)
def revoke_helper(holder_id: int, delegation_id: int):
    acting = services.access(current_user, holder_id)
    done = press(EmptyForm(), lambda: services.revoke_helper(acting, delegation_id))
    if done and done.value.user_id == current_user.id and not acting.is_self:
        flash(f"You no longer help {acting.holder.name}.", "success")
        return redirect(url_for("home.index"))
    if done:
        flash(f"{done.value.name} can no longer see or do anything for you.", "success")
    return redirect(url_for("holders.helpers", holder_id=holder_id))


# --- Links sent by email: helping someone, claiming a record ---------------------------------------


def _link_problem(message: str):
    return render_template("holders/link_problem.html", message=message), 400


def _accept_signed_in(template: str, accept: Callable[[], Any], success: str, holder_id: Callable[[Any], int],
                      **context: Any):
    """Someone signed in presses the button: a link that stopped working since the page was shown
    is explained on its own page."""
    form = EmptyForm()
    done = submit(form, accept)
    if done:
        flash(success, "success")
        return _person_page(holder_id(done.value))
    if form.form_errors:
        return _link_problem(form.form_errors[0])
    return render_template(template, form=form, **context)


def _accept_with_new_account(template: str, name: str, create: Callable[[str, str], Any], success: str,
                             holder_id: Callable[[Any], int], **context: Any):
    """Someone without an account creates one and accepts in one step, then is signed in."""
    form = AcceptWithAccountForm(name=name) if request.method == "GET" else AcceptWithAccountForm()
    done = submit(form, lambda: create(form.name.data, form.password.data))
    if done:
        sign_in_browser(done.value)
        flash(success, "success")
        return _person_page(holder_id(done.value))
    return form_page(template, form, new_account=True, **context)


def _sign_in_first(template: str, **context: Any):
    return render_template(template, sign_in_url=url_for("accounts.sign_in", next=request.path), **context)


@dataclass(frozen=True)
class _LinkSteps:
    """What one kind of emailed link (a helper's invitation, a claim) does once it is found:
    `accept(token, user)` for someone signed in, `create(token, name, password)` for a new
    account, what each says, and whose page comes next."""

    name: str  # the name the new-account form starts with
    accept: Callable[[str, Any], Any]
    accepted: str
    holder_after_accept: Callable[[Any], int]
    create: Callable[[str, str, str], Any]
    created: str
    holder_after_create: Callable[[Any], int]


def _link_page(token: str, find: Callable[[str], Any], template: str, key: str, steps: Callable[[Any], _LinkSteps]):
    """An emailed link for a person's record: explained on its own page when it does not work;
    accepted with a button when signed in; else sign in first (the address has an account) or
    create the account and accept in one step."""
    try:
        row = find(token)
    except DomainError as error:
        return _link_problem(error.message)
    step, context = steps(row), {key: row}
    if current_user.is_authenticated:
        return _accept_signed_in(template, lambda: step.accept(token, current_user._get_current_object()),
                                 step.accepted, step.holder_after_accept, **context)
    if find_by_email(row.email) is not None:
        return _sign_in_first(template, **context)
    return _accept_with_new_account(template, step.name, lambda name, password: step.create(token, name, password),
                                    step.created, step.holder_after_create, **context)


@bp.route("/helpers/<token>", methods=["GET", "POST"])
def accept_helper(token: str):
    return _link_page(token, services.find_helper_invitation, "holders/accept_helper.html", "delegation",
                      lambda delegation: _LinkSteps(
                          delegation.name, services.accept_helper_invitation,
                          f"You can now help {delegation.holder.name}.", lambda _: delegation.holder_id,
                          services.accept_helper_with_new_account,
                          f"Your account is ready. You can now help {delegation.holder.name}.",
                          lambda _: delegation.holder_id))


@bp.route("/claim/<token>", methods=["GET", "POST"])
def claim(token: str):
    return _link_page(token, services.find_claim, "holders/claim.html", "claim", lambda claim_row: _LinkSteps(
        claim_row.holder.name, services.claim_record,
        "Your record is now yours. You can see your broker and everything arranged for you.",
        lambda holder: holder.id, services.claim_with_new_account,
        "Your account is ready and your record is now yours.", lambda user: user.budget_holder.id))
