"""Numbering patterns: both written forms, refusals, round trips, resets, collisions."""

from __future__ import annotations

import itertools
import math
import re
from datetime import date, datetime

import pytest
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from faktura.core.errors import InvalidValue
from faktura.core.numbering import (
    MAX_LENGTH,
    ParsedNumber,
    Pattern,
    ResetPolicy,
    collision_example,
    next_counter,
    patterns_may_collide,
    period_key,
    start_for_period,
    validate_series,
)

MARCH_5 = date(2026, 3, 5)


# -- accepted patterns ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "canonical", "counter", "number"),
    [
        pytest.param("FARRRRCCC", "FA{RRRR}{CCC}", 1, "FA2026001", id="seed invoice"),
        pytest.param("ZALRRRRCCC", "ZAL{RRRR}{CCC}", 12, "ZAL2026012", id="seed proforma"),
        pytest.param("DOPRRRRCCC", "DOP{RRRR}{CCC}", 123, "DOP2026123", id="seed credit note"),
        pytest.param("FARRRRCCC", "FA{RRRR}{CCC}", 1000, "FA20261000", id="counter outgrows its padding"),
        pytest.param("FARRCCCC", "FA{RR}{CCCC}", 7, "FA260007", id="bare two-digit year"),
        pytest.param("CCC", "{CCC}", 5, "005", id="bare counter alone"),
        pytest.param("OVO-C", "OVO-{C}", 12, "OVO-12", id="bare one-C counter"),
        pytest.param("Fa-RRRR/CC", "Fa-{RRRR}/{CC}", 3, "Fa-2026/03", id="bare with lower case and separators"),
        pytest.param("FA{RRRR}{CCC}", "FA{RRRR}{CCC}", 1, "FA2026001", id="braced"),
        pytest.param("RC{RRRR}-{CCCC}", "RC{RRRR}-{CCCC}", 9, "RC2026-0009", id="braced R and C as letters"),
        pytest.param("FV/{RRRR}/{MM}/{CCC}", "FV/{RRRR}/{MM}/{CCC}", 42, "FV/2026/03/042", id="braced month"),
        pytest.param("{RR}{MM}{CCCCC}", "{RR}{MM}{CCCCC}", 1, "260300001", id="braced fields only"),
        pytest.param("CORR{RRRR}{CCC}", "CORR{RRRR}{CCC}", 1, "CORR2026001", id="braced RR as letters"),
        pytest.param("A" * 37 + "CCC", "A" * 37 + "{CCC}", 1, "A" * 37 + "001", id="forty characters"),
    ],
)
def test_an_accepted_pattern_has_a_canonical_form_and_formats_numbers(
    text: str, canonical: str, counter: int, number: str
) -> None:
    pattern = Pattern.parse(text)

    assert pattern.canonical == canonical
    assert pattern.format(counter, MARCH_5) == number
    assert Pattern.parse(canonical) == pattern


def test_the_bare_and_the_braced_spelling_are_the_same_pattern() -> None:
    assert Pattern.parse("FARRRRCCC") == Pattern.parse("FA{RRRR}{CCC}")
    assert len({Pattern.parse("FARRRRCCC"), Pattern.parse("FA{RRRR}{CCC}")}) == 1


