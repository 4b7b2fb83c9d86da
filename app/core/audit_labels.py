"""What each audit event is called on the admin's pages: the readable name of every action key
that `audit.record` is given anywhere in the app, in one place.

`tests/integration/test_admin.py` reads every `audit.record(...)` call in `app/` and fails when
an action has no name here. A key missing anyway (an old event, say) is still shown readably by
`label`, from its words.
"""

from __future__ import annotations

LABELS: dict[str, str] = {
    # Accounts and signing in
    "account.registered": "Account created",
    "account.email_verified": "Email address confirmed",
    "account.details_changed": "Name changed",
    "account.email_change_requested": "Change of email address asked for",
    "account.email_changed": "Email address changed",
    "account.closed": "Account closed",
    "admin.created_from_cli": "Platform admin created on the server",
    "sign_in.succeeded": "Signed in",
    "sign_in.failed": "Sign-in failed",
    "sign_in.blocked": "Sign-in blocked after too many attempts",
    "sign_out": "Signed out",
    "password.changed": "Password changed",
    "password.reset_requested": "Password reset link asked for",
    "password.reset": "Password reset",
    "permission.refused": "Someone was refused a page",
    # Budget holders, their helpers and consents
    "client_record.viewed": "Someone viewed a person's private details",
    "holder.created_by_broker": "Broker made a record for someone without an account",
    "holder.claim_invited": "Person invited to claim their record",
    "holder.claimed": "Person claimed their record",
    "holder.details_changed": "Person's details changed",
    "delegation.invited": "Helper invited",
    "delegation.accepted": "Helper accepted the invitation",
    "delegation.revoked": "Helper's access ended",
    "consent.recorded": "Consent recorded",
    "consent.withdrawn": "Consent withdrawn",
    # Hubs, funders and invitations
    "hub.created": "Hub created",
    "hub.updated": "Hub details changed",
    "hub.status_changed": "Hub's status changed",
    "funding_body.created": "Funding body added",
    "invitation.sent": "Invitation sent",
    "invitation.accepted": "Invitation accepted",
    "invitation.withdrawn": "Invitation withdrawn",
    # Brokers and their accreditation
    "broker_application.hub_chosen": "Broker applicant chose a hub",
    "broker_application.part_saved": "Broker application part saved",
    "broker_application.submitted": "Broker application sent for checking",
    "broker_application.part_decided": "Hub lead decided a part of a broker application",
    "broker_application.approved": "Broker application approved",
    "broker.availability_changed": "Broker changed whether they take new clients",
    "verification.expired": "A broker's check expired",
    "course.added": "Accredited course added",
    "course.active_changed": "Accredited course switched on or off",
    "standards.published": "New broker standards published",
    "standards.accepted": "Broker accepted the standards",
    "band.saved": "Brokerage band saved",
    # Asking a broker, engagements and reviews
    "broker_request.sent": "Person asked a broker to work with them",
    "broker_request.accepted": "Broker accepted a request",
    "broker_request.declined": "Broker declined a request",
    "broker_request.withdrawn": "Request to a broker withdrawn",
    "broker_request.lapsed": "Request to a broker not answered in time",
    "engagement.started": "Work with a broker started",
    "engagement.ended": "Work with a broker ended",
    "time.logged": "Broker logged time",
    "band_change.requested": "Change of band asked for",
    "band_change.decided": "Change of band decided",
    "review.submitted": "Review of a broker sent",
    "review.moderated": "Hub lead checked a review",
    "review.replied": "Broker replied to a review",
    "review.reply_moderated": "Hub lead checked a broker's reply",
    # Providers
    "provider.profile_changed": "Provider's profile changed",
    "provider.capacity_updated": "Provider's free times changed",
    "provider.verification_changed": "Provider checked by a hub lead",
    "provider.changes_declined": "Hub lead declined a provider's changes",
    "provider.staff_removed": "Provider staff member removed",
    # Needs, offers and agreements
    "category.saved": "Service category saved",
    "need.drafted": "Need saved as a draft",
    "need.published": "Need published",
    "need.updated": "Need changed",
    "need.reopened": "Need reopened",
    "need.withdrawn": "Need withdrawn",
    "offer.saved": "Offer from a provider saved",
    "offer.message": "Message sent about an offer",
    "offer.shortlisted": "Offer shortlisted",
    "offer.proposed": "Offer proposed to the person",
    "offer.proposal_declined": "Person declined a proposed offer",
    "offer.accepted": "Offer accepted",
    "offer.withdrawn": "Offer withdrawn",
    "agreement.handed_back": "Provider handed back an agreement",
    "agreement.ended": "Agreement ended",
    "gap.raised": "Broker recorded a gap",
    "gap.responded": "Hub lead responded to a gap",
    "gap.closed": "Gap closed",
    # The directory and its search
    "directory.suggested": "Directory suggestion or correction sent",
    "directory.suggestion_decided": "Directory suggestion decided",
    "directory.entry_created": "Directory entry added",
    "directory.entry_updated": "Directory entry changed",
    "directory.entry_verified": "Directory entry checked",
    "directory.entry_hidden": "Directory entry hidden",
    "directory.entry_shown": "Directory entry shown again",
    "directory.entry_deleted": "Directory entry deleted",
    "directory.entries_merged": "Directory entries merged",
    "search.rebuilt": "Search index rebuilt",
    # Money
    "company.set_up": "Company set up",
    "company.changed": "Company details changed",
    "stream.added": "Funding stream added",
    "stream.changed": "Funding stream changed",
    "stream.confirmed": "Funder confirmed a funding stream",
    "stream.changed_by_funder": "Funder changed a funding stream",
    "stream.viewed_by_funder": "Funder viewed a funding stream",
    "statement.viewed_by_funder": "Funder viewed a funding statement",
    "budget.viewed_by_broker": "Broker viewed a client's budget",
    "receipt.recorded": "Money received recorded",
    "receipt.reversed": "Money received reversed",
    "invoice.submitted": "Invoice sent",
    "invoice.queried": "Invoice queried",
    "invoice.answered": "Query about an invoice answered",
    "invoice.approved": "Invoice approved",
    "invoice.approved_automatically": "Invoice approved under a standing approval",
    "invoice.paid": "Invoice paid",
    "payment.reversed": "Payment reversed",
    "payment.refunded": "Payment refunded through Stripe",
    "invoice.card_payment_started": "Card payment started (Stripe Checkout)",
    "payouts.connected": "Stripe account connected to be paid by card",
    "stripe.flagged": "Stripe payment flagged for an admin",
    "standing_approval.set": "Standing approval set for an agreement",
    "standing_approval.ended": "Standing approval ended",
    # Support plans
    "plan.edited": "Support plan changed",
    "plan.submitted": "Support plan submitted to the funder",
    "plan.changes_requested": "Funder asked for changes to a support plan",
    "plan.approved": "Support plan approved",
    "plan.signed": "Support plan signed",
    "plan.new_version_started": "New version of a support plan started",
    "plan.early_review_asked": "Early review of a support plan asked for",
    "plan.reviewed": "Support plan reviewed",
    "plan.message_posted": "Message about a support plan",
    "plan.indicative_budget_set": "Indicative budget set",
}


def label(action: str) -> str:
    """The readable name of an action key; one not in the table, from its words
    ("gap.closed": "Gap closed")."""
    if action in LABELS:
        return LABELS[action]
    words = action.replace(".", " ").replace("_", " ").split()
    return " ".join(words).capitalize() if words else "Unnamed event"
