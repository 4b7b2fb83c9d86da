"""`LabelledEnum`: an enum stored as its value, with the words people read beside it.

    class RequestStatus(LabelledEnum):
        PENDING = "pending", "Waiting for the broker"
        LAPSED = "lapsed", "No answer in time"

`RequestStatus("pending")` finds a member by its stored value, `status.label` is what a page
shows, and `RequestStatus.choices()` gives a form's (value, label) pairs in order.
"""

from __future__ import annotations

import enum


class LabelledEnum(str, enum.Enum):
    """A string enum whose members are `NAME = "stored value", "Label for people"` (the label
    defaults to the value with its first letter capitalised)."""

    _label: str

    def __new__(cls, value: str, label: str | None = None):
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label if label is not None else value.replace("_", " ").capitalize()
        return member

    @property
    def label(self) -> str:
        return self._label

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(member.value, member.label) for member in cls]

    @classmethod
    def values(cls) -> list[str]:
        return [member.value for member in cls]