# -- refused patterns -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason", "suggestion"),
    [
        pytest.param("FACRRRRCCC", "ambiguous", "FAC{RRRR}{CCC}", id="a C in the prefix"),
        pytest.param("CRRRRCCC", "ambiguous", "C{RRRR}{CCC}", id="a C touching the year"),
        pytest.param("FARRRRRCCC", "ambiguous", "FAR{RRRR}{CCC} or FA{RRRR}R{CCC}", id="five Rs"),
        pytest.param("FARRRCCC", "ambiguous", "FAR{RR}{CCC} or FA{RR}R{CCC}", id="three Rs"),
        pytest.param("FRARRRRCCC", "ambiguous", "FRA{RRRR}{CCC}", id="an R in the prefix"),
        pytest.param("RC-RRRR-CCCC", "ambiguous", "RC-{RRRR}-{CCCC}", id="R and C as letters"),
        pytest.param("FARRRRMMCCC", "braced form", "FA{RRRR}{MM}{CCC} or FA{RRRR}MM{CCC}", id="bare month"),
        pytest.param("CCC-CCC", "2 runs of C", "CCC-{CCC}", id="two bare counters"),
        pytest.param("FARRRR", "no counter", "FA{RRRR}{CCC}", id="no counter"),
        pytest.param("farrrrccc", "upper case", "FA{RRRR}{CCC} or farrrrccc{CCC}", id="lower-case token letters"),
        pytest.param("FA{CCC}{CCC}", "2 counters", None, id="two braced counters"),
        pytest.param("FA{RRRR}{RR}{CCC}", "2 years", None, id="two years"),
        pytest.param("{MM}{MM}{C}", "2 months", None, id="two months"),
        pytest.param("FA{YYYY}{CCC}", "unknown token {YYYY}", "FA{RRRR}{CCC}", id="YYYY for a year"),
        pytest.param("FA{rrrr}{ccc}", "unknown token {rrrr}", "FA{RRRR}{CCC}", id="lower-case tokens"),
        pytest.param("FA{NNN}", "unknown token {NNN}", "FA{CCC}", id="NNN for a counter"),
        pytest.param("FA{DD}{CCC}", "unknown token {DD}", None, id="no day token"),
        pytest.param("FA{}{CCC}", "unknown token {}", None, id="empty braces"),
        pytest.param("FA{RRRR}{CCC", "without its pair", None, id="unclosed brace"),
        pytest.param("FA}{CCC}", "without its pair", None, id="stray closing brace"),
        pytest.param("FA{{CCC}}", "without its pair", None, id="double braces"),
        pytest.param("", "empty", "FA{RRRR}{CCC}", id="empty"),
        pytest.param("FA {CCC}", "contains ' '", None, id="space"),
        pytest.param("FA#{CCC}", "contains '#'", None, id="hash"),
        pytest.param("FĂ{CCC}", "contains 'Ă'", None, id="non-ASCII letter"),
        pytest.param(" FA{CCC}", "contains ' '", None, id="leading whitespace"),
        pytest.param("-FA{CCC}", "separator", "FA{CCC}", id="leading separator"),
        pytest.param("FA{CCC}.", "separator", "FA{CCC}", id="trailing separator"),
        pytest.param("FA//{CCC}", "two separators", "FA/{CCC}", id="two separators in a row"),
        pytest.param("../{CCC}", "separator", "{CCC}", id="path traversal"),
        pytest.param("A" * 38 + "CCC", "41 characters", None, id="too long"),
        pytest.param("A" * 500, "too long", None, id="far too long"),
    ],
)
def test_a_refused_pattern_says_why_and_how_to_write_it(text: str, reason: str, suggestion: str | None) -> None:
    with pytest.raises(InvalidValue) as refused:
        Pattern.parse(text)

    assert refused.value.field == "pattern"
    assert reason in refused.value.message
    if suggestion is None:
        assert "write it as" not in refused.value.message
    else:
        assert refused.value.message.endswith(f"write it as {suggestion}")
        for spelling in suggestion.split(" or "):
            Pattern.parse(spelling)


def test_a_pattern_built_from_invalid_tokens_is_refused_too() -> None:
    with pytest.raises(InvalidValue, match="no counter"):
        Pattern(Pattern.parse("FA{RRRR}{CCC}").tokens[:-1])


# -- prefix ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("digits", "with_year", "canonical", "number"),
    [
        pytest.param(4, True, "OVO{RRRR}{CCCC}", "OVO20260001", id="default: year and four digits"),
        pytest.param(3, True, "OVO{RRRR}{CCC}", "OVO2026001", id="three digits"),
        pytest.param(4, False, "OVO{CCCC}", "OVO0001", id="without the year"),
    ],
)
def test_a_prefix_becomes_a_pattern(digits: int, with_year: bool, canonical: str, number: str) -> None:
    pattern = Pattern.from_prefix("OVO", digits=digits, with_year=with_year)

    assert pattern.canonical == canonical
    assert pattern.format(1, MARCH_5) == number


