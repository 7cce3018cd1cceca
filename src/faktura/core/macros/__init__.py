"""Field macros (F5.2): templates that fill a document's fields from its order.

A seller writes a template once, for a field such as the title, the note, the
due date or the email to the buyer; every document fills it in from its order:

>>> from datetime import date
>>> title = Template.parse("Faktúra {document.number} k objednávke {order.number}", field="title")
>>> context = {"document.number": "FA2026001", "order.number": "10025", "order.date": date(2026, 11, 23)}
>>> title.render(context, locale="sk")
'Faktúra FA2026001 k objednávke 10025'

**The syntax.** Outside braces everything is literal text. A macro is a name
from the catalog in braces: dotted words of ``a-z``, ``0-9`` and ``_`` (``{today}``,
``{order.client.name}``). A literal brace is written twice, ``{{`` and ``}}``.
A date macro may be shifted by whole days, at most ``MAX_OFFSET_DAYS`` (365):
``{document.issue_date+14}``, ``{order.date-1}``. Nothing else: no attributes, no
indexes, no format specifications, no conversions, no expressions.

>>> Template.parse("{{{order.number}}} due {document.issue_date+14}", field="note").render(
...     {"order.number": "10025", "document.issue_date": date(2026, 11, 23)}, locale="de")
'{10025} due 07.12.2026'

**A template is checked when it is saved**, never when a document is issued.
``Template.parse`` refuses unknown macros (suggesting the closest one), bad
syntax and macros the field may not use, with an ``InvalidValue`` on the given
field whose message says where the problem is:

>>> Template.parse("Invoice {order.numbr}", field="title")
Traceback (most recent call last):
...
faktura.core.errors.InvalidValue: title: unknown macro {order.numbr} at column 9; did you mean {order.number}?
>>> Template.parse("Order {order.number", field="title")
Traceback (most recent call last):
...
faktura.core.errors.InvalidValue: title: { at column 7 is not closed; write a literal { as {{
>>> Template.parse("Total: {document.total}", field="note", allowed=frozenset({"order.total"}))
Traceback (most recent call last):
...
faktura.core.errors.InvalidValue: note: {document.total} at column 8 cannot be used here; this field takes {order.total}

A template has at most ``MAX_LENGTH`` (2,000) characters and ``MAX_MACROS`` (50)
macros. **Nothing in a template can reach an object**: the parser looks names
up in the catalog, and rendering looks values up in the mapping the caller
built; so what ``str.format`` would run is refused when it is saved:

>>> Template.parse("{order.__class__}", field="title")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
faktura.core.errors.InvalidValue: title: {order.__class__} at column 1: it is not a macro name; names are words ...
>>> Template.parse("{order.number!r:>10}", field="title")  # doctest: +NORMALIZE_WHITESPACE
Traceback (most recent call last):
...
faktura.core.errors.InvalidValue: title: '!' at column 14 is not allowed in a macro:
conversions such as !r are not supported
>>> Template.parse("{0}", field="title")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
faktura.core.errors.InvalidValue: title: {0} at column 1: positional fields are not supported; ...

Values are inserted as they are and never read as a template again, so a buyer
named ``{order.__class__}`` is printed as such.

**Rendering** writes dates, numbers and money as the document's language does
(Babel, CLDR; see ``faktura.core.macros.values``) and booleans as a yes or no
in that language. A macro whose value is missing renders as nothing: optional
data such as a consumer's VAT id must not stop a document from being issued.

>>> from decimal import Decimal
>>> from faktura.core.money import Currency, Money
>>> note = Template.parse("{order.date} | {document.total} | OSS: {order.oss} | VAT id: {order.client.vat_id}",
...                       field="note")
>>> values = {"order.date": date(2026, 11, 23), "document.total": Money(Decimal("1234.56"), Currency("RON")),
...           "order.oss": False, "order.client.vat_id": None}
>>> note.render(values, locale="ro")
'23.11.2026 | 1.234,56\\xa0RON | OSS: nu | VAT id: '
>>> note.render(values, locale="hu")
'2026. 11. 23. | 1\\xa0234,56\\xa0RON | OSS: nem | VAT id: '

**A field that holds a value** (a date, the currency, the discount, the OSS
flag) takes exactly one macro of its type; ``render_value`` gives that value
typed, ``render_date`` a ``date`` (None when the context lacks it):

>>> due = Template.parse_date("{document.issue_date+14}", field="due_date")
>>> due.render_date({"document.issue_date": date(2026, 11, 23)})
datetime.date(2026, 12, 7)
>>> Template.parse_date("{order.date} + 14 days", field="due_date")  # doctest: +NORMALIZE_WHITESPACE
Traceback (most recent call last):
...
faktura.core.errors.InvalidValue: due_date: has text besides {order.date};
this field holds exactly one date macro, e.g. {order.date} or {order.date+14}

``TEMPLATE_FIELDS`` says which macros each document field of seed 003 may use
(``faktura.core.macros.fields``), and ``macro_catalog(locale)`` lists every macro
with its type, description and an example, in the order the UI shows them:

>>> macro_catalog("sk")[1]
{'name': 'order.date', 'macro': '{order.date}', 'type': 'date', 'description': 'The day the order was placed', \
'example': '23. 11. 2026'}
"""

from faktura.core.macros.catalog import MACROS, Macro, example_context, macro_catalog
from faktura.core.macros.fields import TEMPLATE_FIELDS, TemplateField, parse_field
from faktura.core.macros.syntax import MAX_LENGTH, MAX_MACROS, MAX_OFFSET_DAYS
from faktura.core.macros.template import Template, escape
from faktura.core.macros.values import YES_NO, MacroContext, MacroType, MacroValue

__all__ = [
    "MACROS",
    "MAX_LENGTH",
    "MAX_MACROS",
    "MAX_OFFSET_DAYS",
    "TEMPLATE_FIELDS",
    "YES_NO",
    "Macro",
    "MacroContext",
    "MacroType",
    "MacroValue",
    "Template",
    "TemplateField",
    "escape",
    "example_context",
    "macro_catalog",
    "parse_field",
]
