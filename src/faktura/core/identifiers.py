"""Tax, company and bank identifiers of sellers and buyers, checked with python-stdnum.

Each function takes what a person typed and, where the rules differ by country,
the party's country; it returns the compact form that goes on documents and
e-invoices, or raises ``InvalidValue`` naming the value and the reason. Only
the format and the check digits are verified here: whether a number is
actually registered (VIES, ONRC, ARES) is a question for an adapter.

VAT ids (EN 16931 BT-31, BT-48) always carry their country prefix (BR-CO-9),
which is ``EL`` for Greece. The prefix must match the party's country;
Northern Ireland traders (country ``GB``) may use ``XI``:

>>> vat_id("ro 185 472 90", country="RO"), vat_id("18547290", country="ro")
('RO18547290', 'RO18547290')
>>> vat_id("094259216", country="GR"), vat_id("GB 980 7806 84", country="GB")
('EL094259216', 'GB980780684')
>>> try:
...     vat_id("RO18547291", country="RO")
... except InvalidValue as error:
...     print(error)
vat_id: RO18547291 is not a valid VAT id of Romania (checksum does not match)
>>> vat_id("DE136695976", country="RO")
Traceback (most recent call last):
...
faktura.core.errors.InvalidValue: vat_id: DE136695976 is a VAT id of Germany, not of Romania

Outside the EU the country's own number is checked when python-stdnum knows
it (Norway's MVA, Switzerland's UID...); elsewhere only letters and digits
are accepted, 4 to 20 of them:

>>> vat_id("NO 995 525 828 MVA", country="NO"), vat_id("12-3456789", country="US")
('NO995525828MVA', 'US123456789')

Company registration numbers (BT-30) are checked where python-stdnum or a
published rule knows them: the Romanian trade register (old ``J52/750/2012``
and the 2024 ``J2012000750528``), the German Handelsregister, the Polish KRS
or REGON, and the Czech and Slovak IČO (8 digits; the Czech check digit is the
one of the DIČ of legal entities). Elsewhere any non-empty text is kept:

>>> registration_number("J52/750/2012", country="RO")
'J52/750/2012'
>>> try:
...     registration_number("J2012000750529", country="RO")
... except InvalidValue as error:
...     print(error.field, error.message, sep=" | ")
registration_number | J2012000750529 is not a valid trade register number of Romania (checksum does not match)
>>> registration_number("Amtsgericht Aachen HRA 11223", country="DE")
'Aachen HRA 11223'

Domestic tax ids (Romanian CUI/CIF of sellers not registered for VAT,
Hungarian adószám, Polish NIP, Czech DIČ, German Steuernummer) go to
``tax_id``:

>>> tax_id("RO 185 472 90", country="RO"), tax_id("12892312241", country="HU")
('18547290', '12892312-2-41')

>>> iban("GR16 0110 1050 0000 1054 7023 795"), bic("ABNA BE 2A")
('GR1601101050000010547023795', 'ABNABE2A')
"""

from __future__ import annotations

import re
from collections.abc import Callable

from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum.cz import dic as cz_dic
from stdnum.de import handelsregisternummer, stnr
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.hu import anum
from stdnum.pl import nip, regon
from stdnum.ro import cui, onrc
from stdnum.util import get_cc_module

from faktura.core import countries
from faktura.core.countries import EU_MEMBER_STATES, country_name
from faktura.core.errors import InvalidValue, MissingValue

_SEPARATORS = re.compile(r"[\s.,/\\-]+")
_PLAIN_ID = re.compile(r"[A-Z0-9]{4,20}")
_COURT_WORDS = re.compile(r"\b(?:Amtsgericht|Registergericht)\b", re.IGNORECASE)


def _squeeze(value: str, *, field: str, label: str) -> str:
    squeezed = _SEPARATORS.sub("", value).upper()
    if not squeezed:
        raise MissingValue(f"the {label} is required", field=field)
    return squeezed


def _collapse(value: str, *, field: str, label: str) -> str:
    collapsed = " ".join(value.split())
    if not collapsed:
        raise MissingValue(f"the {label} is required", field=field)
    return collapsed


def _reason(error: StdnumError, component: str = "a part of it is not valid") -> str:
    if isinstance(error, InvalidChecksum):
        return "checksum does not match"
    if isinstance(error, InvalidLength):
        return "wrong length"
    if isinstance(error, InvalidComponent):
        return component
    return "wrong format"


def _prefix_owner(prefix: str) -> str | None:
    if prefix == "EL":
        return country_name("GR")
    if prefix == "XI":
        return "Northern Ireland"
    try:
        return country_name(prefix, in_sentence=True)
    except InvalidValue:
        return None


def _check_vat(cc: str, prefix: str, national: str) -> str:
    if cc in EU_MEMBER_STATES or prefix == "XI":
        number = eu_vat.validate(prefix + national)
        return "EL" + number[2:] if number.startswith("GR") else number
    module = get_cc_module(cc, "vat")
    if module is None:
        if not _PLAIN_ID.fullmatch(national):
            raise InvalidFormat()
        return cc + national
    # some modules want their prefix (CHE...), others refuse it: try both
    errors: list[StdnumError] = []
    for candidate in (prefix + national, national):
        try:
            number = module.validate(candidate)
        except StdnumError as error:
            errors.append(error)
        else:
            return number if number.startswith(cc) else cc + number
    raise max(errors, key=_specificity)


