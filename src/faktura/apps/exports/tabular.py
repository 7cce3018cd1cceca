"""The accountant's table: one row per document (or per VAT rate of it), as CSV or XLSX.

Every text cell a buyer or a seller could have typed is *neutralised* as
OWASP's "CSV injection" page asks: a cell beginning with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return gets a leading apostrophe, so a spreadsheet
shows it as text instead of running it as a formula. Numbers and dates are
never text: in XLSX they are written as numbers and dates (with formats), in
CSV as plain ``1234.50`` and ``2026-03-14``.

>>> neutralise("=HYPERLINK(\\"http://x\\")"), neutralise("-5"), neutralise("Ana")
('\\'=HYPERLINK("http://x")', "'-5", 'Ana')

XLSX is written by XlsxWriter in ``constant_memory`` mode: each row goes to a
temporary file as soon as it is complete, so the workbook's size does not
weigh on memory.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Literal

import xlsxwriter
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from faktura.core.money import Currency, quantize
from faktura.core.payment_state import PaymentState, is_overdue

if TYPE_CHECKING:
    from faktura.apps.invoicing.models import Document

Cell = str | Decimal | dt.date | None
Kind = Literal["text", "date", "money", "rate"]
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    return "'" + text if text.startswith(_DANGEROUS) else text


@dataclass(frozen=True)
class Column:
    label: str | Promise
    kind: Kind = "text"


COLUMNS = (
    Column(_("Number")),
    Column(_("Type")),
    Column(_("Status")),
    Column(_("Issue date"), "date"),
    Column(_("Supply date"), "date"),
    Column(_("Due date"), "date"),
    Column(_("Buyer")),
    Column(_("Buyer VAT ID")),
    Column(_("Currency")),
    Column(_("Net"), "money"),
    Column(_("VAT"), "money"),
    Column(_("Gross"), "money"),
    Column(_("Payment state")),
    Column(_("Paid"), "money"),
    Column(_("Order number")),
    Column(_("Sales channel")),
)
VAT_COLUMNS = (
    Column(_("VAT category")),
    Column(_("VAT rate (%)"), "rate"),
    Column(_("Taxable amount"), "money"),
    Column(_("VAT amount"), "money"),
)

TYPE_LABELS = {
    "invoice": _("Invoice"),
    "proforma": _("Proforma invoice"),
    "credit_note": _("Credit note"),
    "estimate": _("Estimate"),
}
STATUS_LABELS = {"issued": _("Issued"), "cancelled": _("Cancelled"), "draft": _("Draft")}
PAYMENT_LABELS = {
    "paid": _("Paid"),
    "unpaid": _("Unpaid"),
    "partially_paid": _("Partially paid"),
    "overpaid": _("Overpaid"),
    "overdue": _("Overdue"),
}


def columns(*, vat_breakdown: bool) -> tuple[Column, ...]:
    return COLUMNS + VAT_COLUMNS if vat_breakdown else COLUMNS


def document_rows(documents: Iterable[Document], *, today: dt.date, vat_breakdown: bool) -> Iterator[list[Cell]]:
    """The cells of each document, amounts rounded to its currency; with ``vat_breakdown`` a row per VAT rate."""
    for document in documents:
        currency = Currency(document.currency)
        state = document.payment_state
        if document.status == "issued" and is_overdue(PaymentState(state), due=document.due_date, today=today):
            state = "overdue"
        row: list[Cell] = [
            document.number or "",
            str(TYPE_LABELS.get(document.document_type, document.document_type)),
            str(STATUS_LABELS.get(document.status, document.status)),
            document.issue_date,
            document.supply_date,
            document.due_date,
            document.buyer_name,
            document.buyer_vat_id,
            document.currency,
            quantize(document.tax_exclusive, currency),
            quantize(document.tax_total, currency),
            quantize(document.tax_inclusive, currency),
            str(PAYMENT_LABELS.get(state, state)),
            quantize(document.amount_paid, currency),
            document.order_number,
            document.channel.name if document.channel is not None else "",
        ]
        if not vat_breakdown:
            yield row
            continue
        for vat in document.vat_breakdown.all():
            rate = vat.vat_rate.normalize() if vat.vat_rate == vat.vat_rate.to_integral() else vat.vat_rate
            yield [
                *row,
                vat.vat_category,
                rate,
                quantize(vat.taxable_amount, currency),
                quantize(vat.tax_amount, currency),
            ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(header: Iterable[Column], rows: Iterable[list[Cell]]) -> Iterator[bytes]:
    """UTF-8 with a byte order mark (so Excel reads the accents), comma-separated, a header row first."""
    writer = csv.writer(_Echo())
    yield "\ufeff".encode()
    yield writer.writerow([neutralise(str(column.label)) for column in header]).encode()
    for row in rows:
        yield writer.writerow([_csv_cell(cell) for cell in row]).encode()


def _csv_cell(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return format(cell, "f")
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return neutralise(cell)


def xlsx_write(target: str | IO[bytes], header: Iterable[Column], rows: Iterable[list[Cell]]) -> int:
    """Write the workbook to ``target`` (a path or a binary file); returns the number of rows written."""
    options = {
        "constant_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "in_memory": False,
    }
    workbook = xlsxwriter.Workbook(target, options)
    sheet = workbook.add_worksheet(str(_("Documents"))[:31])
    bold = workbook.add_format({"bold": True})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    rate_format = workbook.add_format({"num_format": "0.00"})
    money_formats: dict[int, object] = {}
    kinds = [column.kind for column in header]
    for index, column in enumerate(header):
        sheet.write_string(0, index, neutralise(str(column.label)), bold)
        sheet.set_column(index, index, 14 if column.kind != "text" else 20)
    sheet.freeze_panes(1, 0)
    count = 0
    for count, row in enumerate(rows, start=1):
        for index, cell in enumerate(row):
            if cell is None or cell == "":
                continue
            if isinstance(cell, Decimal):
                if kinds[index] == "rate":
                    sheet.write_number(count, index, float(cell), rate_format)
                else:
                    places = max(0, -int(cell.as_tuple().exponent))
                    if places not in money_formats:
                        pattern = "#,##0" + ("." + "0" * places if places else "")
                        money_formats[places] = workbook.add_format({"num_format": pattern})
                    sheet.write_number(count, index, float(cell), money_formats[places])
            elif isinstance(cell, dt.date):
                sheet.write_datetime(count, index, cell, date_format)
            else:
                sheet.write_string(count, index, neutralise(cell))
    workbook.close()
    return count
