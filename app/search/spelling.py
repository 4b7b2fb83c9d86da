"""The words listings use, for "Did you mean": lower-case, as typed (not stemmed), as the
Whoosh index's `spell` field splits them; numbers are left out (nobody misspells a number)."""

from __future__ import annotations

import re

from app.search.registry import Doc

WORD = re.compile(r"\w+(?:\.?\w+)*")
LONGEST = 40  # longer "words" (a pasted link, a run of letters) are no one's spelling to correct


def words_of(doc: Doc) -> set[str]:
    return {word for word in WORD.findall(doc["spell"].lower()) if 2 <= len(word) <= LONGEST and not word.isdigit()}


def clean(word: str) -> str:
    """A typed word as it is looked up: 'Befreinding,' -> 'befreinding'."""
    return re.sub(r"[^\w]", "", word.lower())