def _specificity(error: StdnumError) -> int:
    kinds = (InvalidChecksum, InvalidLength, InvalidComponent)
    return next((len(kinds) - i for i, kind in enumerate(kinds) if isinstance(error, kind)), 0)


def vat_id(value: str, *, country: str, field: str = "vat_id") -> str:
    """The compact VAT id with its country prefix, checked for the party's country."""
    cc = countries.country(country)
    number = _squeeze(value, field=field, label="VAT id")
    prefixes = {"GR": ("EL", "GR"), "GB": ("GB", "XI")}.get(cc, (cc,))
    given = number[:2]
    prefix, national = (given, number[2:]) if given in prefixes else (prefixes[0], number)
    try:
        return _check_vat(cc, prefix, national)
    except StdnumError as error:
        owner = None if given in prefixes else _prefix_owner(given)
        name = country_name(cc, in_sentence=True)
        if owner is not None:
            message = f"{number} is a VAT id of {owner}, not of {name}"
        else:
            message = f"{prefix}{national} is not a valid VAT id of {name} ({_reason(error)})"
        raise InvalidValue(message, field=field) from None


def _ico(number: str, *, check_digit: bool) -> str:
    digits = _SEPARATORS.sub("", number)
    if not digits.isdigit():
        raise InvalidFormat()
    if len(digits) > 8:
        raise InvalidLength()
    digits = digits.zfill(8)
    if check_digit and cz_dic.calc_check_digit_legal(digits[:-1]) != digits[-1]:
        raise InvalidChecksum()
    return digits


def _krs_or_regon(number: str) -> str:
    digits = _SEPARATORS.sub("", number)
    if len(digits) == 10 and digits.isdigit():
        return digits  # KRS: ten digits, no check digit
    return regon.validate(digits)


def _handelsregister(number: str) -> str:
    return handelsregisternummer.validate(" ".join(_COURT_WORDS.sub(" ", number).split()))


def _adoszam(number: str) -> str:
    digits = _SEPARATORS.sub("", number)
    if not digits.isdigit():
        raise InvalidFormat()
    if len(digits) != 11:
        raise InvalidLength()
    anum.validate(digits[:8])
    return f"{digits[:8]}-{digits[8]}-{digits[9:]}"


def _dic_sk(number: str) -> str:
    digits = _SEPARATORS.sub("", number).upper().removeprefix("SK")
    if not digits.isdigit():
        raise InvalidFormat()
    if len(digits) != 10:
        raise InvalidLength()
    return digits


_Check = tuple[str, Callable[[str], str], str]

_REGISTERS: dict[str, _Check] = {
    "RO": ("trade register number", onrc.validate, "unknown type letter, county or year"),
    "DE": ("Handelsregister number", _handelsregister, "unknown register court"),
    "PL": ("KRS or REGON number", _krs_or_regon, "a part of it is not valid"),
    "CZ": ("IČO", lambda n: _ico(n, check_digit=True), "a part of it is not valid"),
    "SK": ("IČO", lambda n: _ico(n, check_digit=False), "a part of it is not valid"),
}

_TAX_IDS: dict[str, _Check] = {
    "RO": ("tax id (CUI/CIF)", cui.validate, "a part of it is not valid"),
    "HU": ("tax number (adószám)", _adoszam, "a part of it is not valid"),
    "PL": ("tax id (NIP)", nip.validate, "a part of it is not valid"),
    "CZ": ("tax id (DIČ)", cz_dic.validate, "a part of it is not valid"),
    "SK": ("tax id (DIČ)", _dic_sk, "a part of it is not valid"),
    "DE": ("tax number (Steuernummer)", stnr.validate, "unknown tax office region"),
}


def _check_national(value: str, cc: str, checks: dict[str, _Check], *, field: str, label: str) -> str:
    text = _collapse(value, field=field, label=label)
    if cc not in checks:
        return text
    what, check, component = checks[cc]
    try:
        return check(text)
    except StdnumError as error:
        name, reason = country_name(cc, in_sentence=True), _reason(error, component)
        raise InvalidValue(f"{text} is not a valid {what} of {name} ({reason})", field=field) from None


def registration_number(value: str, *, country: str, field: str = "registration_number") -> str:
    """The company registration number (BT-30), checked where its rule is known."""
    cc = countries.country(country)
    return _check_national(value, cc, _REGISTERS, field=field, label="registration number")


def tax_id(value: str, *, country: str, field: str = "tax_id") -> str:
    """The domestic tax id (not the VAT id), checked where its rule is known."""
    cc = countries.country(country)
    return _check_national(value, cc, _TAX_IDS, field=field, label="tax id")


def iban(value: str, *, field: str = "iban") -> str:
    """The compact IBAN, with its checksum and its country's length checked."""
    number = _squeeze(value, field=field, label="IBAN")
    try:
        return stdnum_iban.validate(number)
    except StdnumError as error:
        raise InvalidValue(f"{number} is not a valid IBAN ({_reason(error)})", field=field) from None


def bic(value: str, *, field: str = "bic") -> str:
    """The compact BIC (SWIFT code) of 8 or 11 characters."""
    number = _squeeze(value, field=field, label="BIC")
    try:
        return stdnum_bic.validate(number)
    except StdnumError as error:
        raise InvalidValue(f"{number} is not a valid BIC ({_reason(error)})", field=field) from None
