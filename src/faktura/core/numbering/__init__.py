"""Numbering patterns (F3): how a series turns a counter and an issue date into a number.

A pattern is literal text with fields in it. It can be written in two forms,
and ``Pattern.parse`` reads both.

**The braced form** puts every field in braces; everything outside braces is
literal, the letters R, C and M too:

=========  ==========================================  ===========
``{RRRR}``  year of the issue date                      ``2026``
``{RR}``    year, two digits                            ``26``
``{MM}``    month, two digits                           ``03``
``{CCC}``   counter, zero-padded to the number of Cs    ``001``
=========  ==========================================  ===========

>>> from datetime import date
>>> pattern = Pattern.parse("FA{RRRR}{CCC}")
>>> pattern.format(1, date(2026, 3, 5)), pattern.format(1000, date(2026, 3, 5))
('FA2026001', 'FA20261000')
>>> Pattern.parse("RC{RRRR}-{CCCC}").format(7, date(2026, 1, 2))
'RC2026-0007'
>>> Pattern.parse("FV/{RR}/{MM}/{C}").format(42, date(2026, 11, 30))
'FV/26/11/42'

A counter has one C at least, and one wider than its padding just grows. A brace
that does not enclose a known field is refused (there is no literal brace):

>>> Pattern.parse("FA{YYYY}{CCC}")  # doctest: +ELLIPSIS, +NORMALIZE_WHITESPACE
Traceback (most recent call last):
...
faktura.core.errors.InvalidValue: pattern: 'FA{YYYY}{CCC}' has the unknown token {YYYY};
... write it as FA{RRRR}{CCC}

**The bare form** is the one of seed 003: ``FARRRRCCC``, ``ZALRRRRCCC``,
``DOPRRRRCCC``. A text without braces is cut into maximal runs of one character:

- a run of exactly four R is the year, a run of exactly two R the two-digit year;
- a run of C, of any length, is the counter, padded to the length of the run;
- every other run is literal: other letters (lower-case r and c too), digits and
  separators. The month exists only in the braced form.

So in the bare form an R or a C is never a letter, and the year may touch the
counter (``RRRRCCC``: two runs of different letters). A bare pattern is refused
as ambiguous when it has a run of R of another length (``R``, ``RRR``,
``RRRRR``...), more than one run of C, or a run of two or more M (which looks
like a month); the message shows the braced way to write what was meant. Every
pattern has one canonical, braced spelling:

>>> Pattern.parse("FARRRRCCC").canonical
'FA{RRRR}{CCC}'
>>> [Pattern.parse(text).format(1, date(2026, 3, 5)) for text in ("ZALRRRRCCC", "DOPRRCCCC")]
['ZAL2026001', 'DOP260001']
>>> Pattern.parse("FACRRRRCCC")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
faktura.core.errors.InvalidValue: pattern: 'FACRRRRCCC' is ambiguous: ... write it as FAC{RRRR}{CCC}
>>> Pattern.parse("FARRRRRCCC")  # doctest: +ELLIPSIS, +NORMALIZE_WHITESPACE
Traceback (most recent call last):
...
faktura.core.errors.InvalidValue: pattern: 'FARRRRRCCC' is ambiguous:
... write it as FAR{RRRR}{CCC} or FA{RRRR}R{CCC}

**Every pattern**, in either form, has exactly one counter, one year and one
month at most, and only the characters a number may hold: letters A-Z and a-z,
digits and the separators ``- / _ .``, a separator only between two letters or
digits. Numbers so stay safe in file names, URLs, bank references and e-invoices
(EN 16931 BT-1). A number has at most ``MAX_LENGTH`` (40) characters before its
counter outgrows its padding (NAV Online Számla takes 50). Every refusal is an
``InvalidValue`` on the field ``pattern`` and suggests a valid spelling when
there is one:

>>> Pattern.parse("FA--RRRR")  # doctest: +NORMALIZE_WHITESPACE
Traceback (most recent call last):
...
faktura.core.errors.InvalidValue: pattern: 'FA--RRRR' has no counter (C, CC, CCC...);
write it as FA-{RRRR}{CCC}
>>> Pattern.parse("FA {CCC}")  # doctest: +NORMALIZE_WHITESPACE
Traceback (most recent call last):
...
faktura.core.errors.InvalidValue: pattern: 'FA {CCC}' contains ' ';
numbers may contain only letters A-Z and a-z, digits and - / _ .

**Reading a number back**: ``regex`` (anchored) matches exactly the numbers the
pattern can produce, and ``parse_number`` says what one holds (a two-digit year
is read as 20RR), or None:

>>> Pattern.parse("FA{RR}{MM}{CCC}").parse_number("FA2603007")
ParsedNumber(counter=7, year=2026, month=3)
>>> Pattern.parse("FA{CCC}").parse_number("FA0007") is None  # FA{CCC} writes 7 as FA007
True

**The counter resets** yearly (the default), monthly or never. It counts per
period, so a series whose counter resets needs the period in its numbers:

>>> [period_key(policy, date(2026, 12, 31)) for policy in ResetPolicy]
['2026', '2026-12', '-']
>>> validate_series(Pattern.parse("FA{RRRR}{MM}{CCC}"), ResetPolicy.YEARLY)
>>> validate_series(Pattern.parse("FA{RRRR}{CCC}"), ResetPolicy.MONTHLY)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
faktura.core.errors.InvalidValue: pattern: 'FA{RRRR}{CCC}' has no month, ... write it as FA{RRRR}{MM}{CCC}

**A seller who thinks "prefix OVO, start at 1"** (seed 000) gets the prefix, the
year and a four-digit counter, which resets yearly; without the year the counter
must never reset:

>>> Pattern.from_prefix("OVO").format(1, date(2026, 3, 5))
'OVO20260001'
>>> validate_series(Pattern.from_prefix("OVO", with_year=False), ResetPolicy.NEVER)

**The database layer** locks one counter row per (series, period) and asks:

>>> key = period_key(ResetPolicy.YEARLY, date(2026, 3, 5))
>>> first = start_for_period(ResetPolicy.YEARLY, date(2026, 3, 5), start=158, since=date(2026, 2, 1))
>>> next_counter(None, start=first), next_counter(158, start=first)  # no row yet; a row at 158
(158, 159)
>>> start_for_period(ResetPolicy.YEARLY, date(2027, 1, 1), start=158, since=date(2026, 2, 1))
1

**Two series of one seller** must not be able to produce the same number. The
test is exact (an intersection of the two patterns' languages, letters compared
without case) and gives an example:

>>> collision_example(Pattern.parse("FA{RRRR}{CCC}"), Pattern.parse("FA{RR}{CCCC}"))
'FA0010001'
>>> patterns_may_collide(Pattern.parse("FA{RRRR}{CCC}"), Pattern.parse("FA{RRRR}-{CCC}"))
False
>>> patterns_may_collide(Pattern.parse("OVO{CCC}"), Pattern.parse("EBA{CCC}"))
False
"""

from faktura.core.numbering.collision import collision_example, patterns_may_collide
from faktura.core.numbering.pattern import ParsedNumber, Pattern
from faktura.core.numbering.series import (
    DEFAULT_POLICY,
    ResetPolicy,
    next_counter,
    period_key,
    start_for_period,
    validate_series,
)
from faktura.core.numbering.tokens import MAX_LENGTH, Kind, Token

__all__ = [
    "DEFAULT_POLICY",
    "MAX_LENGTH",
    "Kind",
    "ParsedNumber",
    "Pattern",
    "ResetPolicy",
    "Token",
    "collision_example",
    "next_counter",
    "patterns_may_collide",
    "period_key",
    "start_for_period",
    "validate_series",
]
