"""Every route, walked as anonymous and as each role, against a table of expected statuses.

A new route without a row here fails `test_every_route_has_a_row`. GET routes are fetched;
POST-only routes are posted with a valid CSRF token and no other data, so the permission
check is what answers. Object routes use ids that belong to nobody the visitor knows (404).
"""

from __future__ import annotations

import pytest

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


# Sample values for URL arguments.
ARGUMENTS = {
    "token": "not-a-real-token",
    "kind": "budget_holder",
    "notification_id": 999999,
    "invitation_id": 999999,
    "filename": "css/ourchoice.css",
    "slug": "no-such-hub",
    "broker_id": 999999,
    "hub_id": 999999,
    "holder_id": 999999,
    "request_id": 999999,
    "engagement_id": 999999,
    "verification_id": 999999,
    "conflict_id": 999999,
    "course_id": 999999,
    "review_id": 999999,
    "change_id": 999999,
    "delegation_id": 999999,
    "band_id": 999999,
    "organisation_id": 999999,
    "staff_id": 999999,
    "need_id": 999999,
    "offer_id": 999999,
    "agreement_id": 999999,
    "gap_id": 999999,
    "category_id": 999999,
    "entry_id": 999999,
    "target_id": 999999,
    "suggestion_id": 999999,
    "service_id": "00000000-0000-4000-8000-000000000000",
    "item_id": "00000000-0000-4000-8000-000000000000",
    "taxonomy_id": "00000000-0000-4000-8000-000000000000",
    "term_id": "00000000-0000-4000-8000-000000000000",
}


def mine(role: str) -> dict[str, int]:
    """An object route, visited with an id that is not the visitor's: the role allowed on the
    route gets 404 (someone else's record looks like no record), other roles 403."""
    return only(role) | {role: 404}


SIGNED_IN_404 = {**dict.fromkeys(ROLES, 404), "anon": 302}

