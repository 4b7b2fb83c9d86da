"""The words listings use, for "Did you mean": lower-case, as typed (not stemmed), as the
Whoosh index's `spell` field splits them; numbers are left out (nobody misspells a number)."""

from __future__ import annotations

import re

from app.search.registry import Doc

WORD = re.compile(r"\w+(?:\.?\w+)*")


def words_of(doc: Doc) -> set[str]:
    return {word for word in WORD.findall(doc["spell"].lower()) if len(word) >= 2 and not word.isdigit()}


def clean(word: str) -> str:
    """A typed word as it is looked up: 'Befreinding,' -> 'befreinding'."""
    return re.sub(r"[^\w]", "", word.lower())
