"""Every route, walked as anonymous and as each role, against a table of expected statuses.

A new route without a row here fails `test_every_route_has_a_row`. GET routes are fetched;
POST-only routes are posted with a valid CSRF token and, where a form would otherwise refuse
the post before anything is looked up, the smallest valid form (`POST_DATA`), so the
permission check is what answers.

Every object id in a URL is a real record that belongs to someone else: a second hub with its
own lead, broker, applicant and directory entries; a second budget holder with their broker,
engagements, needs, offers, an agreement, a helper and a notification; two provider
organisations with their staff and invitations (`elsewhere`). The visitors (one per role) own
none of it, so the role allowed on a route gets 404, exactly as for a record that does not
exist, and a missing ownership check shows as another status. Public records (a listed
broker's profile, a hub's page, a directory entry, the open data API) answer 200 to everyone.
After the walk, none of the other people's records has changed: that catches a missing check
on the routes that answer the same whether or not they found anything.

`test_their_records_under_my_own_parent` covers nested URLs with the visitor's own parent
(their own record as a budget holder, their own organisation, their own need) and someone
else's child, so each child check is exercised as well as the parent's.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.extensions import db
from tests.conftest import find_csrf, sign_in_as

ROLES = ("anon", "holder", "broker", "provider", "hub_lead", "funder", "admin")

# Shorthands for common rows: {role: status}
PUBLIC = dict.fromkeys(ROLES, 200)
SIGNED_IN = {**dict.fromkeys(ROLES, 200), "anon": 302}
ANON_ONLY = {**dict.fromkeys(ROLES, 302), "anon": 200}  # signed-in people are sent home


def only(*roles: str, others: int = 403) -> dict[str, int]:
    row = {role: others for role in ROLES}
    row["anon"] = 302
    row.update(dict.fromkeys(roles, 200))
    return row


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def mine(role: str) -> dict[str, int]:
    """An object route, visited with someone else's record: the role allowed on the route gets
    404 (someone else's record looks like no record), other roles 403."""
    return only(role) | {role: 404}


SIGNED_IN_404 = {**dict.fromkeys(ROLES, 404), "anon": 302}

# URL arguments that are not records of anyone's.
FIXED_ARGUMENTS: dict[str, Any] = {
    "token": "not-a-real-token",  # a token is a capability, not a record: a wrong one is refused (400)
    "kind": "budget_holder",
    "filename": "css/ourchoice.css",
    "event_id": "evt_nobody_has_this",
    "key": "about_me",  # a part of a plan
    "number": 1,  # a plan's first version
}

# Where one argument name means another record on one route: endpoint -> {argument: key in `elsewhere`}.
OVERRIDES: dict[str, dict[str, str]] = {
    # A broker invitation of the other hub (the staff invitation is for the provider's own route).
    "invitations.withdraw": {"invitation_id": "broker_invitation_id"},
    # A correction to a real, published directory entry ("budget_holder" is not a kind of entry).
    "directory.correction": {"kind": "correction_kind"},
}

# The smallest valid form for POST routes whose form would refuse an empty post before the
# record (or, under the visitor's own parent, the child record) is looked up, so the ownership
# check, not the form, answers.
POST_DATA = {
    "engagements.reply_review": lambda a: {f"r{a['review_id']}-reply": "Thank you for your kind words."},
    "engagements.decide_band_change": lambda a: {f"c{a['change_id']}-decision": "approve"},
    "engagements.moderate_review": lambda a: {f"r{a['review_id']}-decision": "publish"},
    "engagements.moderate_reply": lambda a: {f"reply{a['review_id']}-decision": "publish"},
    "needs.respond_gap": lambda a: {f"g{a['gap_id']}-response": "We are recruiting evening carers."},
    "needs.broker_message": lambda a: {f"m{a['offer_id']}-body": "Can your carer drive?"},
    "needs.provider_message": lambda a: {"body": "Yes, Joanna drives."},
    "needs.decline_offer": lambda a: {"note": "I would like someone who speaks Yoruba."},
    "needs.propose": lambda a: {f"p{a['offer_id']}-reason": "Meets every requirement."},
}

# endpoint -> (method, expected statuses)
TABLE: dict[str, tuple[str, dict[str, int]]] = {
    "static": ("GET", PUBLIC),
    # core
    "home.index": ("GET", PUBLIC),
    "core.healthz": ("GET", PUBLIC),
    "core.accessibility": ("GET", PUBLIC),
    "core.privacy": ("GET", PUBLIC),
    "core.notifications_list": ("GET", SIGNED_IN),
    # Marks only the visitor's own notifications and goes back to the list, found or not: the
    # check after the walk proves the other person's notification is still unread.
    "core.notification_read": ("POST", everyone(302)),
    "core.notifications_read_all": ("POST", everyone(302)),
    # accounts
    "accounts.sign_in": ("GET", ANON_ONLY),
    "accounts.sign_out": ("POST", everyone(302)),
    "accounts.register": ("GET", ANON_ONLY),
    "accounts.register_details": ("GET", ANON_ONLY),
    "accounts.check_email": ("GET", PUBLIC),
    "accounts.resend_verification": ("GET", PUBLIC),
    "accounts.verify_email": ("GET", everyone(400)),
    "accounts.forgot_password": ("GET", PUBLIC),
    "accounts.reset_password": ("GET", everyone(400)),
    "accounts.settings": ("GET", SIGNED_IN),
    "accounts.details": ("GET", SIGNED_IN),
    "accounts.change_email": ("GET", SIGNED_IN),
    "accounts.confirm_email_change": ("GET", everyone(400)),
    "accounts.change_password": ("GET", SIGNED_IN),
    "accounts.accessibility": ("GET", SIGNED_IN),
    "accounts.notification_settings": ("GET", SIGNED_IN),
    "accounts.close_account": ("GET", SIGNED_IN),
    # invitations
    "invitations.accept": ("GET", everyone(400)),
    "invitations.hub_list": ("GET", only("hub_lead")),
    "invitations.hub_new": ("GET", only("hub_lead")),
    # A broker invitation of the other hub: its lead's, not this lead's (404). A platform admin
    # manages every hub's invitations, so the admin withdraws it (302 back to the list).
    "invitations.withdraw": ("POST", only() | {"hub_lead": 404, "admin": 302}),
    # admin
    "admin.index": ("GET", only("admin")),
    "admin.audit_log": ("GET", only("admin")),
    "admin.users": ("GET", only("admin")),
    "admin.invitations_list": ("GET", only("admin")),
    "admin.invitation_new": ("GET", only("admin")),
    "admin.funding_bodies": ("GET", only("admin")),
    "admin.funding_body_new": ("GET", only("admin")),
    # hubs: a hub's page is public; a platform admin manages every hub
    "hubs.index": ("GET", PUBLIC),
    "home.hub_page": ("GET", PUBLIC),
    "home.hub_dashboard": ("GET", only("hub_lead")),
    "hubs.admin_list": ("GET", only("admin")),
    "admin.hub_new": ("GET", only("admin")),
    "hubs.admin_show": ("GET", only("admin")),
    "hubs.admin_edit": ("GET", only("admin")),
    "hubs.admin_status": ("POST", only("admin") | {"admin": 400}),  # no new status chosen
    # brokers: public (a listed broker's profile is for everyone)
    "brokers.directory": ("GET", PUBLIC),
    "brokers.compare": ("GET", everyone(302)),  # nothing chosen: back to the list with a message
    "brokers.profile": ("GET", PUBLIC),
    # brokers: applying
    "brokers.application": ("GET", only("broker")),
    "brokers.apply_hub": ("GET", only("broker")),
    "brokers.apply_business": ("GET", only("broker")),
    "brokers.apply_accreditation": ("GET", only("broker")),
    "brokers.apply_dbs": ("GET", only("broker")),
    "brokers.apply_insurance": ("GET", only("broker")),
    "brokers.apply_conflicts": ("GET", only("broker")),
    "brokers.apply_profile": ("GET", only("broker")),
    "brokers.no_conflicts": ("POST", only("broker") | {"broker": 400}),  # box not ticked
    "brokers.remove_conflict": ("POST", mine("broker")),  # another applicant's declared link
    "brokers.submit_application": ("POST", only("broker") | {"broker": 302}),  # not complete: explained
    "brokers.availability": ("GET", only("broker")),
    "brokers.standards": ("GET", only("broker")),
    "brokers.accept_standards": ("POST", only("broker") | {"broker": 302}),
    # brokers: hub lead and admin (the other hub's brokers and their checks)
    "brokers.review_list": ("GET", only("hub_lead")),
    "brokers.review_broker": ("GET", mine("hub_lead")),
    "brokers.decide": ("POST", mine("hub_lead")),
    "brokers.admin_courses": ("GET", only("admin")),
    "brokers.admin_course_new": ("GET", only("admin")),
    # Courses are the platform's list, managed by admins: the admin's post switches it (302).
    "brokers.admin_course_toggle": ("POST", only("admin") | {"admin": 302}),
    "brokers.admin_standards": ("GET", only("admin")),
    "brokers.admin_standards_new": ("GET", only("admin")),
    # brokerage: budget holder side (another person's records: nobody here may see them)
    # Asking a listed broker is open to anyone with a budget holder's record; others are told why (403).
    "engagements.ask": ("GET", only("holder")),
    "engagements.withdraw_request": ("POST", SIGNED_IN_404),
    "engagements.holder_engagement": ("GET", SIGNED_IN_404),
    "engagements.end_engagement": ("GET", SIGNED_IN_404),
    "engagements.review": ("GET", SIGNED_IN_404),
    # brokerage: broker side (another broker's request, clients and reviews)
    "engagements.broker_requests": ("GET", only("broker")),
    "engagements.broker_request": ("GET", mine("broker")),
    "engagements.accept_request": ("POST", mine("broker")),
    "engagements.decline_request": ("POST", mine("broker")),
    "engagements.broker_clients": ("GET", only("broker")),
    "engagements.broker_client": ("GET", mine("broker")),
    "engagements.log_time": ("GET", mine("broker")),
    "engagements.band_change": ("GET", mine("broker")),
    "engagements.broker_end": ("GET", mine("broker")),
    "engagements.new_client": ("GET", only("broker")),
    "engagements.invite_claim": ("POST", mine("broker")),
    "engagements.broker_reviews": ("GET", only("broker")),
    "engagements.reply_review": ("POST", mine("broker")),
    # brokerage: hub lead (the other hub's engagements, band changes and reviews) and admin
    "engagements.hub_engagements": ("GET", only("hub_lead")),
    "engagements.hub_engagement": ("GET", mine("hub_lead")),
    "engagements.hub_band_changes": ("GET", only("hub_lead")),
    "engagements.decide_band_change": ("POST", mine("hub_lead")),
    "engagements.hub_reviews": ("GET", only("hub_lead")),
    "engagements.moderate_review": ("POST", mine("hub_lead")),
    "engagements.moderate_reply": ("POST", mine("hub_lead")),  # the other broker's reply, in the other hub
    "engagements.admin_bands": ("GET", only("admin")),
    "/admin/bands/new": ("GET", only("admin")),
    "/admin/bands/<int:band_id>": ("GET", only("admin")),  # bands are the platform's, managed by admins
    # holders: another person's space
    "home.person": ("GET", SIGNED_IN_404),
    "holders.about": ("GET", SIGNED_IN_404),
    "holders.helpers": ("GET", SIGNED_IN_404),
    "holders.invite_helper": ("GET", SIGNED_IN_404),
    "holders.revoke_helper": ("POST", SIGNED_IN_404),
    "holders.accept_helper": ("GET", everyone(400)),
    "holders.claim": ("GET", everyone(400)),
    # providers: another organisation, its staff and invitations; a provider in another hub's districts
    "providers.overview": ("GET", mine("provider")),
    "providers.profile": ("GET", mine("provider")),
    "providers.capacity": ("GET", mine("provider")),
    "providers.staff": ("GET", mine("provider")),
    "providers.remove_staff": ("POST", mine("provider")),
    "providers.withdraw_staff_invitation": ("POST", mine("provider")),
    "providers.hub_list": ("GET", only("hub_lead")),
    "providers.hub_verify": ("GET", mine("hub_lead")),
    # needs: /needs shows providers their board and sends others to their own lists
    "needs.board": ("GET", {"anon": 302, "holder": 302, "broker": 302, "provider": 200, "hub_lead": 302,
                            "funder": 403, "admin": 403}),
    "needs.broker_needs": ("GET", only("broker")),
    "needs.new_need": ("GET", mine("broker")),
    "needs.edit_need": ("GET", mine("broker")),
    "needs.broker_need": ("GET", mine("broker")),
    "needs.publish_need": ("POST", mine("broker")),
    "needs.withdraw_need": ("POST", mine("broker")),
    "needs.reopen_need": ("POST", mine("broker")),
    "needs.raise_gap": ("POST", mine("broker")),
    "needs.shortlist": ("POST", mine("broker")),
    "needs.propose": ("POST", mine("broker")),
    "needs.ask_for_sharing": ("POST", mine("broker")),
    "needs.record_sharing": ("POST", mine("broker")),
    "needs.broker_message": ("POST", mine("broker")),
    "needs.provider_need": ("GET", mine("provider")),
    "needs.save_offer": ("POST", mine("provider")),
    "needs.withdraw_offer": ("GET", mine("provider")),  # asks first; the same address withdraws (POST)
    "needs.provider_message": ("POST", mine("provider")),
    "needs.provider_offers": ("GET", mine("provider")),
    "needs.provider_agreements": ("GET", mine("provider")),
    "needs.provider_agreement": ("GET", mine("provider")),
    "needs.holder_needs": ("GET", SIGNED_IN_404),
    "needs.holder_need": ("GET", SIGNED_IN_404),
    "needs.accept_offer": ("GET", SIGNED_IN_404),  # the check step; the same address accepts (POST)
    "needs.holder_sharing": ("GET", SIGNED_IN_404),
    "needs.holder_agreement": ("GET", SIGNED_IN_404),
    "needs.withdraw_sharing": ("POST", SIGNED_IN_404),
    "needs.decline_offer": ("POST", SIGNED_IN_404),
    "needs.hub_gaps": ("GET", only("hub_lead")),
    "needs.respond_gap": ("POST", mine("hub_lead")),  # a gap in the other hub
    "needs.broker_gaps": ("GET", only("broker")),
    "needs.new_gap": ("GET", only("broker")),
    # reports: the hub lead's own hub; the admin chooses a hub (none given: every hub's page, or 404 for a list)
    "reports.hub": ("GET", only("hub_lead") | {"admin": 302}),
    "reports.needs": ("GET", only("hub_lead", "admin") | {"hub_lead": 404, "admin": 404}),  # no measure chosen
    "reports.gaps": ("GET", only("hub_lead") | {"admin": 404}),
    "reports.reviews": ("GET", only("hub_lead") | {"admin": 404}),
    "reports.provider": ("GET", only("hub_lead", "admin") | {"hub_lead": 404, "admin": 404}),  # not in their hub
    "reports.all_hubs": ("GET", only("admin")),
    "needs.admin_categories": ("GET", only("admin")),
    "/admin/categories/new": ("GET", only("admin")),
    "/admin/categories/<int:category_id>": ("GET", only("admin")),  # the platform's categories, managed by admins
    "admin.search_status": ("GET", only("admin")),
    "admin.search_rebuild": ("POST", only("admin") | {"admin": 302}),
    # directory: public entries and verified providers are for everyone; corrections from anyone signed in
    "directory.index": ("GET", PUBLIC),
    "directory.entry": ("GET", PUBLIC),
    "directory.provider": ("GET", PUBLIC),
    "directory.suggest": ("GET", SIGNED_IN),
    "directory.correction": ("GET", SIGNED_IN),
    # directory: hub leads moderate their districts, admins the districts no hub covers; the
    # entry and the suggestion are in the other hub's district, so neither may touch them (404)
    "directory.hub_index": ("GET", only("hub_lead", "admin")),
    "directory.hub_entries": ("GET", only("hub_lead", "admin")),
    "/hub/directory/entries/new": ("GET", only("hub_lead", "admin")),
    "/hub/directory/entries/<int:entry_id>": ("GET", only() | {"hub_lead": 404, "admin": 404}),
    "directory.verify_entry": ("POST", only() | {"hub_lead": 404, "admin": 404}),
    "directory.hide_entry": ("POST", only() | {"hub_lead": 404, "admin": 404}),
    "directory.show_entry": ("POST", only() | {"hub_lead": 404, "admin": 404}),
    "directory.delete_entry": ("POST", only() | {"hub_lead": 404, "admin": 404}),
    "directory.merge_entry": ("POST", only() | {"hub_lead": 404, "admin": 404}),
    "directory.review_suggestion": ("GET", only() | {"hub_lead": 404, "admin": 404}),
    # money: the other person's company, streams, receipts, invoices and payments (nobody here may see them)
    "money.home": ("GET", SIGNED_IN_404),
    "money.stream": ("GET", SIGNED_IN_404),
    "money.statement": ("GET", SIGNED_IN_404),
    "money.statement_csv": ("GET", SIGNED_IN_404),
    "money.share_budget": ("POST", SIGNED_IN_404),
    "money.stop_sharing_budget": ("POST", SIGNED_IN_404),
    "ledger.company": ("GET", SIGNED_IN_404),
    "ledger.new_stream": ("GET", SIGNED_IN_404),
    "ledger.edit_stream": ("GET", SIGNED_IN_404),
    "ledger.new_receipt": ("GET", SIGNED_IN_404),
    "ledger.reverse_receipt": ("GET", SIGNED_IN_404),
    "payments.holder_invoices": ("GET", SIGNED_IN_404),
    "payments.holder_invoice": ("GET", SIGNED_IN_404),
    "payments.approve_invoice": ("POST", SIGNED_IN_404),
    "payments.query_invoice": ("POST", SIGNED_IN_404),
    "payments.pay_invoice": ("GET", SIGNED_IN_404),
    "payments.reverse_payment": ("GET", SIGNED_IN_404),
    "payments.standing_approval": ("GET", SIGNED_IN_404),
    # money: a funder officer's home, and another body's stream; a broker's view of another broker's client
    "money.funder_home": ("GET", only("funder")),
    # plans: the other person's plan, submitted to a funding body none of the visitors is an officer of
    "plans.index": ("GET", SIGNED_IN_404),
    "plans.new": ("GET", SIGNED_IN_404),
    "plans.show": ("GET", SIGNED_IN_404),
    "plans.message": ("POST", SIGNED_IN_404),
    "plans.easy_read": ("GET", SIGNED_IN_404),
    "plans.print_view": ("GET", SIGNED_IN_404),
    "plans.version": ("GET", SIGNED_IN_404),
    "plans.compare": ("GET", SIGNED_IN_404),
    "plans.section": ("GET", SIGNED_IN_404),
    "plans.new_line": ("GET", SIGNED_IN_404),
    "plans.edit_line": ("GET", SIGNED_IN_404),
    "plans.remove_line": ("POST", SIGNED_IN_404),
    "plans.submit_plan": ("GET", SIGNED_IN_404),
    "plans.ask_for_changes": ("GET", SIGNED_IN_404),
    "plans.approve": ("POST", SIGNED_IN_404),
    "plans.sign": ("GET", SIGNED_IN_404),
    "plans.new_version": ("GET", SIGNED_IN_404),
    "plans.early_review": ("GET", SIGNED_IN_404),
    "plans.review": ("GET", SIGNED_IN_404),
    # another body's indicative budget for the other person
    "plans.budget": ("GET", mine("funder")),
    "money.funder_stream": ("GET", mine("funder")),
    "money.funder_statement": ("GET", mine("funder")),
    "money.funder_statement_csv": ("GET", mine("funder")),
    "ledger.funder_allocation": ("GET", mine("funder")),
    "money.broker_budget": ("GET", mine("broker")),
    # money: invoices as the provider organisation or broker who sent them sees them
    "payments.provider_invoices": ("GET", mine("provider")),
    "payments.new_provider_invoice": ("GET", mine("provider")),
    "payments.provider_invoice": ("GET", mine("provider")),
    "payments.answer_provider_invoice": ("POST", mine("provider")),
    "payments.correct_provider_invoice": ("GET", mine("provider")),
    "payments.broker_invoices": ("GET", only("broker")),
    "payments.new_broker_invoice": ("GET", mine("broker")),
    "payments.broker_invoice": ("GET", mine("broker")),
    "payments.answer_broker_invoice": ("POST", mine("broker")),
    "payments.correct_broker_invoice": ("GET", mine("broker")),
    # Card payments through Stripe (not switched on here: the payee's pages say so).
    "payments.pay_by_card": ("GET", SIGNED_IN_404),
    "payments.card_return": ("GET", SIGNED_IN_404),
    "payments.stripe_webhook": ("POST", everyone(400)),  # no Stripe signature: refused, whoever sends it
    "payments.admin_stripe_events": ("GET", only("admin")),
    "payments.admin_stripe_event": ("GET", mine("admin")),  # an event id nobody has
    "payments.provider_payouts": ("GET", mine("provider")),
    "payments.provider_payouts_connect": ("POST", mine("provider")),
    "payments.provider_payouts_return": ("GET", mine("provider")),
    "payments.provider_payouts_refresh": ("GET", mine("provider")),
    "payments.provider_payouts_dashboard": ("POST", mine("provider")),
    "payments.broker_payouts": ("GET", only("broker")),
    # The broker's own page: each answers by going back to it (connecting says card payments are off).
    "payments.broker_payouts_connect": ("POST", only("broker") | {"broker": 302}),
    "payments.broker_payouts_return": ("GET", only("broker") | {"broker": 302}),
    "payments.broker_payouts_refresh": ("GET", only("broker") | {"broker": 302}),
    "payments.broker_payouts_dashboard": ("POST", only("broker") | {"broker": 302}),  # not connected: says so
    # Open Referral UK: open data, no sign-in (real, listed ids)
    "openreferral.version": ("GET", PUBLIC),
    "openreferral.services_list": ("GET", PUBLIC),
    "openreferral.service": ("GET", PUBLIC),
    "openreferral.service_at_locations": ("GET", PUBLIC),
    "openreferral.service_at_location": ("GET", PUBLIC),
    "openreferral.taxonomies": ("GET", PUBLIC),
    "openreferral.taxonomy": ("GET", PUBLIC),
    "openreferral.taxonomy_terms": ("GET", PUBLIC),
    "openreferral.taxonomy_term": ("GET", PUBLIC),
}


# --- The records of other people ------------------------------------------------------------------


def _need_details(**overrides):
    from tests.factories import need_details

    return need_details(**overrides)


def _offer(organisation, need):
    from app.core.timeutil import today_in_london
    from app.needs import offers

    owner = next(s.user for s in organisation.staff if s.is_owner)
    return offers.save_offer(owner, organisation.id, need.id, offers.OfferDetails(
        hourly_rate_pence=2500, proposed_start=today_in_london() + timedelta(days=7), requirements_met=[],
        message="Joanna lives nearby and is free in the mornings.", worker_languages=[], worker_gender=None))


def _published_need(broker, engagement, **details):
    from app.needs import posting
    from tests.factories import agree_and_publish

    need = posting.create_draft(broker.user, engagement.id, _need_details(**details))
    agree_and_publish(broker.user, need)
    return need


def _their_money(person, organisation, broker):
    from app.ledger import services as ledger
    from app.payments import services as payments
    from tests.money_helpers import acting_for, company_and_streams, key, running_agreement

    acting = acting_for(person.user, person)
    company, streams, _officer = company_and_streams(person)
    council = streams["council"]
    receipt = ledger.record_receipt(acting, council.id, amount_pence=100_000,
                                    received_on=council.starts_on, reference="WCC 01", key=key())
    agreement = running_agreement(person, organisation, broker)
    owner = next(s.user for s in organisation.staff if s.is_owner)
    start = agreement.start_date
    invoice = payments.send_provider_invoice(owner, organisation.id, agreement.id, payments.ProviderInvoiceDraft(
        start, start + timedelta(days=6), 240, agreement.hourly_rate_pence))
    payments.approve(acting, invoice.id)
    payment = payments.pay_manually(acting, invoice.id, payments.ManualPayment(
        [payments.Share(council.id, invoice.total_pence)], "OC-1", start + timedelta(days=8), key=key()))
    db.session.commit()
    return company.id, council.id, receipt.id, invoice.id, payment.id


@pytest.fixture
def elsewhere(people) -> dict[str, Any]:
    """Records that belong to people the visitors are not: URL argument name -> a real id."""
    from app.brokers import application
    from app.brokers.models import BrokerStatus, Verification, VerificationStatus
    from app.core.notifications import notify
    from app.core.reference import QUALITY_QUESTIONS
    from app.core.roles import Role
    from app.core.timeutil import utcnow
    from app.directory import services as directory
    from app.engagements import reviews
    from app.engagements import services as engagements
    from app.holders import services as holders
    from app.holders.models import DelegateAccess, Delegation, DelegationStatus
    from app.invitations import services as invitations
    from app.needs import choosing, posting
    from app.openreferral import services as openreferral
    from tests.factories import (
        AccreditedCourseFactory,
        BrokerProfileFactory,
        BudgetHolderFactory,
        HubFactory,
        HubLeadFactory,
        ProviderStaffFactory,
        UserFactory,
        accredited_broker,
        band,
        category,
        directory_entry,
        provider,
    )
    from tests.factories import engagement as start_engagement

    # Another hub, its lead, an approved broker (listed publicly) and an applicant waiting for checks.
    hub = HubFactory(name="Westbourne Brokerage Hub", slug="westbourne", districts=["W9"])
    lead = HubLeadFactory(hub=hub, user__name="Priya Shah").user
    broker = accredited_broker(hub, name="Daniel Price")
    applicant = BrokerProfileFactory(hub=hub, status=BrokerStatus.SUBMITTED, user__name="Tom Ellis")
    application.add_conflict(applicant.user, application.Conflict("Westway Care Ltd", "provider", "employment"))
    conflict = applicant.conflicts[0]
    verification = db.session.scalar(select(Verification).where(
        Verification.broker_id == applicant.id, Verification.status == VerificationStatus.PENDING))
    broker_invitation = invitations.invite(lead, invitations.NewInvitation(
        "new.broker@example.org", "Nadia Rahman", Role.BROKER, hub_id=hub.id))

    # Another budget holder: a finished engagement with a published review, then a request that
    # their broker accepted, a band change waiting for the lead, a helper and a notification.
    person = BudgetHolderFactory(name="Samuel Adeyemi", user__name="Samuel Adeyemi", district="W9")
    as_person = holders.access(person.user, person.id, act=True)
    past = start_engagement(person, broker)
    engagements.end_by_broker(broker.user, past.id, "Your support is arranged.")
    review = reviews.submit_review(as_person, past.id, answers=dict.fromkeys(QUALITY_QUESTIONS, "yes"), rating=5,
                                   comment="Daniel listened and found the right help.")
    reviews.moderate(lead, review.id, publish=True, note="")
    reviews.reply(broker.user, review.id, "Thank you, Samuel.")
    request = engagements.ask_broker(as_person, broker.id, message="Please help me plan my support again.",
                                   help_wanted=["planning"], consent=True)
    current = engagements.accept_request(broker.user, request.id)
    change = engagements.request_band_change(broker.user, current.id, band("B").id, "A hospital discharge.")
    helper = UserFactory(name="Ada Adeyemi")
    delegation = Delegation(holder_id=person.id, user_id=helper.id, email=helper.email, name=helper.name,
                            access=DelegateAccess.ACT, status=DelegationStatus.ACTIVE, invited_by_id=person.user_id,
                            accepted_at=utcnow(), expires_at=utcnow())
    db.session.add(delegation)
    notification = notify(person.user, "need_news", "Your broker has posted a need")
    db.session.commit()

    # Two provider organisations in that hub's district, with staff and a staff invitation.
    maida = provider("Maida Vale Care", districts=("W9",))
    notting = provider("Notting Hill Care", districts=("W9",))
    staff = ProviderStaffFactory(organisation=maida, user__name="Joanna Carer")
    owner = next(s.user for s in maida.staff if s.is_owner)
    staff_invitation = invitations.invite(owner, invitations.NewInvitation(
        "new.carer@example.org", "Kofi Mensah", Role.PROVIDER_STAFF, provider_organisation_id=maida.id))

    # Their needs: one open with offers from both providers (one proposed to the person, one
    # shortlisted, a question asked) and raised as a gap; one filled, with its agreement.
    need = _published_need(broker, current)
    offer = _offer(maida, need)
    other_offer = _offer(notting, need)
    choosing.shortlist(broker.user, need.id, offer.id)
    choosing.shortlist(broker.user, need.id, other_offer.id)
    choosing.broker_message(broker.user, need.id, offer.id, "Can Joanna start on a Monday?")
    choosing.propose(broker.user, need.id, offer.id, "Meets every requirement.")
    gap = posting.raise_gap(broker.user, need.id, "Nobody offers evening visits in W9.")
    filled = _published_need(broker, current, public_description="A lunchtime visit on weekdays.")
    filled_offer = _offer(maida, filled)
    choosing.shortlist(broker.user, filled.id, filled_offer.id)
    choosing.propose(broker.user, filled.id, filled_offer.id, "Meets every requirement.")
    agreement = choosing.accept(as_person, filled.id, filled_offer.id)

    # The other hub's directory: a published entry and a correction someone suggested.
    entry = directory_entry("Westbourne Lunch Club", districts=("W9",), address="Westbourne Hall, 1 Elgin Avenue",
                            postcode="W9 2EG")
    suggestion = directory.suggest_correction(person.user, "service", entry.id, "The phone number has changed.")

    # Their money: a company, a stream from a funding body none of the visitors is an officer of, a
    # receipt, and an invoice from the provider, approved and paid.
    _company_id, stream_id, receipt_id, invoice_id, payment_id = _their_money(person, maida, broker)

    plan_id, line_id, body_id = _their_plan(person)

    personal_care = category("personal-care")
    return {
        "plan_id": plan_id, "line_id": line_id, "body_id": body_id,
        "stream_id": stream_id, "receipt_id": receipt_id, "invoice_id": invoice_id, "payment_id": payment_id,
        "holder_id": person.id, "request_id": request.id, "engagement_id": current.id, "review_id": review.id,
        "change_id": change.id, "delegation_id": delegation.id, "notification_id": notification.id,
        "broker_id": broker.id, "hub_id": hub.id, "slug": hub.slug, "conflict_id": conflict.id,
        "verification_id": verification.id, "organisation_id": maida.id, "staff_id": staff.id,
        "invitation_id": staff_invitation.id, "broker_invitation_id": broker_invitation.id,
        "need_id": need.id, "offer_id": offer.id, "agreement_id": agreement.id, "gap_id": gap.id,
        "entry_id": entry.id, "suggestion_id": suggestion.id, "correction_kind": "service", "target_id": entry.id,
        # The platform's own lists, managed by admins (a course nobody's accreditation uses, as the
        # admin's post switches it off).
        "band_id": band("B").id, "category_id": personal_care.id, "course_id": AccreditedCourseFactory().id,
        # Open data ids, as the API publishes them.
        "service_id": entry.uuid, "item_id": openreferral.masked(entry.uuid, "service-at-location"),
        "taxonomy_id": openreferral.TAXONOMY_ID, "term_id": openreferral.term_id(personal_care),
        **FIXED_ARGUMENTS,
    }


def _their_plan(person) -> tuple[int, int, int]:
    """A plan of theirs, written in full and submitted to a funding body none of the visitors serves."""
    from app.core.timeutil import today_in_london
    from app.plans import services as plans
    from tests.factories import FundingBodyFactory

    body = FundingBodyFactory(name="Brent Council")
    access, _ = plans.plans_for(person.user, person.id)
    plan = plans.create_plan(access, body.id)
    for key in ("about_me", "important_to_me", "outcomes", "risks", "emergency", "who_helped"):
        plans.save_section(access, plan, key, "Written with my family.")
    plans.save_money(access, plan, "direct_payment", "I decide.")
    plans.save_start(access, plan, today_in_london(), 6)
    line = plans.add_line(access, plan, plans.LineDetails(need="Washing", support="A PA", given_by="provider",
                                                          given_by_name="", quantity="7 hours a week",
                                                          cost_pence=900_000, paid_by="indicative"))
    plans.submit(access, plan, agreed=True)
    db.session.commit()
    return plan.id, line.id, body.id


@pytest.fixture
def people(holder, broker, provider_user, hub_lead, funder, admin_user):
    return {"holder": holder, "broker": broker, "provider": provider_user, "hub_lead": hub_lead,
            "funder": funder, "admin": admin_user}


def arguments_for(rule, records: dict[str, Any], overrides: dict[str, str] | None = None) -> dict[str, Any]:
    names = {**OVERRIDES.get(rule.endpoint, {}), **(overrides or {})}
    return {arg: records[names.get(arg, arg)] for arg in rule.arguments}


def url_for_rule(rule, values: dict[str, Any]) -> str:
    from flask import url_for

    return rule.build(values, append_unknown=False)[1] if rule.arguments else url_for(rule.endpoint)


def row_for(rule) -> tuple[str, dict[str, int]]:
    """A row is keyed by endpoint, or by the URL rule when one endpoint has several URLs."""
    return TABLE.get(rule.rule) or TABLE[rule.endpoint]


def visit(app, user, method: str, url: str, data: dict[str, str]) -> int:
    client = app.test_client()
    if user is not None:
        sign_in_as(client, user)
    if method == "GET":
        return client.get(url).status_code
    token = find_csrf(client.get("/account" if user is not None else "/sign-in").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data}).status_code


