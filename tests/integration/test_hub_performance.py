"""The hub performance report against the hand-built history of tests/history_helpers.py: every
expected number below was worked out by hand from that file's description (the working is in
the comments), never by the report's own code."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

import pytest

from app.core.timeutil import UTC
from app.engagements.models import Engagement
from app.extensions import db
from app.reports import services
from app.reports.period import Period
from tests.factories import BudgetHolderFactory, accredited_broker, band
from tests.history_helpers import build_history, month_of


@pytest.fixture
def history(app):
    return build_history()


def _period(history) -> Period:
    return Period(history.today - timedelta(days=89), history.today)


def _csv(client, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_needs_counts_times_and_standards(history):
    report = services.hub_report(history.lead, None, _period(history))
    needs, discharge = report.needs, report.discharge
    # N1..N5 are in the period (N6 is older, X1 is the other hub's).
    assert (needs.posted, needs.open, needs.filled, needs.withdrawn) == (5, 1, 3, 1)
    # First offers 10h (N1), 20h (N2), 1h (N3): sorted 1, 10, 20 -> median 10; 90th: rank ceil(2.7) = 3 -> 20.
    assert (needs.first_offer_median, needs.first_offer_p90) == (10, 20)
    # Filled after 120h (N1), 960h (N2), 24h (N3): median 120; 90th: 960.
    assert (needs.filled_median, needs.filled_p90) == (120, 960)
    # Counted for 30 days: N1, N2, N3 (N4 is 10 days old and open; N5 was withdrawn, no longer needed);
    # within 30 days: N1, N3 -> 2 of 3 = 66.7%, shown as 67%.
    assert needs.filled_in_30_days == 67
    # Told within 4 hours of being ready: N1 (1h), N3 (0.5h); not N2 (ready 2h before publishing, told 3h
    # after: 5h), N4 (6h) or N5 (never told) -> 2 of 5.
    assert needs.told_in_4_hours == 40
    # Hospital discharge: N3 alone.
    assert (discharge.posted, discharge.open, discharge.filled, discharge.withdrawn) == (1, 0, 1, 0)
    assert (discharge.first_offer_median, discharge.filled_p90) == (1, 24)
    assert (discharge.filled_in_30_days, discharge.told_in_4_hours) == (100, 100)


def test_the_needs_table_downloads_with_the_same_numbers(client, login, history):
    login(history.lead)
    rows = _csv(client, "/hub/performance?download=needs")
    assert rows[1:] == [
        ["Needs posted", "5", "1"], ["Still open", "1", "0"], ["Filled", "3", "1"], ["Withdrawn", "1", "0"],
        ["Time to first offer: median", "10.0", "1.0"], ["Time to first offer: 90th percentile", "20.0", "1.0"],
        ["Time to filled: median", "120.0", "24.0"], ["Time to filled: 90th percentile", "960.0", "24.0"],
        ["Filled within 30 days", "67", "100"], ["First provider told within 4 hours", "40", "100"],
        ["Offers per need (average)", "0.8", ""]]  # 4 offers on the 5 needs
    page = client.get("/hub/performance").get_data(as_text=True)
    assert "5 days" in page and "40 days" in page and "10 hours" in page and "40%" in page


def test_every_need_number_opens_the_needs_behind_it(client, login, history):
    login(history.lead)
    n = history.needs
    expected = {"posted": {n.n1, n.n2, n.n3, n.n4, n.n5}, "open": {n.n4}, "filled": {n.n1, n.n2, n.n3},
                "withdrawn": {n.n5}, "first_offer": {n.n1, n.n2, n.n3}, "within_30": {n.n1, n.n2, n.n3},
                "told_4h": {n.n1, n.n2, n.n3, n.n4, n.n5}}
    for measure, needs in expected.items():
        rows = _csv(client, f"/hub/performance/needs?measure={measure}&download=list")
        assert {row[0] for row in rows[1:]} == {f"N{need.id}" for need in needs}, measure
    rows = _csv(client, "/hub/performance/needs?measure=posted&urgency=hospital_discharge&download=list")
    assert [row[0] for row in rows[1:]] == [f"N{n.n3.id}"]
    page = client.get("/hub/performance/needs?measure=filled")
    assert page.status_code == 200 and "3 in all" in page.get_data(as_text=True)
    assert client.get("/hub/performance/needs?measure=nonsense").status_code == 404


def test_providers_offers_response_times_acceptances_and_silence(client, login, history):
    report = services.hub_report(history.lead, None, _period(history))
    lines = {p.name: p for p in report.providers}
    # P1: told N1-N4; one offer (N1, 9h after being told); N1's agreement 55 days ago.
    # P2: told N1; offers on N1 (25h after being told) and N2 (never told: 20h after publishing) -> median 22.5.
    # P3: told N3; offer 0.5h after; N3's agreement (N6's hand-back is on a need from before the period).
    # P4: told N4, never offered.
    got = {name: (p.told, p.offers, p.offered_on, p.median_response, p.accepted, p.handed_back)
           for name, p in lines.items()}
    assert got == {"P1 Care": (4, 1, 1, 9, 1, 0), "P2 Care": (1, 2, 2, 22.5, 1, 0),
                   "P3 Care": (1, 1, 1, 0.5, 1, 0), "P4 Care": (1, 0, 0, None, 0, 0)}
    assert [p.name for p in report.never_responded] == ["P4 Care"]  # told about N4, whose time is over
    assert report.offers_per_need == 0.8  # 4 offers on 5 needs
    login(history.lead)
    assert _csv(client, "/hub/performance?download=never_responded")[1:] == [["P4 Care", "1"]]
    rows = _csv(client, f"/hub/performance/providers/{history.p1.id}?download=list")
    assert {row[0] for row in rows[1:]} == {f"N{n.id}" for n in (history.needs.n1, history.needs.n2,
                                                                  history.needs.n3, history.needs.n4)}


def test_gaps_by_place_overdue_and_the_twelve_months(client, login, history):
    report = services.hub_report(history.lead, None, _period(history))
    gaps = report.gaps
    assert gaps.count == 3  # G1, G2, G3 (G4 is older; H2's gap is not ours)
    assert [(p.category, p.district, p.count, p.waiting) for p in gaps.places] == [
        ("Personal care", "W9", 2, 2), ("Befriending", "W10", 1, 0)]
    # Waiting for a response after 14 days, whenever recorded: G1 (20 days) and G4 (200 days, before the period).
    assert [(r.category, r.district) for r in gaps.overdue] == [("Personal care", "W9"), ("Befriending", "W9")]
    # By service over the 12 months: befriending G3, G4; personal care G1, G2.
    assert [(service, sum(months)) for service, months in gaps.trend_by_service] == [("Befriending", 2),
                                                                                     ("Personal care", 2)]
    trend = dict(gaps.trend)
    assert len(trend) == 12 and sum(trend.values()) == 4
    assert trend[month_of((history.now - timedelta(days=200)).date())] == 1
    login(history.lead)
    rows = _csv(client, "/hub/performance/gaps?overdue=1&download=gaps")
    assert [row[1] for row in rows[1:]] == ["Personal care in W9", "Befriending in W9"]
    assert [row[5] for row in rows[1:]] == ["yes", "yes"]
    rows = _csv(client, "/hub/performance/gaps?category=Personal+care&district=W9&waiting=1&download=gaps")
    assert len(rows) == 3  # G1 and G2, both without a response
    rows = _csv(client, "/hub/performance/gaps?category=Befriending&district=W10&download=gaps")
    assert rows[1][4] == "Asked two agencies to recruit befrienders."
    page = client.get("/hub/performance").get_data(as_text=True)
    assert "No response after 14 days" in page and "2 still without a response after 14 days" in page


def test_brokers_satisfaction_and_directory(client, login, history):
    report = services.hub_report(history.lead, None, _period(history))
    [bea] = report.brokers  # Ben is in the other hub
    expires = history.today + timedelta(days=10)
    assert (bea.caseload, bea.minutes_used, bea.minutes_allocated) == (2, 480, 1500)  # 120+60+300 of 600+900
    assert (bea.expiring, bea.expired) == ([f"Insurance on {expires.day} {expires:%B %Y}"], [])
    lapsed = accredited_broker(history.hub, name="Lou Lapsed", insurance_days_left=-3)
    gone = history.today - timedelta(days=3)
    lines = {b.broker.id: b for b in services.hub_report(history.lead, None, _period(history)).brokers}
    assert lines[lapsed.id].expired == [f"Insurance expired on {gone.day} {gone:%B %Y}"]
    said = report.satisfaction
    # R1 (listened: No) and R2 (listened: Partly, information: Don't know); R3 is older, Ben's is H2's.
    assert [said.count("listened", a) for a in ("yes", "no", "partly", "dont_know")] == [0, 1, 1, 0]
    assert [said.count("information_useful", a) for a in ("yes", "no", "partly", "dont_know")] == [1, 0, 0, 1]
    assert [said.count("involved", a) for a in ("yes", "no", "partly", "dont_know")] == [2, 0, 0, 0]
    assert dict(said.ratings) == {history.bea.id: [5, 3]}
    assert (report.stale_entries, report.waiting_suggestions) == (2, 1)  # E1, E3; one W9 suggestion
    login(history.lead)
    assert _csv(client, "/hub/performance?download=ratings")[1:] == [["Bea Broker", "2", "4.0"]]
    rows = _csv(client, "/hub/performance/reviews?question=listened&answer=partly&download=reviews")
    assert [row[2] for row in rows[1:]] == ["3"]
    assert _csv(client, "/hub/performance?download=satisfaction")[2][1:] == ["0", "1", "1", "0", "0"]  # listened
    assert _csv(client, "/hub/performance?download=brokers")[1][3:5] == ["8", "25"]  # hours used, allocated
    for nonsense in ("question=nonsense&answer=yes", "question=listened", "broker=x"):
        assert client.get(f"/hub/performance/reviews?{nonsense}").status_code == 404


def test_a_lead_sees_only_their_hub_and_the_admin_sees_all(client, login, history, admin_user):
    login(history.other_lead)
    assert client.get(f"/hub/performance?hub={history.hub.id}").status_code == 404
    assert client.get(f"/hub/performance/needs?measure=posted&hub={history.hub.id}").status_code == 404
    mine = _csv(client, "/hub/performance?download=needs")
    assert mine[1] == ["Needs posted", "1", "0"]  # X1 only
    login(admin_user)
    assert client.get(f"/hub/performance?hub={history.hub.id}").status_code == 200
    rows = {row[0]: row for row in _csv(client, "/admin/hubs/performance?download=hubs")[1:]}
    # The same numbers as Hub H's own page (worked out above): 5 posted, 3 filled, median 120 hours to
    # filled, 67% within 30 days, 40% told within 4 hours; gaps 3, two overdue (G1, G4); Bea listed.
    assert rows["Hub H"][1:9] == ["5", "3", "120.0", "67", "40", "3", "2", "1"]
    assert rows["Hub H2"][1:9] == ["1", "1", "48.0", "100", "100", "1", "0", "1"]  # X1 filled after 2 days


def test_a_wrong_period_is_explained_next_to_the_field(client, login, history):
    login(history.lead)
    future = history.today + timedelta(days=3)
    response = client.get(f"/hub/performance?end={future.day}&end={future.month}&end={future.year}")
    assert response.status_code == 400 and "The period must end today or earlier" in response.get_data(as_text=True)
    response = client.get("/hub/performance?start=31&start=2&start=2026")
    assert response.status_code == 400 and "From must be a real date" in response.get_data(as_text=True)
    response = client.get("/hub/performance?start=1&start=6&start=2026&end=1&end=5&end=2026")
    assert response.status_code == 400 and "must start on or before" in response.get_data(as_text=True)


def test_fees_due_under_each_agreement(client, login, history, admin_user):
    hub = history.hub
    hub.agreement_start, hub.monthly_fee_pence, hub.fee_per_new_client_pence = date(2026, 2, 15), 10000, 2500
    for started in (datetime(2026, 1, 20, 12, tzinfo=UTC), datetime(2026, 3, 1, 12, tzinfo=UTC)):
        db.session.add(Engagement(holder=BudgetHolderFactory(), broker=history.bea, band=band("A"),
                                  allocated_minutes=600, started_at=started))
    db.session.commit()
    login(admin_user)
    rows = {row[0]: row for row in _csv(client, "/admin/hubs/performance?start=10&start=1&start=2026"
                                                "&end=5&end=4&end=2026&download=fees")[1:]}
    # From 15 February (the agreement's start) to 5 April: months beginning 1 March and 1 April -> 2 x £100;
    # new clients from 15 February: the one of 1 March (not 20 January) -> 1 x £25.
    assert rows["Hub H"] == ["Hub H", "2", "£100.00", "1", "£25.00", "225.0"]
    assert rows["Hub H2"][1] == "0" and rows["Hub H2"][5] == "0.0"  # no agreement recorded: nothing due


def test_first_told_is_kept_in_step_and_rebuilt_by_a_command(app, history):
    from app.needs import posting
    from tests.factories import agree_and_publish, engagement, need_details, provider

    provider("P5 Care")
    need = posting.create_draft(history.bea.user, engagement(history.holder, history.bea).id, need_details())
    agree_and_publish(history.bea.user, need)
    db.session.commit()
    assert need.first_told_at is not None  # set as the providers were told
    told = need.first_told_at
    history.needs.n1.first_told_at = None  # as after a bulk import
    need.first_told_at = told + timedelta(days=1)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["reports", "rebuild"])
    assert "Recounted: 2 needs changed." in result.output
    db.session.expire_all()
    assert need.first_told_at == told
    assert history.needs.n1.first_told_at == history.needs.n1.published_at + timedelta(hours=1)
    assert app.test_cli_runner().invoke(args=["reports", "rebuild"]).output.startswith("Recounted: 0 needs")


def test_a_provider_told_about_a_need_still_open_has_not_failed_to_respond(history):
    from app.needs.models import NeedRecipient, NeedStatus
    from tests.factories import provider
    from tests.history_helpers import _need

    late = provider("P6 Care")
    need = _need(history, history.bea, history.holder, timedelta(hours=2), NeedStatus.OPEN)
    need.deadline_at = need.published_at + timedelta(hours=48)
    db.session.add(NeedRecipient(need_id=need.id, organisation_id=late.id, notified_at=need.published_at))
    db.session.commit()
    report = services.hub_report(history.lead, None, _period(history))
    assert "P6 Care" in {p.name for p in report.providers}
    assert [p.name for p in report.never_responded] == ["P4 Care"]  # P6 still has 46 hours
