"""VAT categories, as a seller thinks of them and as EN 16931 codes them.

A seller picks one of eight categories per line. EN 16931 (UNCL 5305) knows
fewer codes: a reduced rate and an OSS destination rate are both category
``S`` with another percentage, so each category carries its code.

Categories other than the taxed ones always have a 0 % rate, and each of them
needs a legal note on the document (art. 226 (11) of Directive 2006/112/EC):

>>> VatCategory.REVERSE_CHARGE.code, VatCategory.REVERSE_CHARGE.is_taxed
('AE', False)
>>> VatCategory.OSS.code, VatCategory.OSS.is_taxed
('S', True)
>>> VatCategory.parse("intra_eu")
<VatCategory.INTRA_EU: 'intra_eu'>
>>> VatCategory.parse("luxury")
Traceback (most recent call last):
...
faktura.core.errors.InvalidValue: vat_category: unknown VAT category 'luxury'; use one of standard, reduced, zero, exempt, reverse_charge, intra_eu, export, oss
"""  # noqa: E501

from __future__ import annotations

from enum import StrEnum

from faktura.core.errors import InvalidValue


class VatCategory(StrEnum):
    STANDARD = "standard"
    REDUCED = "reduced"
    ZERO = "zero"
    EXEMPT = "exempt"
    REVERSE_CHARGE = "reverse_charge"
    INTRA_EU = "intra_eu"
    EXPORT = "export"
    OSS = "oss"

    @property
    def code(self) -> str:
        """UNCL 5305 code used by EN 16931 (BT-118, BT-151)."""
        return _CODES[self]

    @property
    def is_taxed(self) -> bool:
        """True when the line carries a positive rate chosen by the seller."""
        return self in (VatCategory.STANDARD, VatCategory.REDUCED, VatCategory.OSS)

    @classmethod
    def parse(cls, value: str, *, field: str = "vat_category") -> VatCategory:
        try:
            return cls(value)
        except ValueError:
            choices = ", ".join(c.value for c in cls)
            raise InvalidValue(f"unknown VAT category {value!r}; use one of {choices}", field=field) from None


_CODES: dict[VatCategory, str] = {
    VatCategory.STANDARD: "S",
    VatCategory.REDUCED: "S",
    VatCategory.ZERO: "Z",
    VatCategory.EXEMPT: "E",
    VatCategory.REVERSE_CHARGE: "AE",
    VatCategory.INTRA_EU: "K",
    VatCategory.EXPORT: "G",
    VatCategory.OSS: "S",
}