# The append-only audit log grows as visitors look at their own pages: it is nobody's record.
NOT_COMPARED = {"audit_events"}


def snapshot() -> dict[tuple, tuple]:
    """Every existing row of every compared table, by table and primary key."""
    rows = {}
    for table in db.metadata.sorted_tables:
        if table.name in NOT_COMPARED:
            continue
        keys = [column.name for column in table.primary_key.columns]
        for row in db.session.execute(select(table)).mappings():
            rows[(table.name, *(row[k] for k in keys))] = tuple(row.items())
    return rows


def test_every_route_has_a_row(app):
    rules = list(app.url_map.iter_rules())
    missing = sorted(r.rule for r in rules if r.rule not in TABLE and r.endpoint not in TABLE)
    assert not missing, f"routes without a row in the permission table: {missing}"
    known = {r.rule for r in rules} | {r.endpoint for r in rules}
    stale = sorted(TABLE.keys() - known)
    assert not stale, f"rows for routes that no longer exist: {stale}"


def test_every_route_answers_every_role_as_expected(app, people, elsewhere):
    with app.test_request_context():
        rules = [(rule, arguments_for(rule, elsewhere)) for rule in app.url_map.iter_rules()]
        rules = [(rule, values, url_for_rule(rule, values)) for rule, values in rules]
    before = snapshot()
    failures = []
    for rule, values, url in rules:
        method, expected = row_for(rule)
        data = POST_DATA[rule.endpoint](values) if rule.endpoint in POST_DATA else {}
        for role in ROLES:
            status = visit(app, people.get(role), method, url, data)
            if status != expected[role]:
                failures.append(f"{method} {url} as {role}: got {status}, expected {expected[role]}")
    assert not failures, "\n".join(failures)

    # Visitors may change their own accounts (signing in and out) and the admin what the platform's
    # admins manage (it withdrew the other hub's broker invitation and switched the course); nothing
    # else that existed before the walk has changed.
    yours = {("users", user.id) for user in people.values()} | {
        ("invitations", elsewhere["broker_invitation_id"]), ("accredited_courses", elsewhere["course_id"])}
    db.session.expire_all()
    after = snapshot()
    changed = sorted(str(key) for key, row in before.items() if key not in yours and after.get(key) != row)
    assert not changed, "other people's records changed during the walk:\n" + "\n".join(changed)


