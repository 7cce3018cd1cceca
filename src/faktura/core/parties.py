"""Parties: the postal address and the identity a seller prints on a VAT invoice.

``validate_address`` and ``validate_seller`` return a normalised copy (trimmed
text, compact ids, uppercase country) or raise for the first field that is
missing (``MissingValue``) or malformed (``InvalidValue``), naming it with a
dotted path under an optional prefix:

>>> from dataclasses import replace
>>> office = Address(street="Str. Lipscani 10", city="București", postal_code="030031", country="ro")
>>> validate_address(office).country
'RO'
>>> validate_address(replace(office, city=" "), field="seller.address")
Traceback (most recent call last):
...
faktura.core.errors.MissingValue: seller.address.city: the city is required

Every member state except Ireland (where Eircodes are not yet on every address)
uses postal codes; elsewhere the postal code may be left empty.

A seller issuing a VAT invoice (art. 226 of Directive 2006/112/EC) needs a
legal name, an address with its country, a VAT id when registered for VAT,
and what national law adds:

- Romania: the trade register number (Companies Law 31/1990 art. 74 puts it
  on every invoice of a company), and the CUI/CIF when not registered for VAT
  (Fiscal Code art. 319 (20));
- Hungary: the domestic tax number (adószám) on every invoice (Áfa tv. 169 §);
- Germany and Poland: the tax number (Steuernummer, § 14 (4) UStG; NIP,
  art. 106e VAT Act) when the seller has no VAT id.

>>> seller = PartyDetails(legal_name="Exemplu SRL", address=office, vat_registered=True,
...                       vat_id="ro 185 472 90", registration_number="J52/750/2012")
>>> validate_seller(seller).vat_id
'RO18547290'
>>> validate_seller(replace(seller, registration_number=None))
Traceback (most recent call last):
...
faktura.core.errors.MissingValue: registration_number: the trade register number is required in Romania
>>> validate_seller(replace(seller, vat_registered=False, vat_id=None))
Traceback (most recent call last):
...
faktura.core.errors.MissingValue: tax_id: the tax id is required in Romania when not registered for VAT
"""

from __future__ import annotations

from dataclasses import dataclass

from faktura.core import identifiers
from faktura.core.countries import EU_MEMBER_STATES, country, country_name
from faktura.core.errors import MissingValue

_NO_POSTAL_CODE_REQUIRED = frozenset({"IE"})
_REGISTRATION_REQUIRED = {"RO": "trade register number"}
_TAX_ID_ALWAYS = frozenset({"HU"})
_TAX_ID_WITHOUT_VAT_ID = frozenset({"DE", "HU", "PL", "RO"})


@dataclass(frozen=True, kw_only=True, slots=True)
class Address:
    """A postal address (EN 16931 BG-5 for the seller, BG-8 for the buyer)."""

    street: str
    city: str
    postal_code: str
    country: str
    region: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class PartyDetails:
    """The identity of a party as printed on documents (BG-4 seller, BG-7 buyer)."""

    legal_name: str
    address: Address
    vat_registered: bool
    vat_id: str | None = None
    registration_number: str | None = None
    tax_id: str | None = None


def _path(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _required(value: str | None, *, field: str, label: str) -> str:
    text = " ".join((value or "").split())
    if not text:
        raise MissingValue(f"the {label} is required", field=field)
    return text


def validate_address(address: Address, *, field: str = "address") -> Address:
    """The address with trimmed text and an ISO country code; first missing field raises."""
    street = _required(address.street, field=_path(field, "street"), label="street")
    city = _required(address.city, field=_path(field, "city"), label="city")
    cc = country(address.country, field=_path(field, "country"))
    postal_code = " ".join(address.postal_code.split())
    if not postal_code and cc in EU_MEMBER_STATES - _NO_POSTAL_CODE_REQUIRED:
        raise MissingValue(
            f"the postal code is required for addresses in {country_name(cc, in_sentence=True)}",
            field=_path(field, "postal_code"),
        )
    region = " ".join((address.region or "").split()) or None
    return Address(street=street, city=city, postal_code=postal_code, country=cc, region=region)


def validate_seller(seller: PartyDetails, *, field: str = "") -> PartyDetails:
    """The seller with normalised ids, ready for a VAT invoice; first missing field raises."""
    legal_name = _required(seller.legal_name, field=_path(field, "legal_name"), label="legal name")
    address = validate_address(seller.address, field=_path(field, "address"))
    cc, where = address.country, country_name(address.country, in_sentence=True)

    vat_id = None
    if seller.vat_registered or seller.vat_id:
        vat_id_field = _path(field, "vat_id")
        if not (seller.vat_id or "").strip():
            raise MissingValue("the VAT id is required for sellers registered for VAT", field=vat_id_field)
        vat_id = identifiers.vat_id(seller.vat_id or "", country=cc, field=vat_id_field)

    tax_id = None
    tax_id_field = _path(field, "tax_id")
    if (seller.tax_id or "").strip():
        tax_id = identifiers.tax_id(seller.tax_id or "", country=cc, field=tax_id_field)
    elif cc in _TAX_ID_ALWAYS:
        raise MissingValue(f"the tax id is required in {where}", field=tax_id_field)
    elif cc in _TAX_ID_WITHOUT_VAT_ID and vat_id is None:
        raise MissingValue(
            f"the tax id is required in {where} when not registered for VAT",
            field=tax_id_field,
        )

    registration_number = None
    registration_field = _path(field, "registration_number")
    if (seller.registration_number or "").strip():
        registration_number = identifiers.registration_number(
            seller.registration_number or "", country=cc, field=registration_field
        )
    elif cc in _REGISTRATION_REQUIRED:
        label = _REGISTRATION_REQUIRED[cc]
        raise MissingValue(f"the {label} is required in {where}", field=registration_field)

    return PartyDetails(
        legal_name=legal_name,
        address=address,
        vat_registered=seller.vat_registered,
        vat_id=vat_id,
        registration_number=registration_number,
        tax_id=tax_id,
    )
