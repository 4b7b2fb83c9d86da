"""The readings a provider sees beside the invoice form: the last day there can be support to
invoice, the next period to invoice and what the agreement allows for a period typed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

from app.payments import invoicing, payee
from app.payments.models import InvoiceStatus

TODAY = date(2026, 3, 18)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """A fixed today for both rules last_day joins (the agreement's end, and not after today)."""
    monkeypatch.setattr(payee, "today_in_london", lambda: TODAY)
    monkeypatch.setattr(invoicing, "today_in_london", lambda: TODAY)
    return TODAY


def agreement(start=date(2026, 1, 1), *, end=None, notice=None, ended_at=None, minutes_per_week=240, rate=2300,
              travel=0, schedule=()):
    return SimpleNamespace(start_date=start, end_date=end, notice_ends_on=notice, ended_at=ended_at,
                           minutes_per_week=minutes_per_week, hourly_rate_pence=rate, travel_supplement_pence=travel,
                           schedule=[list(visit) for visit in schedule])


def invoice(start, end, status=InvoiceStatus.SUBMITTED):
    return SimpleNamespace(period_start=start, period_end=end, status=status)


# last_day


def test_a_running_agreement_can_be_invoiced_up_to_today():
    assert payee.last_day(agreement()) == TODAY


def test_an_end_date_still_to_come_does_not_let_the_future_be_invoiced():
    assert payee.last_day(agreement(end=TODAY + timedelta(days=30))) == TODAY


def test_an_agreement_that_ended_can_be_invoiced_up_to_its_end():
    assert payee.last_day(agreement(end=date(2026, 2, 28))) == date(2026, 2, 28)


def test_the_earliest_of_end_date_notice_and_ending_counts():
    ended = agreement(end=date(2026, 3, 10), notice=date(2026, 3, 5), ended_at=datetime(2026, 3, 7, 9, 0, tzinfo=UTC))
    assert payee.last_day(ended) == date(2026, 3, 5)
    ended_early = agreement(end=date(2026, 3, 10), notice=date(2026, 3, 5), ended_at=datetime(2026, 2, 20, tzinfo=UTC))
    assert payee.last_day(ended_early) == date(2026, 2, 20)


def test_the_view_side_last_day_is_invoicings_rule_capped_at_today():
    for a in (agreement(), agreement(end=TODAY + timedelta(days=3)), agreement(notice=date(2026, 2, 1))):
        assert payee.last_day(a) == min(TODAY, invoicing.last_day_of(a))


# next_period


def test_the_first_period_is_four_weeks_from_the_start_of_the_support():
    assert payee.next_period(agreement(), []) == (date(2026, 1, 1), date(2026, 1, 28))


def test_the_next_period_starts_the_day_after_the_last_one_invoiced():
    invoices = [invoice(date(2026, 1, 29), date(2026, 2, 10)), invoice(date(2026, 1, 1), date(2026, 1, 28))]
    assert payee.next_period(agreement(), invoices) == (date(2026, 2, 11), date(2026, 3, 10))


def test_a_replaced_invoice_does_not_count():
    invoices = [invoice(date(2026, 1, 29), date(2026, 2, 25), InvoiceStatus.REPLACED),
                invoice(date(2026, 1, 1), date(2026, 1, 28), InvoiceStatus.PAID)]
    assert payee.next_period(agreement(), invoices) == (date(2026, 1, 29), date(2026, 2, 25))
    only_replaced = [invoice(date(2026, 1, 1), date(2026, 1, 28), InvoiceStatus.REPLACED)]
    assert payee.next_period(agreement(), only_replaced) == (date(2026, 1, 1), date(2026, 1, 28))


@pytest.mark.parametrize("status", [InvoiceStatus.SUBMITTED, InvoiceStatus.QUERIED, InvoiceStatus.APPROVED,
                                    InvoiceStatus.PAID])
def test_every_invoice_still_in_play_counts(status):
    invoices = [invoice(date(2026, 1, 1), date(2026, 1, 28), status)]
    assert payee.next_period(agreement(), invoices)[0] == date(2026, 1, 29)


def test_the_period_stops_at_today():
    invoices = [invoice(date(2026, 2, 5), date(2026, 3, 4))]
    assert payee.next_period(agreement(), invoices) == (date(2026, 3, 5), TODAY)


def test_the_period_stops_where_the_agreement_ended():
    invoices = [invoice(date(2026, 1, 1), date(2026, 1, 28))]
    assert payee.next_period(agreement(end=date(2026, 2, 3)), invoices) == (date(2026, 1, 29), date(2026, 2, 3))


def test_nothing_left_to_invoice_once_an_ended_agreement_is_invoiced_to_its_end():
    ended = agreement(end=date(2026, 2, 3))
    start, end = payee.next_period(ended, [invoice(date(2026, 1, 29), date(2026, 2, 3))])
    assert start > end
    assert payee.InvoicedSoFar([], date(2026, 2, 3), (start, end)).nothing_to_invoice


def test_nothing_to_invoice_when_everything_up_to_today_is_invoiced():
    start, end = payee.next_period(agreement(), [invoice(date(2026, 2, 19), TODAY)])
    assert (start, end) == (TODAY + timedelta(days=1), TODAY)
    assert payee.InvoicedSoFar([], TODAY, (start, end)).nothing_to_invoice


def test_nothing_to_invoice_before_the_support_starts():
    start, end = payee.next_period(agreement(start=TODAY + timedelta(days=7)), [])
    assert start > end


def test_something_to_invoice_on_the_last_day_alone():
    start, end = payee.next_period(agreement(), [invoice(date(2026, 2, 18), TODAY - timedelta(days=1))])
    assert (start, end) == (TODAY, TODAY)
    assert not payee.InvoicedSoFar([], TODAY - timedelta(days=1), (start, end)).nothing_to_invoice


# allowance


def test_four_weeks_allow_four_times_the_weekly_hours_at_the_rate_and_travel():
    allows = payee.allowance(agreement(travel=100), date(2026, 1, 1), date(2026, 1, 28))
    assert allows == payee.Allowance(date(2026, 1, 1), date(2026, 1, 28), 16 * 60, 16 * 2400)


def test_one_day_allows_a_seventh_of_the_week_to_the_nearest_minute():
    allows = payee.allowance(agreement(), date(2026, 1, 5), date(2026, 1, 5))
    assert (allows.minutes, allows.total_pence) == (34, 1303)  # 240 / 7 = 34.3 minutes; 34 at £23 = £13.03


TUESDAY_AND_FRIDAY = ((1, "afternoon"), (4, "afternoon"))  # Monday is 0


def test_a_scheduled_agreement_allows_the_visits_that_fall_in_the_period():
    # Wednesday 25 November to Wednesday 2 December 2026: Friday 27 and Tuesday 1, two hours each.
    allows = payee.allowance(agreement(schedule=TUESDAY_AND_FRIDAY), date(2026, 11, 25), date(2026, 12, 2))
    assert (allows.minutes, allows.total_pence) == (240, 240 * 2300 // 60)


def test_a_day_with_no_visit_allows_nothing_and_two_parts_of_a_day_count_twice():
    wednesday = date(2026, 11, 25)
    assert payee.allowance(agreement(schedule=TUESDAY_AND_FRIDAY), wednesday, wednesday).minutes == 0
    twice_on_wednesday = agreement(minutes_per_week=180, schedule=((2, "morning"), (2, "evening"), (5, "morning")))
    assert payee.allowance(twice_on_wednesday, wednesday, wednesday).minutes == 120  # 2 of 3 visits of an hour


def test_the_longest_period_one_invoice_covers_has_an_allowance():
    allows = payee.allowance(agreement(), date(2026, 1, 1), date(2026, 1, 1) + timedelta(days=invoicing.MAX_PERIOD_DAYS - 1))
    assert allows is not None
    assert allows.minutes == 5 * 240


def test_a_period_longer_than_the_maximum_gives_no_allowance():
    end = date(2026, 1, 1) + timedelta(days=invoicing.MAX_PERIOD_DAYS)
    assert payee.allowance(agreement(), date(2026, 1, 1), end) is None


@pytest.mark.parametrize(("start", "end"), [(None, date(2026, 1, 28)), (date(2026, 1, 1), None), (None, None),
                                            (date(2026, 1, 28), date(2026, 1, 27))])
def test_no_allowance_without_a_period(start, end):
    assert payee.allowance(agreement(), start, end) is None


# the broker's band


@pytest.mark.parametrize(("allocated", "invoiced", "left"), [(600, 0, 600), (600, 420, 180), (600, 600, 0),
                                                             (600, 700, 0)])
def test_band_hours_left_never_go_below_nothing(allocated, invoiced, left):
    work = payee.BrokerWork(3000, [], None, 0, 0, invoiced, allocated)
    assert work.band_left == left
