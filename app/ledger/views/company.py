"""The person's company: setting it up the first time, and changing it later (its name, who
manages the money day to day, its bank account). Bank details are never shown back in full:
the page shows the masked details held, and empty boxes keep them."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user

from app.core.flows import form_page, submit
from app.core.permissions import IsSignedIn, require
from app.holders import services as holders
from app.ledger import services as ledger
from app.ledger.forms import THE_PERSON, CompanyForm
from app.ledger.views import bp


def manager_choices(acting) -> list[tuple[str, str]]:
    """The person, or one of the helpers they allowed to act for them."""
    choices = [(THE_PERSON, f"You, {acting.holder.name}" if acting.is_self else acting.holder.name)]
    for delegation in acting.holder.delegations:
        if delegation.can_act and delegation.user is not None:
            label = f"You, {delegation.name}" if delegation.user_id == acting.user.id else delegation.name
            if delegation.relationship_to_holder:
                label += f" ({delegation.relationship_to_holder})"
            choices.append((str(delegation.id), label))
    return choices


def _company_form(acting, company) -> CompanyForm:
    initial = {}
    if company is not None:
        manager = company.manager_delegation
        initial = {"name": company.name, "kind": company.kind.value,
                   "companies_house_number": company.companies_house_number or "",
                   "manager": str(manager.id) if manager is not None and manager.can_act else THE_PERSON}
    form = CompanyForm(data=initial)
    form.manager.choices = manager_choices(acting)
    return form


@bp.route("/people/<int:holder_id>/money/company", methods=["GET", "POST"])
@require(IsSignedIn)
def company(holder_id: int):
    acting = holders.access(current_user, holder_id, act=True)
    held = ledger.company_of(acting.holder)
    form = _company_form(acting, held)
    save = ledger.update_company if held is not None else ledger.set_up_company
    done = submit(form, lambda: save(acting, form.details()))
    if done:
        flash(f"The details of {done.value.name} have been saved." if held is not None else
              f"{done.value.name} is set up. You can now add the funding that is paid into it.", "success")
        return redirect(url_for("money.home", holder_id=holder_id))
    return form_page("ledger/company.html", form, acting=acting, company=held)