def test_a_prefix_defaults_to_the_year_and_four_digits() -> None:
    assert Pattern.from_prefix("OVO") == Pattern.parse("OVO{RRRR}{CCCC}")


def test_a_prefix_is_literal_even_with_r_and_c_in_it() -> None:
    assert Pattern.from_prefix("RCC").format(1, MARCH_5) == "RCC20260001"


@pytest.mark.parametrize(
    ("prefix", "digits", "reason"),
    [
        pytest.param("OV O", 4, "contains ' '", id="space"),
        pytest.param("OVO{", 4, "contains '{'", id="brace"),
        pytest.param("OVO-", 4, "", id="separator before the year is fine"),
        pytest.param("OVO", 0, "at least one digit", id="no digits"),
    ],
)
def test_a_bad_prefix_is_refused(prefix: str, digits: int, reason: str) -> None:
    if not reason:
        assert Pattern.from_prefix(prefix, digits=digits).canonical == "OVO-{RRRR}{CCCC}"
        return
    with pytest.raises(InvalidValue, match=re.escape(reason)) as refused:
        Pattern.from_prefix(prefix, digits=digits)
    assert refused.value.field == "pattern"


# -- formatting and reading back ------------------------------------------------------------------


def test_formatting_refuses_a_counter_below_one() -> None:
    with pytest.raises(InvalidValue) as refused:
        Pattern.parse("FA{CCC}").format(0, MARCH_5)
    assert refused.value.field == "counter"


def test_formatting_refuses_a_datetime_whose_day_depends_on_the_time_zone() -> None:
    with pytest.raises(TypeError, match="time zone"):
        Pattern.parse("FA{RRRR}{CCC}").format(1, datetime(2026, 12, 31, 23, 30))


@pytest.mark.parametrize(
    ("text", "number", "parsed"),
    [
        pytest.param("FA{RRRR}{CCC}", "FA2026001", ParsedNumber(1, 2026, None), id="year"),
        pytest.param("FA{RR}{MM}{CCC}", "FA2612999", ParsedNumber(999, 2026, 12), id="two-digit year is 20RR"),
        pytest.param("FA{RRRR}{CCC}", "FA20261000", ParsedNumber(1000, 2026, None), id="grown counter"),
        pytest.param("FA{CCC}", "FA0001", None, id="more padding than the pattern writes"),
        pytest.param("FA{CCC}", "FA000", None, id="counter zero"),
        pytest.param("FA{MM}{CCC}", "FA13001", None, id="month 13"),
        pytest.param("FA{CCC}", "fa001", None, id="letters keep their case"),
        pytest.param("FA{CCC}", "FA001\n", None, id="trailing newline"),
        pytest.param("FA{CCC}", "FA٠٠١", None, id="non-ASCII digits"),
    ],
)
def test_a_number_is_read_back(text: str, number: str, parsed: ParsedNumber | None) -> None:
    assert Pattern.parse(text).parse_number(number) == parsed


LETTERS = "AZaz"
DIGITS = "0123456789"


@st.composite
def patterns(draw: st.DrawFn, *, max_chunk: int = 3, max_width: int = 5, month: bool = True) -> Pattern:
    """Any valid pattern: a counter, maybe a year and a month, literals between them."""
    fields = ["{" + "C" * draw(st.integers(1, max_width)) + "}"]
    fields += draw(st.sampled_from([[], ["{RRRR}"], ["{RR}"]]))
    fields += ["{MM}"] if month and draw(st.booleans()) else []
    fields = draw(st.permutations(fields))
    chunk = st.text(alphabet=LETTERS + DIGITS, max_size=max_chunk)
    separator = st.sampled_from(["", "", "-", "/", "_", "."])
    text = draw(chunk)
    for field in fields:
        text += field + draw(separator) + draw(chunk)
    text = text.strip("-/_.")
    assume(not re.search(r"[-/_.]\{[^}]*\}[-/_.]|[-/_.]{2}", text))
    return Pattern.parse(text)