def test_post_only_routes_refuse_get(app):
    from werkzeug.exceptions import MethodNotAllowed

    client = app.test_client()
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if row_for(rule)[0] == "POST":
                assert "GET" not in rule.methods
                # The method is refused before any record is looked up: any id will do.
                url = url_for_rule(rule, {arg: FIXED_ARGUMENTS.get(arg, 1) for arg in rule.arguments})
                assert client.get(url).status_code == MethodNotAllowed.code


# --- Someone else's record under the visitor's own parent -----------------------------------------


@pytest.fixture
def own(people, elsewhere, hub) -> dict[str, Any]:
    """The visitors' own parents: the budget holder's own record, the provider's own organisation,
    and a published need the broker posted for their own client (the budget holder)."""
    from tests.factories import engagement

    person = people["holder"].budget_holder
    work = engagement(person, people["broker"].broker_profile)
    need = _published_need(people["broker"].broker_profile, work, district=hub.district_codes[0])
    # The visitor has a company of their own, so a child of someone else's is what is looked up.
    from app.ledger import services as ledger
    from tests.money_helpers import acting_for

    ledger.set_up_company(acting_for(person.user, person), ledger.CompanyDetails(name="My Support Ltd",
                                                                                  kind="budget_account"))
    db.session.commit()
    organisation_id = people["provider"].provider_memberships[0].organisation_id
    return {**elsewhere, "own_holder_id": person.id, "own_organisation_id": organisation_id, "own_need_id": need.id}


