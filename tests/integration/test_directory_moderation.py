"""Suggestions from anyone signed in, decided by the hub lead for the district (or an admin
where no hub covers it); corrections; keeping entries current; who may do what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core.models import AuditEvent, Notification
from app.core.timeutil import today_in_london
from app.directory import services
from app.directory.models import DirectoryEntry, EntryStatus, Suggestion, SuggestionStatus
from app.extensions import db
from tests.conftest import outbox, sign_in_as
from tests.factories import (
    HubFactory,
    HubLeadFactory,
    UserFactory,
    accredited_broker,
    category,
    directory_entry,
    provider,
)
from tests.search_helpers import found

NEW_SERVICE = {"name": "Elgin Tea Dance", "description": "A monthly tea dance with a live band.",
               "districts": "W9", "is_free": "no", "cost": "£3", "opening_times": "Last Sunday, 2pm to 5pm",
               "accessibility": ["step_free"], "phone": "020 7946 0123", "note": "My neighbour loves it."}


@pytest.fixture
def hub_w9(app):
    return HubFactory(districts=["W9", "W10"])


@pytest.fixture
def lead(hub_w9):
    return HubLeadFactory(hub=hub_w9, user__name="Priya Sharma").user


@pytest.fixture
def other_lead(app):
    return HubLeadFactory(hub=HubFactory(districts=["SW1"])).user


def notifications(user) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                                   .order_by(Notification.id)))


def suggest(client, user, **changes) -> Suggestion:
    sign_in_as(client, user)
    data = {**NEW_SERVICE, "category_ids": [str(category("befriending").id)], **changes}
    response = client.submit("/directory/suggest", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalars(select(Suggestion).order_by(Suggestion.id.desc())).first()


def decide(client, lead, suggestion, **data):
    sign_in_as(client, lead)
    url = f"/hub/directory/suggestions/{suggestion.id}"
    form = {**{k: v for k, v in NEW_SERVICE.items() if k != "note"},
            "category_ids": [str(c) for c in suggestion.proposed["category_ids"]]}
    form.update({f"d-{k}": v for k, v in data.items() if k in ("decision", "merge_into", "decision_note")})
    form.update({k: v for k, v in data.items() if k not in ("decision", "merge_into", "decision_note")})
    from tests.conftest import find_csrf

    page = client.get(url).get_data(as_text=True)
    token = find_csrf(page)
    form["csrf_token"] = token
    form["d-csrf_token"] = token
    return client.post(url, data=form)


def test_a_suggestion_reaches_the_hub_lead_and_appears_in_search_once_approved(client, holder, lead):
    suggestion = suggest(client, holder)
    assert suggestion.status == SuggestionStatus.PENDING
    assert suggestion.district == "W9"
    assert [n.title for n in notifications(lead)] == ["New directory suggestion: Elgin Tea Dance"]
    assert outbox(lead.email)
    assert found("tea dance") == []  # nothing is published before the hub lead decides

    sign_in_as(client, lead)
    listing = client.get("/hub/directory").get_data(as_text=True)
    assert "New service: Elgin Tea Dance" in listing
    review = client.get(f"/hub/directory/suggestions/{suggestion.id}").get_data(as_text=True)
    assert 'value="Elgin Tea Dance"' in review and "My neighbour loves it." in review

    response = decide(client, lead, suggestion, decision="approve", name="Elgin Avenue Tea Dance",
                      decision_note="Lovely, thank you.")
    assert response.status_code == 302
    entry = db.session.scalar(select(DirectoryEntry).where(DirectoryEntry.name == "Elgin Avenue Tea Dance"))
    assert entry.status == EntryStatus.PUBLISHED
    assert (entry.last_verified_on, entry.verified_by_id) == (today_in_london(), lead.id)
    assert (entry.is_free, entry.cost, entry.accessibility) == (False, "£3", ["step_free"])
    assert db.session.get(Suggestion, suggestion.id).status == SuggestionStatus.APPROVED
    assert notifications(holder)[-1].title == "Elgin Avenue Tea Dance is now in the directory"
    assert found("tea dance") == ["Elgin Avenue Tea Dance"]
    assert client.get(f"/directory/services/{entry.id}").status_code == 200


def test_rejecting_needs_a_reason_which_the_suggester_sees(client, holder, lead):
    suggestion = suggest(client, holder)
    response = decide(client, lead, suggestion, decision="reject")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Give the reason" in html and 'href="#d-decision_note"' in html
    assert db.session.get(Suggestion, suggestion.id).status == SuggestionStatus.PENDING
    decide(client, lead, suggestion, decision="reject", decision_note="It closed last year.")
    assert db.session.get(Suggestion, suggestion.id).status == SuggestionStatus.REJECTED
    note = notifications(holder)[-1]
    assert (note.title, note.body) == ("Your directory suggestion was not accepted", "It closed last year.")
    assert db.session.scalar(select(DirectoryEntry)) is None


def test_a_duplicate_is_merged_with_the_existing_entry(client, holder, lead):
    existing = directory_entry("Elgin Tea Dances", districts=("W9",))
    suggestion = suggest(client, holder)
    assert decide(client, lead, suggestion, decision="merge").status_code == 400  # no entry chosen
    decide(client, lead, suggestion, decision="merge", merge_into=str(existing.id))
    decided = db.session.get(Suggestion, suggestion.id)
    assert (decided.status, decided.entry_id) == (SuggestionStatus.MERGED, existing.id)
    assert "already in the directory" in notifications(holder)[-1].title
    assert db.session.scalar(select(db.func.count()).select_from(DirectoryEntry)) == 1


def test_a_decided_suggestion_cannot_be_decided_again(client, holder, lead):
    suggestion = suggest(client, holder)
    decide(client, lead, suggestion, decision="reject", decision_note="Closed.")
    response = decide(client, lead, suggestion, decision="approve")
    assert response.status_code == 200
    assert db.session.get(Suggestion, suggestion.id).status == SuggestionStatus.REJECTED
    assert db.session.scalar(select(DirectoryEntry)) is None


def test_only_the_lead_for_the_district_decides(client, holder, lead, other_lead, admin_user):
    suggestion = suggest(client, holder)
    for outsider in (other_lead, admin_user):  # another hub; an admin where a hub covers the district
        sign_in_as(client, outsider)
        assert client.get(f"/hub/directory/suggestions/{suggestion.id}").status_code == 404
        assert decide(client, outsider, suggestion, decision="reject", decision_note="x").status_code == 404
    assert notifications(other_lead) == []


def test_admins_decide_where_no_hub_covers_the_district(client, holder, lead, admin_user):
    suggestion = suggest(client, holder, districts="SW10")
    assert [n.title for n in notifications(admin_user)] == ["New directory suggestion: Elgin Tea Dance"]
    assert notifications(lead) == []
    sign_in_as(client, lead)
    assert client.get(f"/hub/directory/suggestions/{suggestion.id}").status_code == 404
    response = decide(client, admin_user, suggestion, decision="approve", districts="SW10")
    assert response.status_code == 302
    assert found("tea dance") == ["Elgin Tea Dance"]


def test_suggesting_needs_signing_in(client):
    response = client.get("/directory/suggest")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_a_suggestion_with_mistakes_is_explained_and_keeps_what_was_typed(client, holder):
    sign_in_as(client, holder)
    response = client.submit("/directory/suggest", {**NEW_SERVICE, "postcode": "W9 ZZZ",
                                                    "category_ids": [str(category("befriending").id)]})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Enter a full postcode, like W9 2EG" in html
    assert 'value="Elgin Tea Dance"' in html and "A monthly tea dance with a live band." in html
    response = client.submit("/directory/suggest", {**NEW_SERVICE, "category_ids": []})
    assert "Choose at least one kind of service" in response.get_data(as_text=True)
    response = client.submit("/directory/suggest", {**NEW_SERVICE, "category_ids": [str(category("befriending").id)],
                                                    "districts": "", "postcode": ""})
    assert "Enter the districts it serves, or its postcode" in response.get_data(as_text=True)
    assert db.session.scalar(select(Suggestion)) is None


def test_a_postcode_places_the_service_in_its_district(client, holder, lead):
    suggestion = suggest(client, holder, districts="", postcode="w9 2eg")
    assert suggestion.district == "W9"
    assert suggestion.proposed["postcode"] == "W9 2EG"


def test_corrections_to_a_community_service(client, holder, lead):
    entry = directory_entry("Pimlico Lunch Club", districts=("W10",))
    sign_in_as(client, holder)
    empty = client.submit(f"/directory/service/{entry.id}/correction", {"note": ""})
    assert empty.status_code == 400 and "Say what is wrong or missing" in empty.get_data(as_text=True)
    response = client.submit(f"/directory/service/{entry.id}/correction", {"note": "Lunch is now on Thursdays."})
    assert response.headers["Location"] == f"/directory/services/{entry.id}"
    assert notifications(lead)[-1].title == "Correction suggested for Pimlico Lunch Club"
    suggestion = db.session.scalar(select(Suggestion))
    sign_in_as(client, lead)
    page = client.get(f"/hub/directory/suggestions/{suggestion.id}").get_data(as_text=True)
    assert "Lunch is now on Thursdays." in page and f"/hub/directory/entries/{entry.id}" in page
    client.submit(f"/hub/directory/suggestions/{suggestion.id}", {
        "name": "Pimlico Lunch Club", "description": "Lunch on Thursdays.", "districts": "W10", "is_free": "yes",
        "category_ids": [str(category("befriending").id)], "phone": "020 7946 0123",
        "decision": "resolve", "decision_note": "Updated."})
    assert db.session.get(Suggestion, suggestion.id).status == SuggestionStatus.APPROVED
    assert db.session.get(DirectoryEntry, entry.id).description == "Lunch on Thursdays."
    assert "has been dealt with" in notifications(holder)[-1].title


def test_corrections_to_providers_and_brokers_are_passed_on(client, holder, lead, hub_w9):
    organisation = provider("Maida Vale Home Care", districts=("W9",))
    owner = organisation.staff[0].user
    broker = accredited_broker(hub_w9, name="Rahman Planning")
    sign_in_as(client, holder)
    client.submit(f"/directory/provider/{organisation.id}/correction", {"note": "They also cover W2 now."})
    client.submit(f"/directory/broker/{broker.id}/correction", {"note": "Speaks Bengali too."})
    first, second = db.session.scalars(select(Suggestion).order_by(Suggestion.id))
    sign_in_as(client, lead)
    for suggestion in (first, second):
        client.submit(f"/hub/directory/suggestions/{suggestion.id}", {"decision": "resolve"})
    assert notifications(owner)[-1].body == "They also cover W2 now."
    assert notifications(broker.user)[-1].body == "Speaks Bengali too."


def test_corrections_only_to_listed_things(client, holder):
    sign_in_as(client, holder)
    hidden = directory_entry("Hidden Club", status=EntryStatus.HIDDEN)
    unverified = provider("Unchecked Care", verified=False)
    assert client.get(f"/directory/service/{hidden.id}/correction").status_code == 404
    assert client.get(f"/directory/provider/{unverified.id}/correction").status_code == 404
    assert client.get("/directory/holder/1/correction").status_code == 404


def test_stale_entries_are_flagged_and_listed_for_checking(client, lead):
    stale = directory_entry("Old Carers Group", districts=("W9",), verified_days_ago=400)
    directory_entry("Fresh Club", districts=("W9",), verified_days_ago=20)
    directory_entry("Someone Else's Old Club", districts=("SW1",), verified_days_ago=400)
    assert "This information may be out of date" in client.get(f"/directory/services/{stale.id}").get_data(
        as_text=True)
    sign_in_as(client, lead)
    listing = client.get("/hub/directory").get_data(as_text=True)
    to_check = listing.split('id="stale"')[1]
    assert "Old Carers Group" in to_check
    assert "Fresh Club" not in to_check and "Someone Else" not in to_check
    client.submit(f"/hub/directory/entries/{stale.id}/verify", form_url=f"/hub/directory/entries/{stale.id}")
    assert db.session.get(DirectoryEntry, stale.id).last_verified_on == today_in_london()
    assert "Old Carers Group" not in client.get("/hub/directory").get_data(as_text=True).split('id="stale"')[1]
    assert "may be out of date" not in client.get(f"/directory/services/{stale.id}").get_data(as_text=True)


def test_staleness_starts_after_twelve_months():
    entry = DirectoryEntry(last_verified_on=today_in_london() - timedelta(days=365))
    assert not services.is_stale(entry)
    entry.last_verified_on -= timedelta(days=1)
    assert services.is_stale(entry)
    assert services.is_stale(DirectoryEntry(last_verified_on=None))


def test_leads_only_edit_entries_in_their_districts(client, lead, other_lead):
    mine = directory_entry("W9 Club", districts=("W9",))
    theirs = directory_entry("SW1 Club", districts=("SW1",))
    sign_in_as(client, lead)
    assert client.get(f"/hub/directory/entries/{mine.id}").status_code == 200
    assert client.get(f"/hub/directory/entries/{theirs.id}").status_code == 404
    for action in ("verify", "hide", "delete"):
        response = client.submit(f"/hub/directory/entries/{theirs.id}/{action}",
                                 form_url=f"/hub/directory/entries/{mine.id}")
        assert response.status_code == 404
    assert db.session.get(DirectoryEntry, theirs.id).status == EntryStatus.PUBLISHED
    response = client.submit("/hub/directory/entries/new", {
        "name": "Not Mine", "description": "x", "category_ids": [str(category("befriending").id)],
        "districts": "SW1", "is_free": "yes"})
    assert response.status_code == 400
    assert "You can only add services in your hub&#39;s districts" in response.get_data(as_text=True)
    entries = client.get("/hub/directory/entries").get_data(as_text=True)
    assert "W9 Club" in entries and "SW1 Club" not in entries


def test_merging_two_entries(client, lead):
    keep = directory_entry("Elgin Tea Dance", districts=("W9",))
    duplicate = directory_entry("Elgin Tea-Dance", districts=("W9",))
    sign_in_as(client, lead)
    client.submit(f"/hub/directory/entries/{duplicate.id}/merge", {"keep_id": str(keep.id)},
                  form_url=f"/hub/directory/entries/{duplicate.id}")
    merged = db.session.get(DirectoryEntry, duplicate.id)
    assert (merged.status, merged.merged_into_id) == (EntryStatus.MERGED, keep.id)
    assert client.get(f"/directory/services/{duplicate.id}").status_code == 404
    response = client.submit(f"/hub/directory/entries/{keep.id}/merge", {"keep_id": str(keep.id)},
                             form_url=f"/hub/directory/entries/{keep.id}", follow_redirects=True)
    assert "Choose a different entry to keep" in response.get_data(as_text=True)


def test_hidden_entries_are_not_public(client, lead):
    entry = directory_entry("Hidden Club", districts=("W9",), status=EntryStatus.HIDDEN)
    assert client.get(f"/directory/services/{entry.id}").status_code == 404
    sign_in_as(client, lead)
    assert client.get(f"/hub/directory/entries/{entry.id}").status_code == 200


def test_moderation_is_audited(client, holder, lead):
    suggestion = suggest(client, holder)
    decide(client, lead, suggestion, decision="approve")
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"directory.suggested", "directory.suggestion_decided", "directory.entry_created"} <= actions


def test_everyone_signed_in_may_suggest(client, broker, provider_user, funder):
    for user in (broker, provider_user, funder, UserFactory()):
        sign_in_as(client, user)
        assert client.get("/directory/suggest").status_code == 200


def test_suggestions_are_limited_per_person(app, client, holder, lead):
    app.config["DIRECTORY_SUGGESTIONS_LIMIT"] = "2 per day"
    suggest(client, holder)
    suggest(client, holder, name="Second Club")
    response = client.submit("/directory/suggest", {**NEW_SERVICE, "name": "Third Club",
                                                    "category_ids": [str(category("befriending").id)]})
    assert response.status_code == 400
    assert "You have sent a lot of suggestions today" in response.get_data(as_text=True)
    assert len(notifications(lead)) == 2


def test_a_bad_email_address_is_explained(client, holder):
    sign_in_as(client, holder)
    response = client.submit("/directory/suggest", {**NEW_SERVICE, "email": "not an address",
                                                    "category_ids": [str(category("befriending").id)]})
    assert response.status_code == 400
    assert "Enter an email address in the right format, like name@example.org" in response.get_data(as_text=True)
