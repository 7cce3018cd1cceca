"""CSV and XLSX for the accountant: the values, numbers as numbers, and no formula a spreadsheet would run."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import translation

from faktura.apps.exports.build import ExportBuild
from faktura.apps.invoicing.services import BuyerDetails
from faktura.apps.payments.services import payment_record
from tests import factories as make
from tests.integration.exports.helpers import issued, xlsx_rows

pytestmark = pytest.mark.django_db

HOSTILE = BuyerDetails(name='=HYPERLINK("http://evil.test","x")', country="RO", city="Cluj", street="@SUM(1+1)")


def export(org: object, export_format: str, ids: list[int], *, vat_breakdown: bool = False) -> bytes:
    return b"".join(ExportBuild(org, export_format, ids, vat_breakdown).chunks())  # type: ignore[arg-type]


def two_documents() -> tuple[object, list[object]]:
    org = make.seller()
    make.series(org)
    shop = make.channel(org, "Magazin online")
    paid = issued(org, render=False, channel=shop)
    payment_record(
        actor=make.TEST_ACTOR,
        organization=org,
        document_id=paid.pk,
        amount=Decimal("10"),
        currency="RON",
        received_on=dt.date.today(),
    )
    hostile = issued(
        org,
        render=False,
        buyer=HOSTILE,
        lines=[make.line(), make.line(name="Carte", quantity="1", price="11.10", rate="11", category="reduced")],
    )
    return org, [paid, hostile]


def test_the_csv_has_a_row_per_document_with_plain_numbers_and_iso_dates() -> None:
    org, (paid, hostile) = two_documents()

    data = export(org, "csv", [paid.pk, hostile.pk])  # type: ignore[attr-defined]

    assert data.startswith("\ufeff".encode())
    header, first, second = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert header[:3] == ["Number", "Type", "Status"]
    row = dict(zip(header, first, strict=True))
    assert row["Number"] == paid.number  # type: ignore[attr-defined]
    assert row["Type"] == "Invoice"
    assert row["Issue date"] == paid.issue_date.isoformat()  # type: ignore[attr-defined]
    assert (row["Currency"], row["Net"], row["VAT"], row["Gross"]) == ("RON", "20.00", "4.20", "24.20")
    assert (row["Payment state"], row["Paid"]) == ("Partially paid", "10.00")
    assert row["Sales channel"] == "Magazin online"
    assert dict(zip(header, second, strict=True))["Buyer"] == '\'=HYPERLINK("http://evil.test","x")'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+40 700 000 000", "'+40 700 000 000"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Ana = Ion", "Ana = Ion"),
    ],
    ids=["equals", "plus", "minus", "at", "tab", "carriage-return", "inside"],
)
def test_a_cell_a_spreadsheet_would_run_as_a_formula_gets_a_leading_apostrophe(text: str, expected: str) -> None:
    org = make.seller()
    make.series(org)
    document = issued(org, render=False, buyer=BuyerDetails(name=text, country="RO", city="Cluj", street="x"))

    rows = list(csv.reader(io.StringIO(export(org, "csv", [document.pk]).decode("utf-8-sig"), newline="")))

    assert rows[1][6] == expected


def test_with_vat_breakdown_each_rate_is_a_row_of_its_own() -> None:
    org, (_paid, hostile) = two_documents()

    data = export(org, "csv", [hostile.pk], vat_breakdown=True)  # type: ignore[attr-defined]

    header, *rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    by_rate = {row[header.index("VAT rate (%)")]: row for row in rows}
    assert set(by_rate) == {"21", "11"}
    assert by_rate["11"][header.index("Taxable amount")] == "10.00"
    assert by_rate["11"][header.index("VAT amount")] == "1.10"
    assert by_rate["21"][header.index("Number")] == hostile.number  # type: ignore[attr-defined]


def test_the_xlsx_holds_numbers_as_numbers_dates_as_dates_and_neutralised_text() -> None:
    org, (paid, hostile) = two_documents()

    rows = xlsx_rows(export(org, "xlsx", [paid.pk, hostile.pk]))  # type: ignore[attr-defined]

    header, first, second = rows
    assert header[0] == "Number"
    row = dict(zip(header, first, strict=False))
    assert row["Number"] == paid.number  # type: ignore[attr-defined]
    assert row["Net"] == 20.0
    assert row["Gross"] == 24.2
    assert row["Paid"] == 10.0
    excel_day = (paid.issue_date - dt.date(1899, 12, 30)).days  # type: ignore[attr-defined]
    assert row["Issue date"] == float(excel_day)
    assert dict(zip(header, second, strict=False))["Buyer"] == '\'=HYPERLINK("http://evil.test","x")'


def test_the_headers_follow_the_language_of_the_person() -> None:
    org, (paid, _) = two_documents()

    with translation.override("ro"):
        data = export(org, "csv", [paid.pk])  # type: ignore[attr-defined]

    assert data.decode("utf-8-sig").startswith("Număr,")
