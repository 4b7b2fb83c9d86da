"""Comparing two versions part by part: the words added and removed, as pieces a page marks with
<ins> and <del> and the words "Added" and "Removed" for screen readers (not colour alone)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from app.plans.content import PlanContent
from app.plans.models import PlanVersion
from app.plans.sections import SECTIONS, Section

_WORDS = re.compile(r"\S+|\s+")


@dataclass(frozen=True)
class Piece:
    kind: str  # "same", "added", "removed"
    text: str


@dataclass(frozen=True)
class SectionChange:
    section: Section
    pieces: list[Piece]

    @property
    def changed(self) -> bool:
        return any(piece.kind != "same" for piece in self.pieces)


def diff(before: str, after: str) -> list[Piece]:
    old, new = _WORDS.findall(before or ""), _WORDS.findall(after or "")
    pieces: list[Piece] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(Piece("same", "".join(old[i1:i2])))
            continue
        if op in ("delete", "replace"):
            pieces.append(Piece("removed", "".join(old[i1:i2])))
        if op in ("insert", "replace"):
            pieces.append(Piece("added", "".join(new[j1:j2])))
    return [p for p in pieces if p.text]


def compare(a: PlanVersion, b: PlanVersion) -> list[SectionChange]:
    """Each part of the plan, from version `a` to version `b`."""
    first, second = PlanContent(a.content), PlanContent(b.content)
    return [SectionChange(s, diff(first.section_text(s.key), second.section_text(s.key))) for s in SECTIONS]