# endpoint -> (method, expected statuses)
TABLE: dict[str, tuple[str, dict[str, int]]] = {
    "static": ("GET", PUBLIC),
    # core
    "core.home": ("GET", PUBLIC),
    "core.healthz": ("GET", PUBLIC),
    "core.accessibility": ("GET", PUBLIC),
    "core.privacy": ("GET", PUBLIC),
    "core.notifications_list": ("GET", SIGNED_IN),
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
    # Nobody's invitation 999999: the people allowed to withdraw get 404, others 403.
    "invitations.withdraw": ("POST", only() | {"hub_lead": 404, "admin": 404}),
    # admin
    "admin.index": ("GET", only("admin")),
    "admin.audit_log": ("GET", only("admin")),
    "admin.invitations_list": ("GET", only("admin")),
    "admin.invitation_new": ("GET", only("admin")),
    "admin.funding_bodies": ("GET", only("admin")),
    "admin.funding_body_new": ("GET", only("admin")),
    # hubs
    "hubs.index": ("GET", PUBLIC),
    "hubs.show": ("GET", everyone(404)),
    "hubs.dashboard": ("GET", only("hub_lead")),
    "hubs.admin_list": ("GET", only("admin")),
    "hubs.admin_new": ("GET", only("admin")),
    "hubs.admin_show": ("GET", mine("admin")),
    "hubs.admin_edit": ("GET", mine("admin")),
    "hubs.admin_status": ("POST", mine("admin")),
    # brokers: public
    "brokers.directory": ("GET", PUBLIC),
    "brokers.compare": ("GET", everyone(302)),  # nothing chosen: back to the list with a message
    "brokers.profile": ("GET", everyone(404)),
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
    "brokers.remove_conflict": ("POST", mine("broker")),
    "brokers.submit_application": ("POST", only("broker") | {"broker": 302}),  # not complete: explained
    "brokers.availability": ("GET", only("broker")),
    "brokers.standards": ("GET", only("broker")),
    "brokers.accept_standards": ("POST", only("broker") | {"broker": 302}),
    # brokers: hub lead and admin
    "brokers.review_list": ("GET", only("hub_lead")),
    "brokers.review_broker": ("GET", mine("hub_lead")),
    "brokers.decide": ("POST", mine("hub_lead")),
    "brokers.admin_courses": ("GET", only("admin")),
    "brokers.admin_course_new": ("GET", only("admin")),
    "brokers.admin_course_toggle": ("POST", mine("admin")),
    "brokers.admin_standards": ("GET", only("admin")),
    "brokers.admin_standards_new": ("GET", only("admin")),
    # brokerage: budget holder side (ids of nobody the visitor may see)
    "brokerage.ask": ("GET", SIGNED_IN_404),
    "brokerage.withdraw_request": ("POST", SIGNED_IN_404),
    "brokerage.holder_engagement": ("GET", SIGNED_IN_404),
    "brokerage.end_engagement": ("GET", SIGNED_IN_404),
    "brokerage.review": ("GET", SIGNED_IN_404),
    # brokerage: broker side
    "brokerage.broker_requests": ("GET", only("broker")),
    "brokerage.broker_request": ("GET", mine("broker")),
    "brokerage.accept_request": ("POST", mine("broker")),
    "brokerage.decline_request": ("POST", mine("broker")),
    "brokerage.broker_clients": ("GET", only("broker")),
    "brokerage.broker_client": ("GET", mine("broker")),
    "brokerage.log_time": ("GET", mine("broker")),
    "brokerage.band_change": ("GET", mine("broker")),
    "brokerage.broker_end": ("GET", mine("broker")),
    "brokerage.new_client": ("GET", only("broker")),
    "brokerage.invite_claim": ("POST", mine("broker")),
    "brokerage.broker_reviews": ("GET", only("broker")),
    "brokerage.reply_review": ("POST", only("broker") | {"broker": 400}),  # empty reply
    # brokerage: hub lead and admin
    "brokerage.hub_engagements": ("GET", only("hub_lead")),
    "brokerage.hub_engagement": ("GET", mine("hub_lead")),
    "brokerage.hub_band_changes": ("GET", only("hub_lead")),
    "brokerage.decide_band_change": ("POST", only("hub_lead") | {"hub_lead": 400}),  # no decision chosen
    "brokerage.hub_reviews": ("GET", only("hub_lead")),
    "brokerage.moderate_review": ("POST", only("hub_lead") | {"hub_lead": 400}),
    "brokerage.admin_bands": ("GET", only("admin")),
    "/admin/bands/new": ("GET", only("admin")),
    "/admin/bands/<int:band_id>": ("GET", mine("admin")),
    # holders
    "holders.overview": ("GET", SIGNED_IN_404),
    "holders.about": ("GET", SIGNED_IN_404),
    "holders.helpers": ("GET", SIGNED_IN_404),
    "holders.invite_helper": ("GET", SIGNED_IN_404),
    "holders.revoke_helper": ("POST", SIGNED_IN_404),
    "holders.accept_helper": ("GET", everyone(400)),
    "holders.claim": ("GET", everyone(400)),
    # providers
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
    "needs.broker_message": ("POST", mine("broker")),
    "needs.provider_need": ("GET", mine("provider")),
    "needs.save_offer": ("POST", mine("provider")),
    "needs.withdraw_offer": ("POST", mine("provider")),
    "needs.provider_message": ("POST", mine("provider")),
    "needs.provider_offers": ("GET", mine("provider")),
    "needs.provider_agreements": ("GET", mine("provider")),
    "needs.provider_agreement": ("GET", mine("provider")),
    "needs.holder_needs": ("GET", SIGNED_IN_404),
    "needs.holder_need": ("GET", SIGNED_IN_404),
    "needs.accept_offer": ("POST", SIGNED_IN_404),
    "needs.decline_offer": ("POST", SIGNED_IN_404),
    "needs.hub_gaps": ("GET", only("hub_lead")),
    "needs.respond_gap": ("POST", only("hub_lead") | {"hub_lead": 400}),  # empty response
    "needs.admin_categories": ("GET", only("admin")),
    "/admin/categories/new": ("GET", only("admin")),
    "/admin/categories/<int:category_id>": ("GET", mine("admin")),
    "admin.search_status": ("GET", only("admin")),
    "admin.search_rebuild": ("POST", only("admin") | {"admin": 302}),
    # directory: public, suggestions from anyone signed in ("budget_holder" is not a kind of entry)
    "directory.index": ("GET", PUBLIC),
    "directory.entry": ("GET", everyone(404)),
    "directory.provider": ("GET", everyone(404)),
    "directory.suggest": ("GET", SIGNED_IN),
    "directory.correction": ("GET", SIGNED_IN_404),
    # directory: hub leads moderate their districts, admins the districts no hub covers
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
    # Open Referral UK: open data, no sign-in
    "openreferral.version": ("GET", PUBLIC),
    "openreferral.services_list": ("GET", PUBLIC),
    "openreferral.service": ("GET", everyone(404)),
    "openreferral.service_at_locations": ("GET", PUBLIC),
    "openreferral.service_at_location": ("GET", everyone(404)),
    "openreferral.taxonomies": ("GET", PUBLIC),
    "openreferral.taxonomy": ("GET", everyone(404)),
    "openreferral.taxonomy_terms": ("GET", PUBLIC),
    "openreferral.taxonomy_term": ("GET", everyone(404)),
}