issue_dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
counters = st.integers(min_value=1, max_value=10**7)


@given(pattern=patterns(), counter=counters, on=issue_dates)
def test_a_formatted_number_reads_back_as_its_counter_year_and_month(pattern: Pattern, counter: int, on: date) -> None:
    number = pattern.format(counter, on)

    assert pattern.regex.match(number)
    assert pattern.parse_number(number) == ParsedNumber(
        counter, on.year if pattern.has_year else None, on.month if pattern.has_month else None
    )


@given(pattern=patterns())
def test_the_canonical_form_parses_back_to_the_same_pattern(pattern: Pattern) -> None:
    assert Pattern.parse(pattern.canonical) == pattern


@given(pattern=patterns(month=False))
def test_a_pattern_without_a_month_reads_the_same_bare(pattern: Pattern) -> None:
    bare = pattern.canonical.replace("{", "").replace("}", "")  # its letters are A, Z, a and z

    assert Pattern.parse(bare) == pattern


# -- collisions -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "collide"),
    [
        pytest.param("FA{RRRR}{CCC}", "FA{RR}{CCCC}", True, id="FA2026001 is FA + 20 + 26001"),
        pytest.param("FA{RRRR}{CCC}", "FA{RRRR}{CCC}", True, id="identical"),
        pytest.param("FARRRRCCC", "FA{RRRR}{CCC}", True, id="one pattern in two spellings"),
        pytest.param("FA{RRRR}{CCC}", "FA{CCCCCCC}", True, id="a long counter covers the year"),
        pytest.param("fa{CCC}", "FA{CCC}", True, id="letters compared without case"),
        pytest.param("FA{RRRR}{CCC}", "FA{RRRR}-{CCC}", False, id="a separator tells them apart"),
        pytest.param("OVO{CCC}", "EBA{CCC}", False, id="different prefixes"),
        pytest.param("FA{C}", "FA0{CC}", False, id="a counter never starts with a spare zero"),
        pytest.param("FA{MM}{CC}", "FA13{CC}", False, id="there is no month 13"),
        pytest.param("FA{MM}{C}", "FA1{CC}", True, id="FA101 is month 10 or counter 01"),
        pytest.param("{RRRR}{CCC}", "{CCC}", True, id="a bare counter grows into anything"),
        pytest.param("{RRRR}-{CCC}", "{CCC}", False, id="a dash is no digit"),
    ],
)
def test_two_patterns_collide_when_some_number_fits_both(a: str, b: str, collide: bool) -> None:
    pa, pb = Pattern.parse(a), Pattern.parse(b)

    assert patterns_may_collide(pa, pb) is collide
    assert patterns_may_collide(pb, pa) is collide
    example = collision_example(pa, pb)
    if example is not None:
        assert _fits(pa, example)
        assert _fits(pb, example)


def _fits(pattern: Pattern, number: str) -> bool:
    return re.compile(pattern.regex.pattern, re.IGNORECASE).match(number) is not None


# Digits 4-9 behave like 3 in every field (any digit, month 0[1-9], counter non-zero) and the
# small patterns below use no literal digit above 3, so if two of them share a number they
# share one written with the digits 0-3 only: the brute force tries only those.
SMALL_DIGITS = "0123"


@st.composite
def small_patterns(draw: st.DrawFn) -> Pattern:
    fields = ["{" + "C" * draw(st.integers(1, 2)) + "}"]
    fields += draw(st.sampled_from([[], ["{RRRR}"], ["{RR}"]]))
    fields += ["{MM}"] if draw(st.booleans()) else []
    fields = draw(st.permutations(fields))
    chunk = st.text(alphabet="Aa" + SMALL_DIGITS, max_size=2)
    return Pattern.parse(draw(chunk) + "".join(field + draw(chunk) for field in fields))


