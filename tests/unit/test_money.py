import pytest

from app.core.money import MoneyError, format_pence, parse_pounds, pence_to_pounds_text


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