# (endpoint, role, arguments that are the visitor's own): every other argument is someone else's.
NESTED = [
    ("engagements.withdraw_request", "holder", {"holder_id": "own_holder_id"}),
    ("engagements.holder_engagement", "holder", {"holder_id": "own_holder_id"}),
    ("engagements.end_engagement", "holder", {"holder_id": "own_holder_id"}),
    ("engagements.review", "holder", {"holder_id": "own_holder_id"}),
    ("holders.revoke_helper", "holder", {"holder_id": "own_holder_id"}),
    ("needs.holder_need", "holder", {"holder_id": "own_holder_id"}),
    ("needs.accept_offer", "holder", {"holder_id": "own_holder_id"}),
    ("needs.holder_agreement", "holder", {"holder_id": "own_holder_id"}),
    ("needs.holder_sharing", "holder", {"holder_id": "own_holder_id"}),
    ("needs.accept_offer", "holder", {"holder_id": "own_holder_id", "need_id": "own_need_id"}),
    ("needs.decline_offer", "holder", {"holder_id": "own_holder_id"}),
    ("needs.decline_offer", "holder", {"holder_id": "own_holder_id", "need_id": "own_need_id"}),
    ("needs.provider_need", "provider", {"organisation_id": "own_organisation_id"}),
    ("needs.save_offer", "provider", {"organisation_id": "own_organisation_id"}),
    ("needs.withdraw_offer", "provider", {"organisation_id": "own_organisation_id"}),
    ("needs.provider_message", "provider", {"organisation_id": "own_organisation_id"}),
    ("needs.provider_agreement", "provider", {"organisation_id": "own_organisation_id"}),
    ("providers.remove_staff", "provider", {"organisation_id": "own_organisation_id"}),
    ("providers.withdraw_staff_invitation", "provider", {"organisation_id": "own_organisation_id"}),
    *[(endpoint, "holder", {"holder_id": "own_holder_id"}) for endpoint in (
        "money.stream", "money.statement", "money.statement_csv", "ledger.edit_stream", "ledger.new_receipt",
        "ledger.reverse_receipt", "payments.holder_invoice", "payments.approve_invoice", "payments.query_invoice",
        "payments.pay_invoice", "payments.reverse_payment", "payments.standing_approval", "payments.pay_by_card",
        "payments.card_return")],
    *[(endpoint, "provider", {"organisation_id": "own_organisation_id"}) for endpoint in (
        "payments.new_provider_invoice", "payments.provider_invoice", "payments.answer_provider_invoice",
        "payments.correct_provider_invoice")],
    ("needs.shortlist", "broker", {"need_id": "own_need_id"}),
    ("needs.propose", "broker", {"need_id": "own_need_id"}),
    ("needs.broker_message", "broker", {"need_id": "own_need_id"}),
]


def test_their_records_under_my_own_parent(app, people, own):
    rules = {rule.endpoint: rule for rule in app.url_map.iter_rules()}
    failures = []
    for endpoint, role, mine_ in NESTED:
        rule = rules[endpoint]
        values = arguments_for(rule, own, mine_)
        with app.test_request_context():
            url = url_for_rule(rule, values)
        method = row_for(rule)[0]
        data = POST_DATA[endpoint](values) if endpoint in POST_DATA else {}
        status = visit(app, people[role], method, url, data)
        if status != 404:
            failures.append(f"{method} {url} as {role}: got {status}, expected 404")
    assert not failures, "\n".join(failures)
