"""The hub lead's journey: why each broker is (not) listed and what expires soon; checking an
application part by part on one page; correcting a directory entry and approving the correction
in one step; publishing an entry nobody can contact only when confirmed; closing gaps."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.brokers.models import BrokerStatus, Verification, VerificationKind, VerificationStatus
from app.core.errors import DomainError
from app.core.models import AuditEvent, Notification
from app.core.timeutil import format_date, today_in_london, utcnow
from app.directory import services as directory
from app.directory.models import DirectoryEntry, EntryStatus, Suggestion, SuggestionStatus
from app.extensions import db
from app.needs import posting
from app.needs import services as needs
from app.needs.gaps import record_for_need
from app.needs.models import GapReason
from tests.conftest import find_csrf, sign_in_as
from tests.factories import accredited_broker, category, directory_entry


def titles(user) -> list[str]:
    return list(db.session.scalars(select(Notification.title).where(Notification.user_id == user.id)))


def text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


# --- 1. Why a broker is not listed, and what expires soon ----------------------------------------


def test_the_broker_list_says_why_a_broker_is_not_listed_and_what_expires_soon(client, world):
    today = today_in_london()
    hub, lead = world["hub"], world["lead"]
    accredited_broker(hub, name="Ines Expired", insurance_days_left=-3)
    waiting = accredited_broker(hub, name="Dev Waiting")
    dbs = next(v for v in waiting.verifications if v.kind == VerificationKind.DBS)
    dbs.status = VerificationStatus.PENDING
    renewing = accredited_broker(hub, name="Rae Renewing", dbs_age_days=3 * 366)
    db.session.add(Verification(broker=renewing, kind=VerificationKind.DBS, status=VerificationStatus.PENDING,
                                reference="009876543210", issued_on=today - timedelta(days=2), submitted_at=utcnow()))
    accredited_broker(hub, name="Sol Soon", insurance_days_left=14)
    db.session.commit()
    old_dbs = next(v for v in renewing.verifications if v.status == VerificationStatus.APPROVED
                   and v.kind == VerificationKind.DBS)
    dbs_ended = format_date(old_dbs.issued_on.replace(year=old_dbs.issued_on.year + 3))

    page = text(sign_in_as(client, lead).get("/hub/brokers"))
    assert f"Not listed: insurance expired on {format_date(today - timedelta(days=3))}" in page
    assert "Not listed: DBS check waiting for your decision" in page
    assert f"Not listed: DBS check expired on {dbs_ended}; the new one is waiting for your decision" in page
    assert f"Insurance expires on {format_date(today + timedelta(days=14))}" in page
    sol = page.split("Sol Soon")[1].split("</li>")[0]
    assert "Listed" in sol and "Not listed" not in sol
    daniel = page.split("Daniel Price")[1].split("</li>")[0]
    assert "Listed" in daniel and "expires" not in daniel  # nothing due within 30 days


# --- 2. Checking an application on one page ------------------------------------------------------


@pytest.fixture
def applicant(world):
    broker = accredited_broker(world["hub"], name="Asha Applicant")
    broker.status, broker.approved_at, broker.submitted_at = BrokerStatus.SUBMITTED, None, utcnow()
    for row in broker.verifications:
        row.status, row.reviewed_at = VerificationStatus.PENDING, None
    db.session.commit()
    return broker


def test_each_part_is_decided_on_the_one_review_page(client, world, applicant):
    sign_in_as(client, world["lead"])
    url = f"/hub/brokers/{applicant.id}"
    page = text(client.get(url))
    assert "History of checks" in page and "No checks decided yet." in page
    for evidence in ("C-1", "001234567890", "Hiscox", "No links declared", "I help people plan their support."):
        assert evidence in page
    rows = {v.kind: v for v in applicant.verifications}
    for row in rows.values():
        assert f'action="/hub/verifications/{row.id}"' in page and f'name="v{row.id}-decision"' in page
    assert "Your decision on the DBS check" in page

    insurance = rows[VerificationKind.INSURANCE]
    response = client.submit(f"/hub/verifications/{insurance.id}", {f"v{insurance.id}-decision": "reject",
                             f"v{insurance.id}-reason": "The policy number is missing a digit."}, form_url=url)
    assert response.status_code == 302 and response.headers["Location"].endswith("#part-insurance")
    for kind, row in rows.items():
        if kind != VerificationKind.INSURANCE:
            client.submit(f"/hub/verifications/{row.id}", {f"v{row.id}-decision": "approve"}, form_url=url)
    assert applicant.status == BrokerStatus.SUBMITTED  # insurance still needs changes
    page = text(client.get(url))
    assert "No checks decided yet." not in page
    history = page.split("History of checks")[1]
    assert "Professional indemnity insurance: needs changes by" in history
    assert "Reason: The policy number is missing a digit." in history
    assert "DBS check: approved by" in history


# --- 3. A correction, edited and approved in one step ---------------------------------------------


def entry_form(**changes) -> dict:
    values = {"name": "Pimlico Lunch Club", "description": "Hot lunches for older people.",
              "category_ids": [str(category("befriending").id)], "districts": "W10", "phone": "020 7946 0123",
              "opening_times": "Tuesdays, 12 to 2pm", "is_free": "yes"}
    values.update(changes)
    return values


def test_a_correction_is_edited_and_approved_on_the_same_page(client, world, holder):
    entry = directory_entry("Pimlico Lunch Club", districts=("W10",), phone="020 7946 0123",
                            opening_times="Tuesdays, 12 to 2pm")
    sign_in_as(client, holder)
    client.submit(f"/directory/service/{entry.id}/correction", {"note": "Lunch is now on Thursdays."})
    suggestion = db.session.scalar(select(Suggestion))
    sign_in_as(client, world["lead"])
    url = f"/hub/directory/suggestions/{suggestion.id}"
    page = text(client.get(url))
    assert 'value="Pimlico Lunch Club"' in page and "Tuesdays, 12 to 2pm" in page
    assert "Correct the entry" in page

    invalid = client.submit(url, {**entry_form(name=""), "decision": "resolve"})
    assert invalid.status_code == 400 and "Enter the name of the service" in text(invalid)
    assert suggestion.is_pending

    response = client.submit(url, {**entry_form(opening_times="Thursdays, 12 to 2pm"), "decision": "resolve",
                                   "decision_note": "Changed to Thursdays."})
    assert response.status_code == 302
    db.session.refresh(entry)
    assert entry.opening_times == "Thursdays, 12 to 2pm"
    assert (entry.last_verified_on, entry.verified_by_id) == (today_in_london(), world["lead"].id)
    assert db.session.get(Suggestion, suggestion.id).status == SuggestionStatus.APPROVED
    assert any("has been dealt with" in t for t in titles(holder))


# --- 4. No way to contact it: warned, and confirmed ------------------------------------------------


NO_CONTACT = "This entry has no way to contact it"


def test_an_entry_nobody_can_contact_is_published_only_when_confirmed(client, world):
    lead = world["lead"]
    sign_in_as(client, lead)
    data = entry_form(name="Quiet Club", phone="", districts="W9")
    refused = client.submit("/hub/directory/entries/new", data)
    assert refused.status_code == 400 and NO_CONTACT in text(refused)
    assert 'name="confirm_no_contact"' in text(refused)
    assert db.session.scalar(select(DirectoryEntry).where(DirectoryEntry.name == "Quiet Club")) is None
    done = client.submit("/hub/directory/entries/new", {**data, "confirm_no_contact": "y"})
    assert done.status_code == 302
    assert db.session.scalar(select(DirectoryEntry).where(DirectoryEntry.name == "Quiet Club")).is_published

    # The service refuses it too, beside the confirmation.
    details = directory.EntryDetails(name="Silent Club", description="x", category_ids=[category("befriending").id],
                                     districts="W9")
    with pytest.raises(DomainError) as refusal:
        directory.create_entry(lead, details)
    assert refusal.value.field == "confirm_no_contact" and refusal.value.message.startswith(NO_CONTACT)

    # Showing a hidden entry nobody can contact takes the second button.
    hidden = directory_entry("Hidden Club", districts=("W9",), status=EntryStatus.HIDDEN)
    page = text(client.get(f"/hub/directory/entries/{hidden.id}"))
    assert NO_CONTACT in page and "Show it in the directory anyway" in page
    client.submit(f"/hub/directory/entries/{hidden.id}/show", form_url=f"/hub/directory/entries/{hidden.id}")
    assert db.session.get(DirectoryEntry, hidden.id).is_hidden
    client.submit(f"/hub/directory/entries/{hidden.id}/show", {"confirm_no_contact": "y"},
                  form_url=f"/hub/directory/entries/{hidden.id}")
    assert db.session.get(DirectoryEntry, hidden.id).is_published


def test_approving_a_suggestion_nobody_can_contact_needs_confirming(client, world, holder):
    sign_in_as(client, holder)
    new = {"name": "Elgin Tea Dance", "description": "A tea dance.", "districts": "W9", "is_free": "yes",
           "category_ids": [str(category("befriending").id)]}
    client.submit("/directory/suggest", new)
    suggestion = db.session.scalar(select(Suggestion))
    sign_in_as(client, world["lead"])
    url = f"/hub/directory/suggestions/{suggestion.id}"
    token = find_csrf(client.get(url).get_data(as_text=True))
    form = {**new, "csrf_token": token, "d-csrf_token": token, "d-decision": "approve"}
    refused = client.post(url, data=form)
    assert refused.status_code == 400 and NO_CONTACT in text(refused)
    assert db.session.get(Suggestion, suggestion.id).is_pending
    assert client.post(url, data={**form, "confirm_no_contact": "y"}).status_code == 302
    assert db.session.get(Suggestion, suggestion.id).status == SuggestionStatus.APPROVED


# --- 5. Closing a gap ----------------------------------------------------------------------------------


@pytest.fixture
def gap(world):
    broker = world["broker"]
    details = posting.NeedDetails(
        category_id=category("personal-care").id, district="W9", schedule=[(0, "morning")], times_note="8am",
        minutes_per_week=300, start_date=today_in_london() + timedelta(days=7), end_date=None, required_skills=[],
        required_languages=[], worker_gender=None, double_up=False, driver=False, urgency="routine",
        max_hourly_rate_pence=2600, public_description="Help to get up each morning.")
    need = posting.create_draft(broker.user, world["engagement"].id, details)
    row = record_for_need(need, GapReason.RAISED, actor=broker.user, happened="Nobody offers early visits in W9.")
    db.session.commit()
    return row


def test_a_gap_is_closed_with_a_response_once(client, world, gap):
    lead, broker = world["lead"], world["broker"]
    sign_in_as(client, lead)
    field = f"g{gap.id}-response"
    empty = client.submit(f"/hub/gaps/{gap.id}", {field: "", f"g{gap.id}-close": "y"})
    assert empty.status_code == 400 and gap.closed_at is None
    response = client.submit(f"/hub/gaps/{gap.id}", {field: "Two providers now cover early visits in W9.",
                                                      f"g{gap.id}-close": "y"})
    assert response.status_code == 302
    db.session.refresh(gap)
    assert gap.closed_at is not None and gap.closed_by_id == lead.id
    assert gap.response == "Two providers now cover early visits in W9."
    assert "Your hub closed the gap: Personal care in W9" in titles(broker.user)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "gap.closed")) is not None

    page = text(client.get("/hub/gaps"))
    assert "Closed" in page and "What was done:</strong> Two providers now cover early visits in W9." in page
    assert f'action="/hub/gaps/{gap.id}"' not in page  # nothing more to do
    again = client.submit(f"/hub/gaps/{gap.id}", {field: "Again.", f"g{gap.id}-close": "y"}, form_url="/hub/gaps")
    assert again.status_code == 400 and "This gap has already been closed" in text(again)
    with pytest.raises(DomainError):
        needs.close_gap(lead, gap.id, "Once more.")
    with pytest.raises(DomainError):
        needs.respond(lead, gap.id, "A late response.")


def test_closing_needs_a_response_in_the_service(world, gap):
    with pytest.raises(DomainError) as refusal:
        needs.close_gap(world["lead"], gap.id, "  ")
    assert refusal.value.field == "response"
