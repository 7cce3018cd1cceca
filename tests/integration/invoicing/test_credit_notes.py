"""Credit notes correct an issued invoice: in full, by lines or by an amount, never beyond what is left (F2.2)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from faktura.apps.invoicing.models import Document
from faktura.apps.invoicing.selectors import document_credit_balance
from faktura.apps.invoicing.services import (
    CreditLine,
    document_cancel,
    document_create_credit_note,
    document_credit,
    document_issue,
)
from faktura.apps.invoicing.services.credit import split_in_proportion
from faktura.core.errors import Conflict, InvalidValue, NotFound
from faktura.core.money import Currency
from faktura.core.totals import AllowanceCharge
from faktura.core.vat import VatCategory
from tests import factories as make

pytestmark = pytest.mark.django_db

TOTAL_FIELDS = ("line_net_total", "charge_total", "tax_exclusive", "tax_total", "tax_inclusive", "rounding", "payable")
SHIPPING = AllowanceCharge(Decimal("15.00"), True, VatCategory.STANDARD, Decimal("21"), reason="Shipping")


def issue(document: Document) -> Document:
    return document_issue(actor=make.TEST_ACTOR, organization=document.organization, document_id=document.pk)


def invoice(org, pricing: str = "gross", shipping: bool = True) -> Document:
    """Mugs 3 × 12.10 less 1.00 at 21 %, books 2 × 5.45 at 11 %, and shipping 15.00 at 21 %."""
    draft = make.draft(
        org,
        pricing=pricing,
        lines=[
            make.line(name="Cană", quantity="3", price="12.10", discount=Decimal("1.00")),
            make.line(name="Carte", quantity="2", price="5.45", rate="11", category="reduced"),
        ],
        allowances_charges=[SHIPPING] if shipping else [],
    )
    return issue(draft)


@pytest.fixture
def org():
    org = make.seller()
    make.series(org)
    make.series(org, pattern="CN{RRRR}{CCC}", document_type="credit_note")
    make.series(org, pattern="PF{RRRR}{CCC}", document_type="proforma")
    return org


def credit(org, document: Document, **options) -> Document:
    return document_create_credit_note(actor=make.TEST_ACTOR, organization=org, document_id=document.pk, **options)


def totals(document: Document) -> tuple[Decimal, ...]:
    stored = Document.objects.get(pk=document.pk)
    return tuple(getattr(stored, name) for name in TOTAL_FIELDS)


def breakdown(document: Document) -> list[tuple[str, Decimal, Decimal, Decimal]]:
    rows = Document.objects.get(pk=document.pk).vat_breakdown.all()
    return [(r.vat_category, r.vat_rate, r.taxable_amount, r.tax_amount) for r in rows]


@pytest.mark.parametrize("pricing", ["gross", "net"])
def test_a_full_credit_note_is_the_exact_negation_of_the_invoice(org, pricing: str) -> None:
    original = invoice(org, pricing)
    note = credit(org, original, reason="Order cancelled")

    assert (note.document_type, note.status, note.corrected_document_id) == ("credit_note", "draft", original.pk)
    assert totals(note) == tuple(-amount for amount in totals(original))
    assert breakdown(note) == [(c, r, -t, -v) for c, r, t, v in breakdown(original)]
    assert [(line.quantity, line.corrects_position) for line in note.lines.all()] == [
        (Decimal(-3), 1),
        (Decimal(-2), 2),
    ]
    assert note.allowances_charges.get().net_amount == -original.allowances_charges.get().net_amount
    assert (note.currency, note.pricing_mode, note.buyer_details) == (
        original.currency,
        pricing,
        original.buyer_details,
    )
    assert note.supply_date == original.supply_date
    assert note.note == "Order cancelled"
    assert note.legal_notes == [f"Corrects invoice {original.number} of {original.issue_date.isoformat()}."]

    issued = issue(note)
    assert issued.number.startswith("CN")
    assert document_credit_balance(document=original).fully_credited


def test_partial_lines_give_back_their_share_of_the_discount_and_the_rest_adds_up_exactly(org) -> None:
    original = invoice(org)
    one = issue(credit(org, original, lines=[CreditLine(position=1, quantity=Decimal(1))]))
    line = one.lines.get()
    assert (line.quantity, line.discount, line.corrects_position) == (Decimal(-1), Decimal("0.33"), 1)
    assert one.payable == Decimal("-11.77")  # 12.10 - 0.33
    assert not one.allowances_charges.exists()

    rest = issue(credit(org, original))
    assert [(x.quantity, x.discount, x.corrects_position) for x in rest.lines.all()] == [
        (Decimal(-2), Decimal("0.67"), 1),
        (Decimal(-2), Decimal(0), 2),
    ]
    assert rest.allowances_charges.count() == 1
    assert one.payable + rest.payable == -original.payable
    assert document_credit_balance(document=original).fully_credited


def test_a_line_cannot_be_credited_beyond_what_is_left(org) -> None:
    original = invoice(org)
    issue(credit(org, original, lines=[CreditLine(position=2, quantity=Decimal(1))]))
    with pytest.raises(Conflict) as error:
        credit(org, original, lines=[CreditLine(position=1, quantity=Decimal(1)), CreditLine(2, Decimal(2))])
    assert error.value.field == "lines[1].quantity"
    assert "only 1" in error.value.message


@pytest.mark.parametrize(
    ("lines", "field"),
    [
        ([CreditLine(position=9, quantity=Decimal(1))], "lines[0].position"),
        ([CreditLine(position=1, quantity=Decimal(0))], "lines[0].quantity"),
        ([CreditLine(position=1, quantity=Decimal(-1))], "lines[0].quantity"),
        ([CreditLine(1, Decimal(1)), CreditLine(1, Decimal(1))], "lines[1].position"),
    ],
    ids=["unknown-position", "zero", "negative", "twice"],
)
def test_bad_credit_lines_are_refused_with_the_field(org, lines: list[CreditLine], field: str) -> None:
    with pytest.raises(InvalidValue) as error:
        credit(org, invoice(org), lines=lines)
    assert error.value.field == field


def test_an_amount_is_split_over_the_rates_in_proportion_and_credits_exactly_that(org) -> None:
    original = invoice(org)  # 21 %: 35.30 + 15.00 = 50.30; 11 %: 10.90; total 61.20
    note = credit(org, original, amount=Decimal("10.00"))
    assert note.payable == Decimal("-10.00")
    assert note.pricing_mode == "gross"
    shares = {(x.vat_rate, x.quantity, x.unit_price, x.corrects_position) for x in note.lines.all()}
    assert shares == {
        (Decimal(21), Decimal(-1), Decimal("8.22"), None),
        (Decimal(11), Decimal(-1), Decimal("1.78"), None),
    }


def test_after_a_credit_by_amount_the_rest_is_credited_to_the_cent(org) -> None:
    original = invoice(org)
    first = issue(credit(org, original, amount=Decimal("10.00")))
    rest = issue(credit(org, original))
    assert first.payable + rest.payable == -original.payable
    assert document_credit_balance(document=original).fully_credited
    with pytest.raises(Conflict) as error:
        credit(org, original, amount=Decimal("0.01"))
    assert error.value.field == "document_id"


def test_the_whole_amount_left_is_an_exact_storno(org) -> None:
    original = invoice(org)
    note = credit(org, original, amount=original.payable)
    assert totals(note) == tuple(-amount for amount in totals(original))
    assert note.lines.count() == 2


def test_lines_do_not_fit_after_most_of_the_total_went_by_amount(org) -> None:
    original = invoice(org)
    issue(credit(org, original, amount=Decimal("50.00")))
    with pytest.raises(Conflict) as error:
        credit(org, original, lines=[CreditLine(position=1, quantity=Decimal(3))])
    assert error.value.field == "lines"


@pytest.mark.parametrize(
    ("amount", "error_type"),
    [("61.21", Conflict), ("0", InvalidValue), ("-5", InvalidValue), ("1.005", InvalidValue)],
    ids=["more-than-total", "zero", "negative", "sub-cent"],
)
def test_a_bad_amount_is_refused_with_the_field(org, amount: str, error_type: type[Exception]) -> None:
    with pytest.raises(error_type) as error:
        credit(org, invoice(org), amount=Decimal(amount))
    assert error.value.field == "amount"  # type: ignore[attr-defined]


def test_lines_and_an_amount_together_are_refused(org) -> None:
    with pytest.raises(InvalidValue) as error:
        credit(org, invoice(org), lines=[CreditLine(1, Decimal(1))], amount=Decimal(1))
    assert error.value.field == "amount"


def test_draft_credit_notes_do_not_count_but_issued_ones_do(org) -> None:
    original = invoice(org, shipping=False)
    credit(org, original)  # a draft takes nothing yet
    issue(credit(org, original))
    with pytest.raises(Conflict):
        credit(org, original)


def test_two_drafts_that_each_fit_cannot_both_be_issued(org) -> None:
    original = invoice(org, shipping=False)
    first = credit(org, original, amount=Decimal("30.00"))
    second = credit(org, original, amount=Decimal("30.00"))  # made against the same balance as the first
    issue(first)
    with pytest.raises(Conflict, match=r"only .* is left") as error:
        issue(second)
    assert error.value.field == "document_id"
    assert Document.objects.get(pk=second.pk).status == "draft"
    assert document_credit_balance(document=original).total == original.tax_inclusive - Decimal("30.00")


def test_only_an_issued_invoice_of_this_seller_can_be_credited(org) -> None:
    draft = make.draft(org)
    proforma = issue(make.draft(org, document_type="proforma"))
    cancelled = invoice(org)
    document_cancel(actor=make.TEST_ACTOR, organization=org, document_id=cancelled.pk)
    note = issue(credit(org, invoice(org), amount=Decimal(1)))
    for document in (draft, proforma, cancelled, note):
        with pytest.raises(Conflict) as error:
            credit(org, document)
        assert error.value.field == "document_id"

    other = make.seller()
    with pytest.raises(NotFound):
        credit(other, invoice(org))


def test_document_credit_issues_the_credit_note_at_once(org) -> None:
    original = invoice(org)
    note = document_credit(
        actor=make.TEST_ACTOR, organization=org, document_id=original.pk, lines=[CreditLine(2, Decimal(2))]
    )
    assert note.status == "issued"
    assert note.number.startswith("CN")
    assert document_credit_balance(document=original).quantities == {1: Decimal(3), 2: Decimal(0)}


def test_an_amount_splits_to_the_cent_with_the_remainder_on_the_largest() -> None:
    eur = Currency.parse("EUR")
    weights = {("standard", Decimal(21)): Decimal(1), ("reduced", Decimal(11)): Decimal(1)}
    # a tie: the higher rate counts as the largest; the other rounds half up and the largest takes what is left
    assert split_in_proportion(Decimal("0.01"), weights, eur) == {
        ("standard", Decimal(21)): Decimal("0.00"),
        ("reduced", Decimal(11)): Decimal("0.01"),
    }
    three = {("s", Decimal(r)): Decimal(1) for r in (5, 11, 21)}
    shares = split_in_proportion(Decimal("100.00"), three, eur)
    assert sum(shares.values()) == Decimal("100.00")
    assert sorted(shares.values()) == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