@pytest.fixture
def people(holder, broker, provider_user, hub_lead, funder, admin_user):
    return {"holder": holder, "broker": broker, "provider": provider_user, "hub_lead": hub_lead,
            "funder": funder, "admin": admin_user}


def url_for_rule(rule) -> str:
    from flask import url_for

    values = {arg: ARGUMENTS[arg] for arg in rule.arguments}
    return rule.build(values, append_unknown=False)[1] if rule.arguments else url_for(rule.endpoint)


def row_for(rule) -> tuple[str, dict[str, int]]:
    """A row is keyed by endpoint, or by the URL rule when one endpoint has several URLs."""
    return TABLE.get(rule.rule) or TABLE[rule.endpoint]


def test_every_route_has_a_row(app):
    rules = list(app.url_map.iter_rules())
    missing = sorted(r.rule for r in rules if r.rule not in TABLE and r.endpoint not in TABLE)
    assert not missing, f"routes without a row in the permission table: {missing}"
    known = {r.rule for r in rules} | {r.endpoint for r in rules}
    stale = sorted(TABLE.keys() - known)
    assert not stale, f"rows for routes that no longer exist: {stale}"


def test_every_route_answers_every_role_as_expected(app, people):
    failures = []
    with app.test_request_context():
        rules = [(rule, url_for_rule(rule)) for rule in app.url_map.iter_rules()]
    for rule, url in rules:
        method, expected = row_for(rule)
        for role in ROLES:
            client = app.test_client()
            if role != "anon":
                sign_in_as(client, people[role])
            if method == "GET":
                status = client.get(url).status_code
            else:
                token_page = "/sign-in" if role == "anon" else "/account"
                token = find_csrf(client.get(token_page).get_data(as_text=True))
                status = client.post(url, data={"csrf_token": token}).status_code
            if status != expected[role]:
                failures.append(f"{method} {url} as {role}: got {status}, expected {expected[role]}")
    assert not failures, "\n".join(failures)


def test_post_only_routes_refuse_get(app):
    from werkzeug.exceptions import MethodNotAllowed

    client = app.test_client()
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if row_for(rule)[0] == "POST":
                assert "GET" not in rule.methods
                assert client.get(url_for_rule(rule)).status_code == MethodNotAllowed.code