def _layout(pattern: Pattern) -> tuple[int, int, int]:
    """Characters before the counter, its width, characters after it."""
    widths = [t.width for t in pattern.tokens]
    at = next(i for i, t in enumerate(pattern.tokens) if t.kind == "counter")
    return sum(widths[:at]), widths[at], sum(widths[at + 1 :])


def _positions(pattern: Pattern, length: int) -> list[str] | None:
    """What each character of a number of ``length`` may be, or None if there is no such number."""
    before, width, after = _layout(pattern)
    if length < before + width + after:
        return None
    chars: list[str] = []
    for token in pattern.tokens:
        if token.kind == "literal":
            chars += list(token.text.upper())
        else:
            chars += [SMALL_DIGITS] * (length - before - after if token.kind == "counter" else token.width)
    return chars


def _candidates(a: Pattern, b: Pattern) -> list[list[str]]:
    """For each length a common number may have, what each of its characters may be."""
    # A common number longer than the bound can lose a digit inside both counters (past
    # their first digits) and stay common, so a shortest common number is never longer.
    (pa, wa, sa), (pb, wb, sb) = _layout(a), _layout(b)
    bound = max(pa + wa + sa, pb + wb + sb, max(pa, pb) + max(sa, sb) + 1)
    out = []
    for length in range(1, bound + 1):
        chars_a, chars_b = _positions(a, length), _positions(b, length)
        if chars_a is not None and chars_b is not None:
            out.append(["".join(sorted(set(x) & set(y))) for x, y in zip(chars_a, chars_b, strict=True)])
    return out


def _brute_force_collide(candidates: list[list[str]], a: Pattern, b: Pattern) -> bool:
    return any(
        _fits(a, number) and _fits(b, number)
        for chars in candidates
        for number in map("".join, itertools.product(*chars))
    )


@settings(max_examples=500, deadline=None)
@given(a=small_patterns(), b=small_patterns())
def test_the_collision_test_agrees_with_a_brute_force_search(a: Pattern, b: Pattern) -> None:
    candidates = _candidates(a, b)
    assume(sum(math.prod(map(len, chars)) for chars in candidates) <= 20_000)

    example = collision_example(a, b)

    event("collide" if example else "apart")
    if example is not None:
        assert _fits(a, example)
        assert _fits(b, example)
    assert (example is not None) == _brute_force_collide(candidates, a, b)


# -- reset policies and counters ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "on", "key"),
    [
        pytest.param(ResetPolicy.YEARLY, date(2026, 12, 31), "2026", id="yearly on 31 December"),
        pytest.param(ResetPolicy.YEARLY, date(2027, 1, 1), "2027", id="yearly on 1 January"),
        pytest.param(ResetPolicy.MONTHLY, date(2026, 1, 31), "2026-01", id="monthly on 31 January"),
        pytest.param(ResetPolicy.MONTHLY, date(2026, 2, 1), "2026-02", id="monthly on 1 February"),
        pytest.param(ResetPolicy.MONTHLY, date(2026, 12, 31), "2026-12", id="monthly on 31 December"),
        pytest.param(ResetPolicy.MONTHLY, date(2027, 1, 1), "2027-01", id="monthly on 1 January"),
        pytest.param(ResetPolicy.NEVER, date(2026, 12, 31), "-", id="never on 31 December"),
        pytest.param(ResetPolicy.NEVER, date(2027, 1, 1), "-", id="never on 1 January"),
    ],
)
def test_a_date_falls_in_the_period_of_its_policy(policy: ResetPolicy, on: date, key: str) -> None:
    assert period_key(policy, on) == key


def test_a_period_needs_a_date_not_a_datetime() -> None:
    with pytest.raises(TypeError):
        period_key(ResetPolicy.YEARLY, datetime(2026, 12, 31, 23, 30))


