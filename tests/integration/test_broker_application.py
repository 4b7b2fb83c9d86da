"""Applying to be an associate broker, the hub lead's checks, and what makes a broker listed."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.brokers import expiry, rules
from app.brokers.models import BrokerStatus, Verification, VerificationKind, VerificationStatus
from app.core.models import AuditEvent, Notification
from app.core.timeutil import today_in_london
from app.extensions import db
from tests.factories import (
    AccreditedCourseFactory,
    BrokerProfileFactory,
    HubFactory,
    HubLeadFactory,
    accredited_broker,
    band,
)


def d(day):
    """A date as the three boxes of a date input."""
    return [str(day.day), str(day.month), str(day.year)]


@pytest.fixture
def applicant(app, hub):
    return BrokerProfileFactory(hub=hub, user__name="Asha Applicant")


@pytest.fixture
def course(app):
    return AccreditedCourseFactory()


def fill_application(client, hub, course):
    today = today_in_london()
    steps = [
        ("/broker/application/business", {"trading_name": "Asha Brokerage", "business_type": "company",
                                          "company_number": "sc 123456"}),
        ("/broker/application/accreditation", {"course_id": str(course.id), "certificate_number": "OCN-77",
                                               "awarded_on": d(today - timedelta(days=300))}),
        ("/broker/application/dbs", {"certificate_number": "0012 3456 7890", "issued_on": d(today - timedelta(days=30))}),
        ("/broker/application/insurance", {"insurer": "Hiscox", "policy_number": "PI-9",
                                           "expires_on": d(today + timedelta(days=300))}),
        ("/broker/application/profile", {"specialisms": ["autism", "older_people"], "languages": ["english", "polish"],
                                         "districts": hub.district_codes, "profile_text": "I listen.",
                                         f"fee_band_{band('A').id}": "450", "hourly_fee": "45.50"}),
    ]
    for url, data in steps:
        response = client.submit(url, data)
        assert response.status_code == 302, (url, response.get_data(as_text=True)[:3000])
    response = client.submit("/broker/application/conflicts/none", {"confirm": "y"}, form_url="/broker/application/conflicts")
    assert response.status_code == 302


def test_full_application_then_part_by_part_approval(app, client, login, applicant, hub, hub_lead, course):
    login(applicant.user)
    fill_application(client, hub, course)
    page = client.get("/broker/application").get_data(as_text=True)
    assert "Send application" in page
    assert applicant.company_number == "SC123456"
    assert applicant.hourly_fee_pence == 4550 and applicant.fee_for_band(band("A").id) == 45000
    client.submit("/broker/application/submit", {}, form_url="/broker/application")
    assert applicant.status == BrokerStatus.SUBMITTED
    rows = [v for v in applicant.verifications]
    assert len(rows) == 6 and {r.status for r in rows} == {VerificationStatus.PENDING}
    assert db.session.scalar(select(Notification).where(Notification.user_id == hub_lead.id)) is not None

    client.submit("/sign-out", {}, form_url="/")
    login(hub_lead)
    review_page = client.get(f"/hub/brokers/{applicant.id}").get_data(as_text=True)
    assert "Asha Brokerage" in review_page and "SC123456" in review_page
    for row in rows:
        response = client.submit(f"/hub/verifications/{row.id}", {f"v{row.id}-decision": "approve"},
                                 form_url=f"/hub/brokers/{applicant.id}")
        assert response.status_code == 302
    assert applicant.status == BrokerStatus.APPROVED and applicant.approved_at is not None
    assert rules.is_accredited(applicant)
    assert "Asha Brokerage" in client.get("/brokers").get_data(as_text=True)
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"broker_application.submitted", "broker_application.part_decided", "broker_application.approved"} <= actions


def test_cannot_send_an_incomplete_application(client, login, applicant):
    login(applicant.user)
    response = client.submit("/broker/application/submit", {}, form_url="/broker/application", follow_redirects=True)
    assert "Complete every part" in response.get_data(as_text=True)
    assert applicant.status == BrokerStatus.DRAFT


@pytest.mark.parametrize(("url", "data", "message"), [
    ("/broker/application/business", {"trading_name": "X", "business_type": "company", "company_number": "12345"},
     "company number in the correct format"),
    ("/broker/application/business", {"trading_name": "X", "business_type": "company", "company_number": ""},
     "Enter your company number"),
    ("/broker/application/dbs", {"certificate_number": "12345", "issued_on": ["1", "1", "2026"]},
     "12-digit DBS certificate number"),
    ("/broker/application/dbs", {"certificate_number": "001234567890", "issued_on": ["1", "1", "2020"]},
     "less than 3 years old"),
    ("/broker/application/dbs", {"certificate_number": "001234567890", "issued_on": ["1", "", "2026"]},
     "Date of issue must include a month"),
    ("/broker/application/insurance", {"insurer": "Hiscox", "policy_number": "P", "expires_on": ["1", "1", "2020"]},
     "expiry date must be in the future"),
    ("/broker/application/profile", {"specialisms": [], "languages": ["english"], "districts": [], "profile_text": ""},
     "Choose at least one specialism"),
])
def test_bad_answers_are_explained_and_kept(client, login, applicant, url, data, message):
    login(applicant.user)
    response = client.submit(url, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400, page[:2000]
    assert message in page
    assert "govuk-error-summary" in page


def test_profile_needs_a_fee_and_districts_in_the_hub(client, login, applicant, hub):
    login(applicant.user)
    base = {"specialisms": ["autism"], "languages": ["english"], "districts": hub.district_codes, "profile_text": "Hi"}
    response = client.submit("/broker/application/profile", base)
    assert "Enter your fee per band, your hourly fee, or both" in response.get_data(as_text=True)
    response = client.submit("/broker/application/profile", {**base, "districts": ["E1"], "hourly_fee": "40"})
    assert response.status_code == 400
    response = client.submit("/broker/application/profile", {**base, "hourly_fee": "40.999"})
    assert "up to 2 decimal places" in response.get_data(as_text=True)


def test_rejected_part_shows_the_reason_and_a_new_version_replaces_it(app, client, login, applicant, hub, hub_lead,
                                                                         course):
    login(applicant.user)
    fill_application(client, hub, course)
    client.submit("/broker/application/submit", {}, form_url="/broker/application")
    insurance = next(v for v in applicant.verifications if v.kind == VerificationKind.INSURANCE)

    lead_client = app.test_client()
    from tests.conftest import sign_in_as

    sign_in_as(lead_client, hub_lead)
    no_reason = lead_client.submit(f"/hub/verifications/{insurance.id}", {f"v{insurance.id}-decision": "reject"},
                                   form_url=f"/hub/brokers/{applicant.id}")
    assert no_reason.status_code == 400 and "Give the reason" in no_reason.get_data(as_text=True)
    lead_client.submit(f"/hub/verifications/{insurance.id}", {f"v{insurance.id}-decision": "reject",
                                                              f"v{insurance.id}-reason": "The policy number is cut off."},
                       form_url=f"/hub/brokers/{applicant.id}")
    assert insurance.status == VerificationStatus.REJECTED
    page = client.get("/broker/application").get_data(as_text=True)
    assert "The policy number is cut off." in page

    today = today_in_london()
    client.submit("/broker/application/insurance", {"insurer": "Hiscox", "policy_number": "PI-99999",
                                                    "expires_on": d(today + timedelta(days=200))})
    latest = rules.latest(applicant, VerificationKind.INSURANCE)
    assert latest.status == VerificationStatus.PENDING and latest.reference == "PI-99999"
    assert insurance.status == VerificationStatus.REJECTED  # history kept


def test_renewal_keeps_an_approved_broker_listed_until_checked(client, login):
    broker = accredited_broker(insurance_days_left=10)
    login(broker.user)
    today = today_in_london()
    client.submit("/broker/application/insurance", {"insurer": "Zurich", "policy_number": "Z-1",
                                                    "expires_on": d(today + timedelta(days=365))})
    assert rules.latest(broker, VerificationKind.INSURANCE).status == VerificationStatus.PENDING
    assert rules.is_accredited(broker)  # the approved policy is still in date


def test_another_hubs_lead_cannot_see_or_decide(client, login, applicant):
    other_lead = HubLeadFactory(hub=HubFactory()).user
    row = Verification(broker=applicant, kind=VerificationKind.BUSINESS, status=VerificationStatus.PENDING)
    db.session.add(row)
    db.session.commit()
    login(other_lead)
    assert client.get(f"/hub/brokers/{applicant.id}").status_code == 404
    response = client.submit(f"/hub/verifications/{row.id}", {f"v{row.id}-decision": "approve"}, form_url="/hub")
    assert response.status_code == 404
    assert row.status == VerificationStatus.PENDING


@pytest.mark.parametrize(("kwargs", "listed"), [
    ({}, True),
    ({"insurance_days_left": -1}, False),
    ({"insurance_days_left": 0}, True),  # in date until the end of its last day
    ({"dbs_age_days": 3 * 366}, False),
])
def test_listing_needs_in_date_dbs_and_insurance(app, kwargs, listed):
    broker = accredited_broker(**kwargs)
    assert rules.is_accredited(broker) is listed


def test_dbs_age_limit_is_configurable(app):
    broker = accredited_broker(dbs_age_days=400)
    assert rules.is_accredited(broker)
    app.config["DBS_MAX_AGE_YEARS"] = 1
    assert not rules.is_accredited(broker)


def test_expiry_reminders_and_notices_go_once(app, hub, hub_lead):
    soon = accredited_broker(hub, name="Soon Sam", insurance_days_left=20)
    gone = accredited_broker(hub, name="Gone Gina", insurance_days_left=-1)
    assert expiry.check_expiries() == (1, 1)
    assert expiry.check_expiries() == (0, 0)
    titles = {n.user_id: n.title for n in db.session.scalars(select(Notification))}
    assert "expires on" in titles[soon.user_id]
    assert "has expired" in titles[gone.user_id]
    lead_titles = [n.title for n in db.session.scalars(select(Notification).where(Notification.user_id == hub_lead.id))]
    assert lead_titles == ["Gone Gina's Professional indemnity insurance has expired"]


def test_scheduled_command_runs_the_checks(app):
    accredited_broker(insurance_days_left=-1)
    result = app.test_cli_runner().invoke(args=["scheduled", "run"])
    assert result.exit_code == 0 and "1 expired" in result.output


def test_conflicts_are_declared_and_removed(client, login, applicant):
    login(applicant.user)
    client.submit("/broker/application/conflicts", {"organisation": "Maida Vale Home Care", "kind": "provider",
                                                    "relationship_type": "family", "details": "My brother manages it."})
    assert [c.organisation for c in applicant.conflicts] == ["Maida Vale Home Care"]
    refused = client.submit("/broker/application/conflicts/none", {"confirm": "y"},
                            form_url="/broker/application/conflicts")
    assert refused.status_code == 400 and "Remove the links you declared first" in refused.get_data(as_text=True)
    conflict = applicant.conflicts[0]
    client.submit(f"/broker/application/conflicts/{conflict.id}/remove", {}, form_url="/broker/application/conflicts")
    assert applicant.conflicts == []


def test_choosing_a_hub(client, login, app):
    profile = BrokerProfileFactory(hub=None)
    hub = HubFactory(name="Camden Hub")
    login(profile.user)
    assert client.get("/broker/application/profile").status_code == 302  # hub first
    client.submit("/broker/application/hub", {"hub_id": str(hub.id)})
    assert profile.hub_id == hub.id
    today = today_in_london()
    assert client.submit("/broker/application/dbs", {
        "certificate_number": "001234567890", "issued_on": d(today)}).status_code == 302
