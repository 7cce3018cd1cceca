"""Reading a template as the seller wrote it: literal text, macros in braces, ``{{`` and ``}}``.

The scanner walks the text once, by hand; nothing is ever given to
``str.format`` or ``eval``, and a macro is only a name that must be in the
catalog (and in the field's allowed set). The rules, with examples, are in the
docstring of ``faktura.core.macros``; every refusal is an ``InvalidValue`` on the
caller's field that says where (column, and line when there are several) and
how to write what was meant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import get_close_matches

from faktura.core.errors import InvalidValue
from faktura.core.macros.catalog import ALL_NAMES, BY_NAME, Macro
from faktura.core.macros.values import MacroType

__all__ = ["MAX_LENGTH", "MAX_MACROS", "MAX_OFFSET_DAYS", "MacroRef", "Part", "scan"]

MAX_LENGTH = 2000
"""Characters in a template, an email body included."""
MAX_MACROS = 50
"""Macros in a template."""
MAX_OFFSET_DAYS = 365
"""The largest shift of a date macro, ``{document.issue_date+365}``."""


@dataclass(frozen=True, slots=True)
class MacroRef:
    """A macro in a template: a name from the catalog and, for a date, a shift in days."""

    name: str
    offset: int = 0

    def __str__(self) -> str:
        return "{" + self.name + (f"{self.offset:+d}" if self.offset else "") + "}"


Part = str | MacroRef

_BRACE = re.compile(r"[{}]")
_NAME = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*")
_DAYS = re.compile(r"[1-9][0-9]*")
_MACRO_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_.+-")
_NAME_RULE = "names are words of a-z, 0-9 and _ that start with a letter, joined by dots, e.g. {order.number}"
_CLOSE_TO_MALFORMED = 0.85  # {order..number}, {order.client-name}; not {order.__class__} -> {order.oss}
_LONGEST_SHOWN = 40
_LISTED_AT_MOST = 8
_NOT_SUPPORTED = {
    ":": "format specifications are not supported; the document's language decides how values are written",
    "!": "conversions such as !r are not supported",
    "[": "indexing is not supported; a macro is a plain name",
    "]": "indexing is not supported; a macro is a plain name",
    "(": "calls are not supported; a macro is a plain name",
    ")": "calls are not supported; a macro is a plain name",
}


def scan(text: str, *, field: str, allowed: frozenset[str] = ALL_NAMES) -> tuple[Part, ...]:
    """Literal texts (escapes resolved) and macros, in order; refuses anything else."""
    if len(text) > MAX_LENGTH:
        raise InvalidValue(f"is too long: {len(text):,} characters, at most {MAX_LENGTH:,} are allowed", field=field)
    parts: list[Part] = []
    literal: list[str] = []
    macros = 0
    at = 0
    while at < len(text):
        brace = _BRACE.search(text, at)
        if brace is None:
            literal.append(text[at:])
            break
        start = brace.start()
        literal.append(text[at:start])
        pair = text[start : start + 2]
        if pair in ("{{", "}}"):
            literal.append(pair[0])
            at = start + 2
            continue
        if pair[0] == "}":
            where = _where(text, start)
            raise InvalidValue(f"}} at {where} has no opening {{; write a literal }} as }}}}", field=field)
        end = _closing(text, start, field)
        macros += 1
        if macros > MAX_MACROS:
            raise InvalidValue(f"has more than {MAX_MACROS} macros", field=field)
        if any(literal):
            parts.append("".join(literal))
        literal = []
        parts.append(_macro(text, start, end, field, allowed))
        at = end + 1
    if any(literal):
        parts.append("".join(literal))
    return tuple(parts)


def _closing(text: str, start: int, field: str) -> int:
    where = _where(text, start)
    end = text.find("}", start + 1)
    inner = text.find("{", start + 1, len(text) if end == -1 else end)
    if inner != -1:
        raise InvalidValue(
            f"{{ at {where} is not closed before the {{ at {_where(text, inner)}; macros cannot be nested,"
            " and a literal { is written {{",
            field=field,
        )
    if end == -1:
        raise InvalidValue(f"{{ at {where} is not closed; write a literal {{ as {{{{", field=field)
    return end


def _macro(text: str, start: int, end: int, field: str, allowed: frozenset[str]) -> MacroRef:
    body = text[start + 1 : end]
    shown, where = _shown(body), _where(text, start)
    if not body:
        raise InvalidValue(
            f"{{}} at {where} is empty; put a macro in it, e.g. {{order.number}}, or write {{{{}}}} for literal braces",
            field=field,
        )
    for index, char in enumerate(body):
        if char not in _MACRO_CHARS:
            raise InvalidValue(_bad_character(char, _where(text, start + 1 + index), body, allowed), field=field)
    name, sign, days = _split(body)
    if sign and name not in ALL_NAMES:  # not a shifted macro: read the whole body as a name
        name, sign = body, ""
    if not _NAME.fullmatch(name):
        why = "positional fields are not supported" if name.isdigit() else "it is not a macro name"
        close = get_close_matches(name, sorted(allowed), n=1, cutoff=_CLOSE_TO_MALFORMED)
        how = f"did you mean {{{close[0]}}}?" if close else _NAME_RULE
        raise InvalidValue(f"{shown} at {where}: {why}; {how}", field=field)
    if name not in ALL_NAMES:
        raise InvalidValue(f"unknown macro {shown} at {where}; {_hint(name, allowed)}", field=field)
    if name not in allowed:
        raise InvalidValue(f"{shown} at {where} cannot be used here; {_listing(name, allowed)}", field=field)
    return MacroRef(name, _offset(BY_NAME[name], sign, days, shown, where, field)) if sign else MacroRef(name)


def _offset(macro: Macro, sign: str, days: str, shown: str, where: str, field: str) -> int:
    if macro.type is not MacroType.DATE:
        why = f"only a date can be shifted by days, and {macro.placeholder} is {macro.type}"
        raise InvalidValue(f"{shown} at {where}: {why}", field=field)
    if not _DAYS.fullmatch(days):
        example = "{" + macro.name + "+14}"
        why = f"+ or - shifts a date by 1 to {MAX_OFFSET_DAYS} days, written without leading zeros, e.g. {example}"
        raise InvalidValue(f"{shown} at {where}: {why}", field=field)
    if len(days) > len(str(MAX_OFFSET_DAYS)) or int(days) > MAX_OFFSET_DAYS:
        raise InvalidValue(f"{shown} at {where}: a date moves {MAX_OFFSET_DAYS} days at most", field=field)
    return int(sign + days)


def _split(body: str) -> tuple[str, str, str]:
    """``document.issue_date+14`` -> ``("document.issue_date", "+", "14")``."""
    cut = min((body.find(sign) for sign in "+-" if sign in body), default=len(body))
    return body[:cut], body[cut : cut + 1], body[cut + 1 :]


def _bad_character(char: str, where: str, body: str, allowed: frozenset[str]) -> str:
    cleaned = "".join(body.split()).lower()
    fix = f"; write {{{cleaned}}}" if cleaned.isascii() and _split(cleaned)[0] in allowed else ""
    if char.isspace():
        return f"{_shown(body)} has whitespace at {where}; macro names have none{fix}"
    if char != char.lower():
        return f"{_shown(body)} has an upper-case letter at {where}; macro names are lower case{fix}"
    why = _NOT_SUPPORTED.get(char, "macro names use only a-z, 0-9, _ and .")
    return f"{char!r} at {where} is not allowed in a macro: {why}"


def _hint(name: str, allowed: frozenset[str]) -> str:
    close = get_close_matches(name, sorted(allowed), n=1, cutoff=0.6)
    return f"did you mean {{{close[0]}}}?" if close else "see the list of macros"


def _listing(name: str, allowed: frozenset[str]) -> str:
    if not allowed:
        return "this field takes no macros"
    group = name.split(".")[0]
    if len(allowed) > _LISTED_AT_MOST:
        if "." in name and not any(other.startswith(group + ".") for other in allowed):
            return f"this field takes no {{{group}...}} macro"
        return "see the macros this field takes"
    ordered = [macro.placeholder for macro in BY_NAME.values() if macro.name in allowed]
    return "this field takes " + (ordered[0] if len(ordered) == 1 else ", ".join(ordered[:-1]) + " or " + ordered[-1])


def _shown(body: str) -> str:
    if len(body) > _LONGEST_SHOWN:
        body = body[: _LONGEST_SHOWN - 3] + "..."
    return "{" + body.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t") + "}"


def _where(text: str, index: int) -> str:
    """``column 7``, or ``line 2, column 3`` in a text of several lines."""
    line_start = text.rfind("\n", 0, index) + 1
    column = f"column {index - line_start + 1}"
    if "\n" not in text:
        return column
    line = text.count("\n", 0, index) + 1
    return f"line {line}, {column}"
