"""The macros a template may use: the whitelist, each with its type, meaning and an example.

This list is the whole vocabulary of templates. A name that is not here cannot
be written in a template, and the renderer looks names up only in the mapping
the caller built, so no template can reach an object, an attribute or a method.
The UI shows ``macro_catalog()``; this doctest keeps the documentation honest:

>>> for entry in macro_catalog("en"):
...     print(f"{entry['macro']:<36}{entry['type']:<9}{entry['example']}")
{order.number}                      text     10025
{order.date}                        date     23 Nov 2026
{order.currency}                    text     EUR
{order.total}                       money    €1,234.56
{order.discount}                    money    €10.00
{order.item_count}                  number   3
{order.payment_method}              text     Bank transfer
{order.delivery_method}             text     Courier
{order.note}                        text     Please ring twice
{order.oss}                         boolean  yes
{order.client.name}                 text     Jana Nováková
{order.client.company}              text     Nováková s.r.o.
{order.client.vat_id}               text     SK2020123456
{order.client.registration_number}  text     50123456
{order.client.email}                text     jana@example.com
{order.client.phone}                text     +421 900 123 456
{order.client.address}              text     Hlavná 1
{order.client.city}                 text     Bratislava
{order.client.postal_code}          text     811 01
{order.client.country}              text     SK
{document.number}                   text     FA2026001
{document.type}                     text     Invoice
{document.issue_date}               date     23 Nov 2026
{document.supply_date}              date     23 Nov 2026
{document.due_date}                 date     7 Dec 2026
{document.total}                    money    €1,234.56
{document.amount_due}               money    €1,234.56
{document.currency}                 text     EUR
{document.variable_symbol}          text     2026001
{seller.name}                       text     Exemplu SRL
{seller.vat_id}                     text     RO18547290
{seller.registration_number}        text     J52/750/2012
{seller.iban}                       text     RO49AAAA1B31007593840000
{seller.email}                      text     invoices@exemplu.ro
{channel.name}                      text     Exemplu e-shop
{today}                             date     23 Nov 2026
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from faktura.core.macros.values import MacroType, MacroValue, format_value
from faktura.core.money import Currency, Money

__all__ = ["ALL_NAMES", "BY_NAME", "MACROS", "Macro", "example_context", "macro_catalog", "names_of_type"]


@dataclass(frozen=True, slots=True)
class Macro:
    name: str
    type: MacroType
    description: str
    example: MacroValue

    @property
    def placeholder(self) -> str:
        """How the macro is written in a template, e.g. ``{order.number}``."""
        return "{" + self.name + "}"


_EUR = Currency("EUR")
_T, _D, _M, _N, _B = MacroType.TEXT, MacroType.DATE, MacroType.MONEY, MacroType.NUMBER, MacroType.BOOLEAN

MACROS: tuple[Macro, ...] = (
    Macro("order.number", _T, "The order number the buyer sees", "10025"),
    Macro("order.date", _D, "The day the order was placed", date(2026, 11, 23)),
    Macro("order.currency", _T, "The order's currency, an ISO 4217 code", "EUR"),
    Macro("order.total", _M, "The order's total, VAT included", Money(Decimal("1234.56"), _EUR)),
    Macro("order.discount", _M, "The discount on the whole order, vouchers included", Money(Decimal(10), _EUR)),
    Macro("order.item_count", _N, "The number of items ordered", 3),
    Macro("order.payment_method", _T, "How the buyer pays, in the document's language", "Bank transfer"),
    Macro("order.delivery_method", _T, "How the order is delivered", "Courier"),
    Macro("order.note", _T, "The buyer's note on the order", "Please ring twice"),
    Macro("order.oss", _B, "The order is a distance sale taxed in the buyer's EU country (OSS)", True),
    Macro("order.client.name", _T, "The buyer's name", "Jana Nováková"),
    Macro("order.client.company", _T, "The buyer's company, if any", "Nováková s.r.o."),
    Macro("order.client.vat_id", _T, "The buyer's VAT id, if any", "SK2020123456"),
    Macro("order.client.registration_number", _T, "The buyer's company registration number", "50123456"),
    Macro("order.client.email", _T, "The buyer's email address", "jana@example.com"),
    Macro("order.client.phone", _T, "The buyer's phone number", "+421 900 123 456"),
    Macro("order.client.address", _T, "The buyer's street and house number", "Hlavná 1"),
    Macro("order.client.city", _T, "The buyer's city", "Bratislava"),
    Macro("order.client.postal_code", _T, "The buyer's postal code", "811 01"),
    Macro("order.client.country", _T, "The buyer's country, an ISO 3166 code", "SK"),
    Macro("document.number", _T, "The document's number", "FA2026001"),
    Macro("document.type", _T, "The document's type, in the document's language", "Invoice"),
    Macro("document.issue_date", _D, "The day the document is issued", date(2026, 11, 23)),
    Macro("document.supply_date", _D, "The day of supply (tax point)", date(2026, 11, 23)),
    Macro("document.due_date", _D, "The day payment is due", date(2026, 12, 7)),
    Macro("document.total", _M, "The document's total, VAT included", Money(Decimal("1234.56"), _EUR)),
    Macro("document.amount_due", _M, "What remains to be paid", Money(Decimal("1234.56"), _EUR)),
    Macro("document.currency", _T, "The document's currency, an ISO 4217 code", "EUR"),
    Macro("document.variable_symbol", _T, "The payment reference (variable symbol)", "2026001"),
    Macro("seller.name", _T, "The seller's legal name", "Exemplu SRL"),
    Macro("seller.vat_id", _T, "The seller's VAT id", "RO18547290"),
    Macro("seller.registration_number", _T, "The seller's company registration number", "J52/750/2012"),
    Macro("seller.iban", _T, "The seller's bank account (IBAN) printed on the document", "RO49AAAA1B31007593840000"),
    Macro("seller.email", _T, "The seller's email address", "invoices@exemplu.ro"),
    Macro("channel.name", _T, "The sales channel (shop) the order came from", "Exemplu e-shop"),
    Macro("today", _D, "The day the template is filled in, in the seller's time zone", date(2026, 11, 23)),
)

BY_NAME: Mapping[str, Macro] = {macro.name: macro for macro in MACROS}
ALL_NAMES: frozenset[str] = frozenset(BY_NAME)


def names_of_type(*types: MacroType) -> frozenset[str]:
    """The names of the macros of the given types, e.g. every date macro."""
    return frozenset(macro.name for macro in MACROS if macro.type in types)


def example_context() -> dict[str, MacroValue | None]:
    """A context holding every macro's example: for previews and tests."""
    return {macro.name: macro.example for macro in MACROS}


def macro_catalog(locale: str = "en") -> list[dict[str, str]]:
    """The documented macros in order, each with its example formatted for ``locale``."""
    return [
        {
            "name": macro.name,
            "macro": macro.placeholder,
            "type": macro.type.value,
            "description": macro.description,
            "example": format_value(macro.example, macro.type, locale=locale),
        }
        for macro in MACROS
    ]
