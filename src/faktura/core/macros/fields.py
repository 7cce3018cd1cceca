"""The document fields a seller can fill from templates (seed 003), and the macros each may use.

A field either holds text with macros in it, or exactly one macro whose value
becomes the field (a date, the currency, the discount, the OSS flag). What a
field may use follows the order in which an issued document comes together:

1. the dates: issue date, then supply date, then due date, each from the ones
   before it, the order date or today;
2. what the figures depend on: the currency, the discount, the OSS flag and
   the buyer, from the order, the seller and the channel only;
3. text: title, description, order number, note and the email to the buyer,
   which may use every macro, the document's number and totals included.

So no field can depend on itself, and a template that could never be filled
in is refused when it is saved:

>>> parse_field("due_date", "{document.issue_date+14}").macros
('document.issue_date',)
>>> parse_field("issue_date", "{document.due_date-14}")  # doctest: +NORMALIZE_WHITESPACE
Traceback (most recent call last):
...
faktura.core.errors.InvalidValue: issue_date: {document.due_date-14} at column 1 cannot be used here;
this field takes {order.date} or {today}
>>> parse_field("buyer.name", "{order.client.company} ({document.number})")
Traceback (most recent call last):
...
faktura.core.errors.InvalidValue: buyer.name: {document.number} at column 25 cannot be used here; \
this field takes no {document...} macro
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from faktura.core.macros.catalog import ALL_NAMES
from faktura.core.macros.template import Template
from faktura.core.macros.values import MacroType

__all__ = ["TEMPLATE_FIELDS", "TemplateField", "parse_field"]


@dataclass(frozen=True, slots=True)
class TemplateField:
    """A document field filled from a template; ``kind`` is set when it holds one macro."""

    name: str
    description: str
    allowed: frozenset[str]
    kind: MacroType | None = None

    def parse(self, text: str, *, field: str | None = None) -> Template:
        """The seller's template for this field, checked; errors name ``field`` (default: the field's name)."""
        if self.kind is None:
            return Template.parse(text, field=field or self.name, allowed=self.allowed)
        return Template.parse_value(text, field=field or self.name, kind=self.kind, allowed=self.allowed)


_BEFORE_THE_DOCUMENT = frozenset(name for name in ALL_NAMES if not name.startswith("document."))
_ISSUE_DATE = frozenset({"order.date", "today"})
_SUPPLY_DATE = _ISSUE_DATE | {"document.issue_date"}
_DUE_DATE = _SUPPLY_DATE | {"document.supply_date"}

_FIELDS = (
    TemplateField("title", "The document's title", ALL_NAMES),
    TemplateField("description", "The text above the lines", ALL_NAMES),
    TemplateField("issue_date", "The date of issue", _ISSUE_DATE, MacroType.DATE),
    TemplateField("supply_date", "The date of supply (tax point)", _SUPPLY_DATE, MacroType.DATE),
    TemplateField("due_date", "The day payment is due", _DUE_DATE, MacroType.DATE),
    TemplateField("order_number", "The order number printed on the document", ALL_NAMES),
    TemplateField("currency", "The document's currency", frozenset({"order.currency"}), MacroType.TEXT),
    TemplateField("discount", "The discount on the whole document", frozenset({"order.discount"}), MacroType.MONEY),
    TemplateField("note", "The note printed below the totals", ALL_NAMES),
    TemplateField("oss", "The document is an OSS distance sale", frozenset({"order.oss"}), MacroType.BOOLEAN),
    TemplateField("buyer.name", "The buyer's name", _BEFORE_THE_DOCUMENT),
    TemplateField("buyer.company", "The buyer's company", _BEFORE_THE_DOCUMENT),
    TemplateField("buyer.vat_id", "The buyer's VAT id", _BEFORE_THE_DOCUMENT),
    TemplateField("buyer.registration_number", "The buyer's registration number", _BEFORE_THE_DOCUMENT),
    TemplateField("buyer.email", "The buyer's email address", _BEFORE_THE_DOCUMENT),
    TemplateField("buyer.street", "The buyer's street and house number", _BEFORE_THE_DOCUMENT),
    TemplateField("buyer.city", "The buyer's city", _BEFORE_THE_DOCUMENT),
    TemplateField("buyer.postal_code", "The buyer's postal code", _BEFORE_THE_DOCUMENT),
    TemplateField("buyer.country", "The buyer's country", _BEFORE_THE_DOCUMENT),
    TemplateField("email.subject", "The subject of the email that delivers the document", ALL_NAMES),
    TemplateField("email.body", "The body of the email that delivers the document", ALL_NAMES),
)

TEMPLATE_FIELDS: Mapping[str, TemplateField] = {field.name: field for field in _FIELDS}


def parse_field(name: str, text: str, *, field: str | None = None) -> Template:
    """The template ``text`` for the document field ``name`` (a key of ``TEMPLATE_FIELDS``)."""
    try:
        target = TEMPLATE_FIELDS[name]
    except KeyError:
        raise ValueError(f"no document field {name!r} takes a template") from None
    return target.parse(text, field=field)
