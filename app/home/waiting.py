"""What is waiting for a budget holder (or the person helping them), gathered from every
feature, each with a link to where it is done: the home page and the person's page lead there."""

from __future__ import annotations

from dataclasses import dataclass

from app.core.money import format_pence
from app.core.text import count_of
from app.core.timeutil import format_date, today_in_london
from app.core.urls import path_for
from app.holders.policies import HolderAccess
from app.needs import services as needs
from app.payments import services as payments
from app.plans import services as plans


@dataclass(frozen=True)
class Waiting:
    text: str
    link: str
    link_text: str
    for_you: bool = True  # something the person (or a helper who can act) does, not only news


def waiting_for(acting: HolderAccess) -> list[Waiting]:
    holder = acting.holder
    your = "your" if acting.is_self else f"{holder.name}'s"
    items: list[Waiting] = []
    for need in needs.needs_to_agree(holder.id) if acting.can_act else []:
        name = need.category.name.lower()
        text = (f"Before {your} {name} need goes to providers, check what will be shared and agree to it."
                if need.is_draft else
                f"Sharing stopped for {your} {name} need: no provider can be shortlisted until you agree again.")
        items.append(Waiting(text, path_for("needs.holder_sharing", holder_id=holder.id, need_id=need.id),
                             f"Check what will be shared: {need.category.name}"))
    for need in needs.holder_needs(holder.id):
        if not need.awaiting_choice:
            continue
        link = path_for("needs.holder_need", holder_id=holder.id, need_id=need.id)
        name = need.category.name.lower()
        if need.proposed_offer is not None:
            items.append(Waiting(f"{'Your' if acting.is_self else 'The'} broker recommends "
                                 f"{need.proposed_offer.organisation.name} for {name}.", link,
                                 f"Look at the shortlist and choose: {need.category.name}", for_you=acting.can_act))
        elif need.shortlist:
            items.append(Waiting(f"{count_of(len(need.shortlist), 'offer').capitalize()} on the shortlist for {name}.",
                                 link, f"Look at the shortlist: {need.category.name}", for_you=acting.can_act))
        elif need.offers_made:
            items.append(Waiting(f"{count_of(len(need.offers_made), 'offer').capitalize()} for {name} so far. "
                                 f"{'Your' if acting.is_self else 'The'} broker is looking at them.", link,
                                 f"See the offers: {need.category.name}", for_you=False))
    for invoice in payments.to_decide_or_pay(acting):
        link = path_for("payments.holder_invoice", holder_id=holder.id, invoice_id=invoice.id)
        if invoice.status.value == "submitted":
            items.append(Waiting(f"{invoice.payee_name} sent an invoice for {format_pence(invoice.total_pence)}: "
                                 "check it and approve it, or ask about it.", link,
                                 f"Invoice {invoice.number} from {invoice.payee_name}", for_you=acting.can_act))
        elif invoice.latest_checkout is not None and invoice.latest_checkout.state.value == "pending":
            items.append(Waiting(f"The Direct Debit paying invoice {invoice.number} to {invoice.payee_name} is pending: "
                                 "banks take about 4 working days to confirm it.", link,
                                 f"Invoice {invoice.number} to {invoice.payee_name}", for_you=False))
        elif invoice.latest_checkout is not None and invoice.latest_checkout.state.value == "flagged":
            items.append(Waiting(f"An administrator is checking a payment of invoice {invoice.number} through Stripe. "
                                 "Please do not pay it again for now.", link,
                                 f"Invoice {invoice.number} to {invoice.payee_name}", for_you=False))
        else:
            items.append(Waiting(f"Invoice {invoice.number} from {invoice.payee_name} is approved and waits to be paid.",
                                 link, f"Pay invoice {invoice.number}", for_you=acting.can_act))
    items.extend(_plans_waiting(acting, your))
    today = today_in_london()
    for agreement in needs.holder_agreements(holder.id):
        if agreement.is_active and agreement.start_date >= today:
            start = agreement.start_date
            when = "today" if start == today else f"on {start:%A} {format_date(start)}"
            items.append(Waiting(f"{agreement.organisation.name} starts {agreement.need.category.name.lower()} {when}.",
                                 path_for("needs.holder_agreement", holder_id=holder.id, agreement_id=agreement.id),
                                 f"The agreement with {agreement.organisation.name}", for_you=False))
    return items


def _plans_waiting(acting: HolderAccess, your: str) -> list[Waiting]:
    """Support plans: changes the funder asked for, a version to sign, a review due."""
    items = []
    for plan in plans.plans_of(acting.holder):
        link = path_for("plans.show", holder_id=plan.holder_id, plan_id=plan.id)
        body = plan.funding_body.name
        status, version = plan.status.value, plan.latest_version
        if status == "changes_requested":
            items.append(Waiting(f"{body} asked for changes to {your} support plan.", link,
                                 f"See what to change: plan for {body}", for_you=acting.can_act))
        elif status == "approved" and version.signature("holder") is None:
            items.append(Waiting(f"{body} approved {your} support plan. It needs signing.", link,
                                 f"Read and sign: plan for {body}", for_you=acting.can_act))
        elif status == "review_due" and plan.open_review is not None:
            items.append(Waiting(f"{your.capitalize()} support plan for {body} is due for review on "
                                 f"{format_date(plan.open_review.due_on)}.", link, f"The plan for {body}",
                                 for_you=False))
    return items
