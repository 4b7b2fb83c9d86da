import pytest

from app.core.money import (
    HOURLY_MAXIMUM_PENCE,
    MAXIMUM_PENCE,
    MoneyError,
    format_pence,
    parse_pounds,
    pence_to_pounds_text,
)


@pytest.mark.parametrize(
    ("pence", "text"),
    [(0, "£0.00"), (5, "£0.05"), (12345, "£123.45"), (123456789, "£1,234,567.89"), (-500, "-£5.00")],
)
def test_format_pence(pence, text):
    assert format_pence(pence) == text


def test_format_pence_without_pence():
    assert format_pence(2500, show_pence=False) == "£25"
    assert format_pence(2550, show_pence=False) == "£25.50"


@pytest.mark.parametrize(
    ("text", "pence"),
    [("25", 2500), ("25.5", 2550), ("£25.50", 2550), (" 1,234.56 ", 123456), ("0.01", 1), ("19.99", 1999)],
)
def test_parse_pounds(text, pence):
    assert parse_pounds(text) == pence
    assert isinstance(parse_pounds(text), int)


@pytest.mark.parametrize("text", ["", "abc", "12.345", "1e5x", "NaN", "Infinity", "£"])
def test_parse_pounds_refuses_bad_input(text):
    with pytest.raises(MoneyError):
        parse_pounds(text)


def test_round_trip():
    for pence in (0, 1, 99, 100, 2550, 99999):
        assert parse_pounds(pence_to_pounds_text(pence)) == pence


@pytest.mark.parametrize("text", ["1e30", "1E3", "inf", "-inf", "nan", "sNaN", "\u0663", "1_000", "0x10", "1\x00",
                                  "12.3.4", "--1", "."])
def test_parse_pounds_reads_only_plain_ascii_amounts(text):
    with pytest.raises(MoneyError, match="Enter an amount in pounds"):
        parse_pounds(text)


def test_parse_pounds_refuses_amounts_above_the_maximum():
    assert parse_pounds("1000000") == MAXIMUM_PENCE
    for text in ("1000000.01", "9" * 5000, "1" + "0" * 40):
        with pytest.raises(MoneyError, match="Enter an amount of £1,000,000 or less"):
            parse_pounds(text)
    assert parse_pounds("10000", maximum=HOURLY_MAXIMUM_PENCE) == 1_000_000
    with pytest.raises(MoneyError, match="Enter an amount of £10,000 or less"):
        parse_pounds("10000.01", maximum=HOURLY_MAXIMUM_PENCE)
    with pytest.raises(MoneyError, match="2 decimal places"):
        parse_pounds("1." + "9" * 5000)


def test_money_rounds_half_a_penny_away_from_zero_and_never_takes_a_float():
    from fractions import Fraction

    from app.core.money import Money, round_pence

    assert round_pence(Fraction(5, 2)) == 3 and round_pence(Fraction(-5, 2)) == -3
    assert round_pence(Fraction(249, 100)) == 2 and round_pence(Fraction(251, 100)) == 3
    assert Money(2550).for_minutes(90) == Money(3825)  # £25.50 an hour for an hour and a half
    assert Money(1999).for_minutes(20) == Money(666)  # 666.33 pence
    assert Money(1001).times(Fraction(1, 2)) == Money(501)  # 500.5: the half goes up
    assert Money(100) + Money(25) - Money(5) == Money(120) and str(Money(-500)) == "-£5.00"
    with pytest.raises(TypeError):
        Money(1).times(0.5)
    with pytest.raises(TypeError):
        Money(1.5)
    with pytest.raises(TypeError):
        Money(1) + 1


def test_a_split_adds_up_to_the_whole_amount():
    from app.core.money import Money

    parts = Money(1000).split([1, 1, 1])
    assert parts == [Money(334), Money(333), Money(333)] and sum(p.pence for p in parts) == 1000
    assert Money(-1000).split([1, 2]) == [Money(-333), Money(-667)]
    assert Money(7).split([0, 5]) == [Money(0), Money(7)]
    with pytest.raises(ValueError):
        Money(7).split([0, 0])
