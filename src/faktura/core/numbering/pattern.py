"""``Pattern``: a valid numbering pattern, the numbers it formats and reads back."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import NamedTuple

from faktura.core.errors import InvalidValue
from faktura.core.numbering.syntax import tokenise
from faktura.core.numbering.tokens import YEAR4, Kind, Token, canonical, merged, problem, refusal, repaired


class ParsedNumber(NamedTuple):
    """What a number says: its counter, and its year and month when the pattern has them."""

    counter: int
    year: int | None
    month: int | None


@dataclass(frozen=True)
class Pattern:
    """A numbering pattern; build it with ``Pattern.parse`` or ``Pattern.from_prefix``."""

    tokens: tuple[Token, ...]

    def __post_init__(self) -> None:
        tokens = merged(self.tokens)
        object.__setattr__(self, "tokens", tokens)
        why = problem(tokens)
        if why is not None:
            raise refusal(canonical(tokens), why, [repaired(tokens)])

    @classmethod
    def parse(cls, text: str) -> Pattern:
        """The pattern written as ``text``, in the bare or the braced form."""
        return cls(tokenise(text))

    @classmethod
    def from_prefix(cls, prefix: str, *, digits: int = 4, with_year: bool = True) -> Pattern:
        """``prefix`` taken literally, then the four-digit year (unless ``with_year`` is False)
        and a counter padded to ``digits``: ``OVO`` -> ``OVO{RRRR}{CCCC}``."""
        if digits < 1:
            raise InvalidValue(f"the counter needs at least one digit, not {digits}", field="pattern")
        year = [YEAR4] if with_year else []
        return cls((Token.literal(prefix), *year, Token.counter(digits)))

    @property
    def canonical(self) -> str:
        """The braced form, which reads the same to every parser: ``FA{RRRR}{CCC}``."""
        return canonical(self.tokens)

    def __str__(self) -> str:
        return self.canonical

    def has(self, kind: Kind) -> bool:
        return any(t.kind is kind for t in self.tokens)

    @property
    def has_year(self) -> bool:
        return self.has(Kind.YEAR4) or self.has(Kind.YEAR2)

    @property
    def has_month(self) -> bool:
        return self.has(Kind.MONTH)

    def format(self, counter: int, on: date) -> str:
        """The number with ``counter`` issued on ``on`` (the issue date in the seller's time zone)."""
        require_date(on)
        if counter < 1:
            raise InvalidValue(f"must be at least 1, not {counter}", field="counter")
        return "".join(_fill(token, counter, on) for token in self.tokens)

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """Anchored; matches exactly the numbers the pattern can produce (any year, any counter)."""
        return re.compile(r"\A" + "".join(_regex(token) for token in self.tokens) + r"\Z")

    def parse_number(self, number: str) -> ParsedNumber | None:
        """What ``number`` says, or None when this pattern cannot have produced it.

        A two-digit year is read as 20RR."""
        match = self.regex.match(number)
        if match is None:
            return None
        fields = match.groupdict()
        year, month = fields.get("year"), fields.get("month")
        if year is not None and len(year) == 2:
            year = "20" + year
        return ParsedNumber(
            counter=int(match["counter"]),
            year=int(year) if year is not None else None,
            month=int(month) if month is not None else None,
        )


def require_date(on: date) -> None:
    """Refuse a datetime: which day it is depends on the seller's time zone, the caller's job."""
    if isinstance(on, datetime) or not isinstance(on, date):
        raise TypeError(f"expected the issue date as a date in the seller's time zone, got {on!r}")


def _fill(token: Token, counter: int, on: date) -> str:
    if token.kind is Kind.LITERAL:
        return token.text
    if token.kind is Kind.YEAR4:
        return f"{on.year:04d}"
    if token.kind is Kind.YEAR2:
        return f"{on.year % 100:02d}"
    if token.kind is Kind.MONTH:
        return f"{on.month:02d}"
    return f"{counter:0{token.width}d}"


def _regex(token: Token) -> str:
    width = token.width
    if token.kind is Kind.LITERAL:
        return re.escape(token.text)
    if token.kind is Kind.MONTH:
        return "(?P<month>0[1-9]|1[0-2])"
    if token.kind is Kind.COUNTER:
        # padded to exactly `width` (not all zeros), or longer without a leading zero
        return f"(?P<counter>(?!0{{{width}}})[0-9]{{{width}}}|[1-9][0-9]{{{width},}})"
    return f"(?P<year>[0-9]{{{width}}})"
