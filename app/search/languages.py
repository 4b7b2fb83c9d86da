"""Languages in the words of a search: "Arabic speaking befriending" means befriending in
Arabic, not befriending whose description has the words "Arabic" and "speaking".

A language is understood by its name in any case and in the usual forms ("Arabic",
"Arabic-speaking", "Arabic speaking", "speaks Arabic", "Arabic speakers", "in Arabic",
"Arabic or Farsi"), and taken out of the words that must match; the search then keeps the
listings in that language (query.py). Words in "quotes", with a * or a leading - are left as
they were typed: they ask for exactly those words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh.analysis import STOP_WORDS

from app.core.reference import LANGUAGES

# Words that go with a language's name: "speaks Arabic", "Arabic speakers", "in Arabic".
SPEAKING = frozenset({"speak", "speaks", "speaking", "speaker", "speakers", "spoken", "language", "languages",
                      "in", "who", "that"})
# Between two languages: "Arabic or Farsi", "Arabic and French", "Arabic/Farsi".
JOINING = frozenset({"or", "and", "/", "&"})
EXTRA_NAMES = {"sign language": "bsl", "bangla": "bengali", "persian": "farsi"}


def _names() -> dict[tuple[str, ...], str]:
    """Every name of every language, as lower-case words, longest first."""
    names: dict[tuple[str, ...], str] = {}
    for code, label in LANGUAGES.items():
        for name in (code, re.sub(r"\s*\(.*?\)", "", label), *re.findall(r"\((.*?)\)", label)):
            names[tuple(name.lower().split())] = code
    for name, code in EXTRA_NAMES.items():
        names[tuple(name.split())] = code
    return dict(sorted(names.items(), key=lambda item: -len(item[0])))


NAMES = _names()
NAME_WORDS = frozenset(word for name in NAMES for word in name)


def names_of(code: str) -> list[str]:
    """The names a language is known by ("farsi", "persian"), to find it in descriptions."""
    return [" ".join(words) for words, named in NAMES.items() if named == code and words != (code,)] or [code]


@dataclass
class LanguageWords:
    words: str  # the words that must still match
    languages: list[str] = field(default_factory=list)  # language codes named, in order
    parts: list[tuple[str, bool]] = field(default_factory=list)  # every word as typed, and if it named a language


def _tokens(text: str) -> list[tuple[str, str | None]]:
    """(as typed, plain lower-case word or None) for each word; "quoted phrases" stay whole,
    and "Arabic-speaking" becomes two words, "arabic/farsi" three ("arabic", "/", "farsi")."""
    out: list[tuple[str, str | None]] = []
    for piece in re.findall(r'"[^"]*"?|\S+', text):
        plain = piece.lower().rstrip(",.;:!?")
        if not plain.startswith("-") and "-" in plain and set(plain.split("-")) & NAME_WORDS:
            out.extend((part, part if re.fullmatch(r"[a-z]+", part) else None) for part in plain.split("-") if part)
        elif "/" in plain and len(plain) > 1 and set(plain.split("/")) & NAME_WORDS:
            for index, part in enumerate(plain.split("/")):
                if index:
                    out.append(("/", "/"))
                if part:
                    out.append((part, part if re.fullmatch(r"[a-z]+", part) else None))
        elif re.fullmatch(r"[a-z]+|[/&]", plain):
            out.append((piece, plain))
        else:
            out.append((piece, None))
    return out


def _name_at(plain: list[str | None], start: int) -> tuple[str, int] | None:
    for words, code in NAMES.items():
        if tuple(plain[start:start + len(words)]) == words:
            return code, len(words)
    return None


def languages_in(text: str) -> LanguageWords:
    """Take the languages out of the words: 'Arabic speaking befriending' -> ('befriending', ['arabic'])."""
    tokens = _tokens(text)
    plain = [p for _, p in tokens]
    taken: set[int] = set()
    languages: list[str] = []
    i = 0
    while i < len(tokens):
        found = _name_at(plain, i)
        if found is None:
            i += 1
            continue
        code, length = found
        if code not in languages:
            languages.append(code)
        taken.update(range(i, i + length))
        before = i - 1
        while before >= 0 and before not in taken and plain[before] in SPEAKING:
            taken.add(before)
            before -= 1
        i += length
        while i < len(tokens) and plain[i] in SPEAKING:
            taken.add(i)
            i += 1
        if i + 1 < len(tokens) and plain[i] in JOINING and _name_at(plain, i + 1):
            taken.add(i)
            i += 1
    if not languages:
        return LanguageWords(text, parts=[(word, False) for word in text.split()])
    kept = [typed for n, (typed, _) in enumerate(tokens) if n not in taken]
    if all((p or "x") in STOP_WORDS for n, p in enumerate(plain) if n not in taken):
        kept = []  # "in Arabic for" leaves nothing to search for
    parts = [(typed, n in taken) for n, (typed, _) in enumerate(tokens)]
    return LanguageWords(" ".join(kept), languages, parts)