def test_the_default_policy_is_yearly() -> None:
    validate_series(Pattern.parse("FA{RRRR}{CCC}"))
    with pytest.raises(InvalidValue):
        validate_series(Pattern.parse("FA{CCC}"))


@pytest.mark.parametrize(
    ("text", "policy", "suggestion"),
    [
        pytest.param("FA{RRRR}{CCC}", ResetPolicy.YEARLY, None, id="yearly with the year"),
        pytest.param("FA{RR}{CCC}", ResetPolicy.YEARLY, None, id="yearly with the two-digit year"),
        pytest.param("FA{RRRR}{MM}{CCC}", ResetPolicy.YEARLY, None, id="yearly with year and month"),
        pytest.param("FA{RRRR}{MM}{CCC}", ResetPolicy.MONTHLY, None, id="monthly with year and month"),
        pytest.param("FA{CCC}", ResetPolicy.NEVER, None, id="never without a year"),
        pytest.param("FA{MM}{CCC}", ResetPolicy.NEVER, None, id="never with a month"),
        pytest.param("FA{CCC}", ResetPolicy.YEARLY, "FA{RRRR}{CCC}", id="yearly without a year"),
        pytest.param("FA{MM}-{CCC}", ResetPolicy.YEARLY, "FA{MM}-{RRRR}{CCC}", id="yearly with only a month"),
        pytest.param("FA{RRRR}{CCC}", ResetPolicy.MONTHLY, "FA{RRRR}{MM}{CCC}", id="monthly without a month"),
        pytest.param("FA{CCC}", ResetPolicy.MONTHLY, "FA{RRRR}{MM}{CCC}", id="monthly without either"),
    ],
)
def test_a_counter_that_resets_needs_its_period_in_the_number(
    text: str, policy: ResetPolicy, suggestion: str | None
) -> None:
    pattern = Pattern.parse(text)
    if suggestion is None:
        validate_series(pattern, policy)
        return
    with pytest.raises(InvalidValue) as refused:
        validate_series(pattern, policy)
    assert refused.value.field == "pattern"
    assert "would repeat" in refused.value.message
    assert refused.value.message.endswith(f"write it as {suggestion}")


def test_a_start_number_below_one_is_refused() -> None:
    with pytest.raises(InvalidValue) as refused:
        validate_series(Pattern.parse("FA{RRRR}{CCC}"), start=0)
    assert refused.value.field == "start_number"


@pytest.mark.parametrize(
    ("last", "start", "expected"),
    [
        pytest.param(None, 1, 1, id="first number of a period"),
        pytest.param(None, 158, 158, id="first number after migrating"),
        pytest.param(41, 1, 42, id="the next one"),
        pytest.param(3, 500, 500, id="a start above the last jumps there"),
        pytest.param(600, 500, 601, id="a start below the last never repeats a number"),
    ],
)
def test_the_next_counter_follows_the_last_one(last: int | None, start: int, expected: int) -> None:
    assert next_counter(last, start=start) == expected


@pytest.mark.parametrize(
    ("policy", "on", "expected"),
    [
        pytest.param(ResetPolicy.YEARLY, date(2026, 12, 31), 158, id="yearly, same year"),
        pytest.param(ResetPolicy.YEARLY, date(2027, 1, 1), 1, id="yearly, next year"),
        pytest.param(ResetPolicy.MONTHLY, date(2026, 6, 30), 158, id="monthly, same month"),
        pytest.param(ResetPolicy.MONTHLY, date(2026, 7, 1), 1, id="monthly, next month"),
        pytest.param(ResetPolicy.NEVER, date(2030, 1, 1), 158, id="never"),
    ],
)
def test_the_start_number_counts_only_in_the_period_the_series_began(
    policy: ResetPolicy, on: date, expected: int
) -> None:
    assert start_for_period(policy, on, start=158, since=date(2026, 6, 15)) == expected


def test_max_length_is_forty() -> None:
    assert MAX_LENGTH == 40
