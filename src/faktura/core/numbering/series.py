"""Reset policies, the counter's periods and the checks on a whole series."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from faktura.core.errors import InvalidValue
from faktura.core.numbering.pattern import Pattern, require_date
from faktura.core.numbering.tokens import MONTH, YEAR4, Kind, Token, canonical, problem, refusal


class ResetPolicy(StrEnum):
    """When the counter starts again from 1."""

    YEARLY = "yearly"
    MONTHLY = "monthly"
    NEVER = "never"


DEFAULT_POLICY = ResetPolicy.YEARLY
NEVER_KEY = "-"


def period_key(policy: ResetPolicy, on: date) -> str:
    """The period a number issued on ``on`` counts in: one counter row per (series, key)."""
    require_date(on)
    if policy is ResetPolicy.YEARLY:
        return f"{on.year:04d}"
    if policy is ResetPolicy.MONTHLY:
        return f"{on.year:04d}-{on.month:02d}"
    return NEVER_KEY


def validate_series(pattern: Pattern, policy: ResetPolicy = DEFAULT_POLICY, *, start: int = 1) -> None:
    """Refuse a series whose numbers would repeat: a counter that starts again every year
    needs the year in the number, one that starts again every month the year and the month."""
    check_start(start)
    needs = {ResetPolicy.YEARLY: ("year",), ResetPolicy.MONTHLY: ("year", "month")}.get(policy, ())
    missing = [name for name in needs if not (pattern.has_year if name == "year" else pattern.has_month)]
    if not missing:
        return
    period = "year" if policy is ResetPolicy.YEARLY else "month"
    raise refusal(
        pattern.canonical,
        f"has no {' and no '.join(missing)}, but its counter starts again every {period},"
        " so its numbers would repeat; add the missing token or never reset the counter",
        [_with_period(pattern, missing)],
    )


def check_start(start: int) -> int:
    if start < 1:
        raise InvalidValue(f"must be at least 1, not {start}", field="start_number")
    return start


def next_counter(last: int | None, *, start: int = 1) -> int:
    """The counter to issue after ``last``, the last one issued in this period (None: none yet).

    ``start`` is the first counter of the period (see ``start_for_period``). A start above
    ``last`` jumps there, as the seller asked; a start below it never makes a number repeat."""
    check_start(start)
    return start if last is None else max(last + 1, start)


def start_for_period(policy: ResetPolicy, on: date, *, start: int, since: date) -> int:
    """The first counter of the period holding ``on`` for a series set up on ``since`` to
    start at ``start``: the start number in that first period, 1 in every other one."""
    check_start(start)
    return start if period_key(policy, on) == period_key(policy, since) else 1


def _with_period(pattern: Pattern, missing: list[str]) -> str | None:
    """The pattern with the missing year and month put just before its counter."""
    add = [YEAR4] if "year" in missing else []
    add += [MONTH] if "month" in missing else []
    tokens: list[Token] = []
    for token in pattern.tokens:
        if token.kind is Kind.COUNTER:
            tokens += add
        tokens.append(token)
    return canonical(tokens) if problem(tokens) is None else None
