"""Reading a pattern as the seller wrote it: the bare form and the braced form.

A text with a brace in it is in the braced form, any other text is bare. The
rules are stated, with examples, in the docstring of ``faktura.core.numbering``.
"""

from __future__ import annotations

import re
from itertools import groupby

from faktura.core.errors import InvalidValue
from faktura.core.numbering.tokens import (
    FIELDS_HELP,
    MAX_LENGTH,
    MONTH,
    YEAR2,
    YEAR4,
    Kind,
    Token,
    canonical,
    field_token,
    merged,
    problem,
    refusal,
    repaired,
)

_LONGEST_TEXT = MAX_LENGTH + 6  # a longer text cannot be a valid pattern in either form
_YEAR_LOOKALIKES = frozenset("YAJ")  # YYYY, AAAA (an, año), JJJJ (Jahr)


def tokenise(text: str) -> tuple[Token, ...]:
    """The valid tokens of ``text``; raises ``InvalidValue(field="pattern")`` otherwise."""
    if not text:
        raise refusal(text, "is empty; a pattern needs at least a counter", ["FA{RRRR}{CCC}"])
    if len(text) > _LONGEST_TEXT:
        raise refusal(text[:20] + "...", f"is too long: at most {MAX_LENGTH} characters are allowed")
    bare = "{" not in text and "}" not in text
    tokens = _bare(text) if bare else _braced(text)
    why = problem(tokens)
    if why is not None:
        suggestions = [repaired(tokens, letters=bare)]
        if why.startswith("has no counter") and text != text.upper():
            why += " (token letters are upper case)"
            suggestions.insert(0, _suggestion(text.upper()))
        raise refusal(text, why, suggestions)
    return tokens


def _suggestion(text: str) -> str | None:
    try:
        return canonical(tokenise(text))
    except InvalidValue:
        return None


def _braced(text: str) -> tuple[Token, ...]:
    tokens: list[Token] = []
    rest = text
    while rest:
        literal, brace, rest = _split_at_brace(rest)
        tokens.append(Token.literal(literal))
        if not brace:
            break
        letters, closing, after = rest.partition("}")
        if brace == "}" or not closing or "{" in letters:
            raise refusal(
                text,
                f"has a {brace} without its pair; braces only enclose the tokens {FIELDS_HELP},"
                " and literal braces are not allowed",
            )
        token = field_token(letters)
        if token is None:
            raise _unknown_token(text, letters)
        tokens.append(token)
        rest = after
    return merged(tokens)


def _split_at_brace(text: str) -> tuple[str, str, str]:
    at = min((i for i in (text.find("{"), text.find("}")) if i >= 0), default=len(text))
    return text[:at], text[at : at + 1], text[at + 1 :]


def _unknown_token(text: str, letters: str) -> InvalidValue:
    respelled = re.sub(r"\{([^{}]*)\}", lambda m: _meant(m[1]), text)
    suggestion = _suggestion(respelled) if respelled != text else None
    return refusal(text, f"has the unknown token {{{letters}}}; the tokens are {FIELDS_HELP}", [suggestion])


def _meant(letters: str) -> str:
    """The token that ``{letters}`` was probably meant to be, braced (or as it was)."""
    upper = letters.upper()
    meant = field_token(upper)
    if meant is None and len(upper) in (2, 4) and set(upper) <= _YEAR_LOOKALIKES:
        meant = YEAR4 if len(upper) == 4 else YEAR2
    if meant is None and upper and set(upper) == {"N"}:
        meant = Token.counter(len(upper))
    return meant.braced if meant is not None else "{" + letters + "}"


def _bare(text: str) -> tuple[Token, ...]:
    """Maximal runs of one letter: RRRR and RR are years, any run of C is the counter."""
    tokens: list[Token] = []
    # Two readings of an ambiguous run, to suggest: extra letters before the field, or after it.
    before: list[Token] = []
    after: list[Token] = []
    doubts: list[str] = []
    for letter, group in groupby(text):
        run = "".join(group)
        token = field_token(run) if letter in "RC" else None
        if token is not None:
            tokens.append(token)
            before.append(token)
            after.append(token)
            continue
        tokens.append(Token.literal(run))
        if letter == "R":
            doubts.append(f"{run!r} is neither a four-digit year RRRR nor a two-digit year RR")
            year = YEAR4 if len(run) > 4 else YEAR2 if len(run) > 2 else None
            extra = Token.literal("R" * (len(run) - (year.width if year else 0)))
            before.extend([extra, year] if year else [extra])
            after.extend([year, extra] if year else [extra])
        elif letter == "M" and len(run) > 1:
            doubts.append(f"{run!r} is a month only in the braced form, as {{MM}}")
            before.extend([Token.literal(run[2:]), MONTH])
            after.append(Token.literal(run))
        else:
            before.append(Token.literal(run))
            after.append(Token.literal(run))
    counters = sum(t.kind is Kind.COUNTER for t in tokens)
    if counters > 1:
        doubts.append(f"it has {counters} runs of C, and one counter at most")
    if doubts:
        raise refusal(
            text,
            "is ambiguous: in the bare form every R is part of a year and every C part of"
            f" the counter, and {'; '.join(doubts)}",
            [repaired(before, letters=True), repaired(after, letters=True)],
        )
    return merged(tokens)
