"""The weekly grid of days and parts of the day (spare capacity, and when support is needed)."""

from __future__ import annotations

from wtforms import SelectMultipleField
from wtforms.validators import ValidationError

from app.core.converters import parse_whole_number
from app.core.reference import DAYS, PARTS_OF_DAY

GRID_CHOICES = [(f"{day}:{part}", f"{day_name} {part_name.lower()}")
                for day, day_name in DAYS.items() for part, part_name in PARTS_OF_DAY.items()]

# The column headings of the wide grid, with soft hyphens where a long word may break, so
# seven columns fit beside the days in a form's column (the words wrap only if they must).
_BREAKS = {"Lunchtime": "Lunch\u00adtime", "Afternoon": "After\u00adnoon"}
COLUMN_HEADINGS = {part: _BREAKS.get(name, name) for part, name in PARTS_OF_DAY.items()}


def slot_value(day: int, part: str) -> str:
    return f"{day}:{part}"


def parse_slots(values: list[str]) -> set[tuple[int, str]]:
    slots = set()
    for value in values or []:
        day, _, part = value.partition(":")
        number = parse_whole_number(day, maximum=max(DAYS))
        if number in DAYS and part in PARTS_OF_DAY:
            slots.add((number, part))
    return slots


class SlotGridField(SelectMultipleField):
    """A checkbox for each day and part of the day (rendered by the _macros/grid.html macro: a
    week grid on a wide screen, a list of days on a narrow one)."""

    column_headings = COLUMN_HEADINGS

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, choices=GRID_CHOICES, **kwargs)

    def pre_validate(self, form):
        if self.data and set(self.data) - {value for value, _ in GRID_CHOICES}:
            raise ValidationError("Choose from the grid")
