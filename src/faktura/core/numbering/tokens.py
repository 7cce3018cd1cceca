"""The pieces a numbering pattern is made of, and the checks every pattern passes.

A pattern is a sequence of tokens: literal text, copied into every number, and
fields filled in when a number is issued. ``Pattern`` (in ``pattern.py``) holds
the sequence; this module knows what a valid sequence is, so that both written
forms, ``Pattern.from_prefix`` and the reset-policy check share one set of rules
and one wording.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

from faktura.core.errors import InvalidValue

MAX_LENGTH = 40
"""Most characters a number may have before its counter outgrows its padding."""

SEPARATORS = "-/_."
LITERAL_CHARACTERS = frozenset(string.ascii_letters + string.digits + SEPARATORS)
FIELDS_HELP = "{RRRR} (year), {RR} (two-digit year), {MM} (month) and {C}, {CC}, {CCC}... (counter)"


class Kind(StrEnum):
    LITERAL = "literal"
    YEAR4 = "year4"
    YEAR2 = "year2"
    MONTH = "month"
    COUNTER = "counter"

    @property
    def field(self) -> str:
        """What the token fills in; the two years are one field."""
        return {Kind.YEAR4: "year", Kind.YEAR2: "year"}.get(self, self.value)


@dataclass(frozen=True, slots=True)
class Token:
    """Literal ``text``, or a field whose ``text`` is its letters (``RRRR``, ``CCC``)."""

    kind: Kind
    text: str

    @property
    def width(self) -> int:
        """Characters the token takes in a number (a counter may take more)."""
        return len(self.text)

    @property
    def braced(self) -> str:
        return self.text if self.kind is Kind.LITERAL else "{" + self.text + "}"

    @classmethod
    def literal(cls, text: str) -> Token:
        return cls(Kind.LITERAL, text)

    @classmethod
    def counter(cls, width: int) -> Token:
        return cls(Kind.COUNTER, "C" * width)


YEAR4 = Token(Kind.YEAR4, "RRRR")
YEAR2 = Token(Kind.YEAR2, "RR")
MONTH = Token(Kind.MONTH, "MM")


def field_token(letters: str) -> Token | None:
    """The field written as ``{letters}``, or None when there is no such field."""
    if letters and set(letters) == {"C"}:
        return Token.counter(len(letters))
    return {"RRRR": YEAR4, "RR": YEAR2, "MM": MONTH}.get(letters)


def merged(tokens: Iterable[Token]) -> tuple[Token, ...]:
    """Adjacent literals joined and empty ones dropped, so equal patterns have equal tokens."""
    out: list[Token] = []
    for token in tokens:
        if token.kind is Kind.LITERAL:
            if not token.text:
                continue
            if out and out[-1].kind is Kind.LITERAL:
                out[-1] = Token.literal(out[-1].text + token.text)
                continue
        out.append(token)
    return tuple(out)


def canonical(tokens: Iterable[Token]) -> str:
    return "".join(token.braced for token in tokens)


def shape(tokens: Iterable[Token]) -> str:
    """The shortest number the tokens produce, with every field written as zeros."""
    return "".join(t.text if t.kind is Kind.LITERAL else "0" * t.width for t in tokens)


def refusal(written: str, problem: str, suggestions: Iterable[str | None] = ()) -> InvalidValue:
    """The one way a pattern is refused: what is wrong, then how to write it instead."""
    unique = list(dict.fromkeys(s for s in suggestions if s and s != written))
    advice = f"; write it as {' or '.join(unique)}" if unique else ""
    return InvalidValue(f"{written!r} {problem}{advice}", field="pattern")


def problem(tokens: Sequence[Token]) -> str | None:
    """Why these tokens are not a valid pattern, or None when they are."""
    number = shape(tokens)
    bad = sorted({ch for ch in number if ch not in LITERAL_CHARACTERS})
    if bad:
        shown = " ".join(repr(ch) for ch in bad)
        return f"contains {shown}; numbers may contain only letters A-Z and a-z, digits and - / _ ."
    if len(number) > MAX_LENGTH:
        return f"is too long: its numbers would have {len(number)} characters, {MAX_LENGTH} at most"
    counts = {kind: sum(t.kind.field == kind for t in tokens) for kind in ("year", "month", "counter")}
    if counts["counter"] == 0:
        return "has no counter (C, CC, CCC...)"
    for field, count in counts.items():
        if count > 1:
            return f"has {count} {field}s; a pattern has one at most"
    if number[0] in SEPARATORS or number[-1] in SEPARATORS:
        return "starts or ends with a separator; - / _ . may only stand between letters or digits"
    if any(a in SEPARATORS and b in SEPARATORS for a, b in pairwise(number)):
        return "has two separators in a row; - / _ . may only stand between letters or digits"
    return None


def repaired(tokens: Sequence[Token], *, letters: bool = False) -> str | None:
    """The nearest valid pattern, as a suggestion: a missing counter is added at the end,
    stray separators are dropped and, when ``letters`` (the bare form, where a run of R
    or C may have been meant as letters), repeated fields but the last are read as letters."""
    seen: set[str] = set()
    kept: list[Token] = []
    for token in reversed(tokens):
        if token.kind is not Kind.LITERAL and token.kind.field in seen:
            if not letters:
                return None
            token = Token.literal(token.text)
        seen.add(token.kind.field)
        kept.append(token)
    kept.reverse()
    if "counter" not in seen:
        kept.append(Token.counter(3))
    fixed = merged(_tidy_separators(merged(kept)))
    return canonical(fixed) if fixed and problem(fixed) is None else None


def _tidy_separators(tokens: tuple[Token, ...]) -> list[Token]:
    out: list[Token] = []
    previous = ""  # last character of the number so far
    for index, token in enumerate(tokens):
        if token.kind is not Kind.LITERAL:
            out.append(token)
            previous = "0"
            continue
        text = ""
        for ch in token.text:
            if ch in SEPARATORS and (not previous or previous in SEPARATORS):
                continue
            text += ch
            previous = ch
        if index == len(tokens) - 1:
            text = text.rstrip(SEPARATORS)
        out.append(Token.literal(text))
    return out
