"""Countries, document languages and time zones, checked once where they come in.

A country is an ISO 3166-1 alpha-2 code that Babel (CLDR) names; lowercase and
padded input is accepted and normalised. CLDR also lists codes that are not
countries (``EU``, ``UN``, ``ZZ``, pseudo-locales, and the exceptionally
reserved ``IC``, ``EA``...), and those are refused. Kosovo's ``XK`` is kept: it
is user-assigned but used by banks and tax offices alike.

>>> country(" ro "), country_name("CZ")
('RO', 'Czechia')
>>> country("EU")
Traceback (most recent call last):
...
faktura.core.errors.InvalidValue: country: EU is not an ISO 3166-1 country code
>>> country("")
Traceback (most recent call last):
...
faktura.core.errors.MissingValue: country: the country is required

Greece is ``GR`` as a country but ``EL`` as a VAT prefix (and in EU VAT
statistics); the United Kingdom is ``GB``. Both mistakes are common, so the
message says what to write:

>>> country("EL")
Traceback (most recent call last):
...
faktura.core.errors.InvalidValue: country: EL is not an ISO 3166-1 country code; use GR
>>> vat_prefix("GR"), vat_prefix("RO")
('EL', 'RO')
>>> "RO" in EU_MEMBER_STATES, "GB" in EU_MEMBER_STATES, len(EU_MEMBER_STATES)
(True, False, 27)

Documents are written in one of the languages Faktura has templates for; a
region subtag is dropped, since number and date formats follow the seller's
settings, not the tag:

>>> language("RO"), language("de-AT"), language("en_GB")
('ro', 'de', 'en')
>>> language("fr")
Traceback (most recent call last):
...
faktura.core.errors.InvalidValue: language: fr is not a document language; use ro, sk, hu, cs, en, de or pl

A time zone is an IANA name from the system's tz database, matched without
regard to case and returned in its canonical spelling:

>>> time_zone("europe/bucharest")
'Europe/Bucharest'
>>> time_zone("Bucharest")
Traceback (most recent call last):
...
faktura.core.errors.InvalidValue: time_zone: Bucharest is not an IANA time zone name such as Europe/Bucharest
"""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

from babel import Locale

from faktura.core.errors import InvalidValue, MissingValue

EU_MEMBER_STATES: frozenset[str] = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()  # noqa: SIM905
)
"""ISO codes of the 27 member states (Greece as ``GR``; see ``vat_prefix``)."""

DOCUMENT_LANGUAGES: tuple[str, ...] = ("ro", "sk", "hu", "cs", "en", "de", "pl")
"""ISO 639-1 codes of the languages documents can be issued in (F5.4)."""

_NOT_COUNTRIES = frozenset("AC CP CQ DG EA EU EZ IC QO TA UN XA XB ZZ".split())  # noqa: SIM905
_INSTEAD = {"EL": "GR", "UK": "GB"}
_WITH_ARTICLE = frozenset("AE BS GB GM NL PH US".split())  # noqa: SIM905


@cache
def _countries() -> dict[str, str]:
    territories = Locale("en").territories
    return {
        code: name
        for code, name in territories.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    }


def country(code: str, *, field: str = "country") -> str:
    """The ISO 3166-1 alpha-2 code, uppercase; refuse anything else."""
    normalised = code.strip().upper()
    if not normalised:
        raise MissingValue("the country is required", field=field)
    if normalised not in _countries():
        hint = f"; use {_INSTEAD[normalised]}" if normalised in _INSTEAD else ""
        raise InvalidValue(f"{code.strip()} is not an ISO 3166-1 country code{hint}", field=field)
    return normalised


def country_name(code: str, *, in_sentence: bool = False) -> str:
    """The English name of a country; ``in_sentence`` adds the article some names need.

    >>> country_name("SK"), country_name("NL", in_sentence=True)
    ('Slovakia', 'the Netherlands')
    """
    normalised = country(code)
    name = _countries()[normalised]
    return f"the {name}" if in_sentence and normalised in _WITH_ARTICLE else name


def vat_prefix(code: str) -> str:
    """The prefix of the country's VAT ids: the country code, but ``EL`` for Greece."""
    normalised = country(code)
    return "EL" if normalised == "GR" else normalised


def language(code: str, *, field: str = "language") -> str:
    """The ISO 639-1 code of a document language, lowercase and without region."""
    normalised = code.strip().replace("_", "-").split("-")[0].lower()
    if not normalised:
        raise MissingValue("the language is required", field=field)
    if normalised not in DOCUMENT_LANGUAGES:
        choices = ", ".join(DOCUMENT_LANGUAGES[:-1]) + f" or {DOCUMENT_LANGUAGES[-1]}"
        raise InvalidValue(f"{code.strip()} is not a document language; use {choices}", field=field)
    return normalised


@cache
def _time_zones() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


def time_zone(name: str, *, field: str = "time_zone") -> str:
    """The canonical IANA name of a time zone that ``zoneinfo`` can load."""
    stripped = name.strip()
    if not stripped:
        raise MissingValue("the time zone is required", field=field)
    try:
        return _time_zones()[stripped.lower()]
    except KeyError:
        raise InvalidValue(f"{stripped} is not an IANA time zone name such as Europe/Bucharest", field=field) from None
