"""Credit notes: correcting an issued invoice in full, by lines, or by an amount (F2.2).

A credit note takes back (storno): its quantities are negative, its discounts,
allowances and charges mirror the invoice's, so a full credit note's totals are
the exact negation of the invoice's (``faktura.core.totals``). It keeps the
invoice's currency, exchange rate, buyer, pricing mode, VAT categories and
rates, and its date of supply (so a rate change since does not block it).

Three ways to credit, never more than is left (``selectors.CreditBalance``,
over the invoice's *issued* credit notes):

* neither lines nor amount: everything left; with no credit note yet, an
  exact storno of the whole invoice, shipping included;
* ``lines``: some quantity of some invoice lines (positions from 1); a line's
  discount goes back in proportion, and the last of a line takes what is left
  of its discount, so the credits of a line add up to the line exactly;
* ``amount``: a gross amount, split over the invoice's VAT rates in proportion
  to what is left of each (cents exact, the remainder on the largest). Such a
  credit note is priced gross whatever the invoice's mode, so that what it
  credits is exactly the amount asked for.

``document_credit`` creates and issues in one transaction with the invoice
locked, so two credits at once cannot take the same remainder twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from faktura.apps.invoicing.models import Document, DocumentLine
from faktura.apps.invoicing.selectors import CreditBalance, document_credit_balance
from faktura.apps.invoicing.services.drafts import BuyerDetails, document_create_draft
from faktura.apps.invoicing.services.issue import document_issue
from faktura.core.actors import Actor
from faktura.core.documents import DocumentStatus, DocumentType, DraftLine, PricingMode
from faktura.core.errors import Conflict, InvalidValue, NotFound
from faktura.core.money import Currency, quantize
from faktura.core.totals import AllowanceCharge
from faktura.core.vat import VatCategory
from faktura.platform.transactions import atomic_with_retry

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization


@dataclass(frozen=True)
class CreditLine:
    """Take back ``quantity`` (positive) of the invoice's line at ``position`` (from 1)."""

    position: int
    quantity: Decimal


@dataclass(frozen=True)
class _Content:
    lines: list[DraftLine]
    links: list[int | None]
    allowances_charges: list[AllowanceCharge]
    pricing: PricingMode


def document_create_credit_note(
    *,
    actor: Actor,
    organization: Organization,
    document_id: int,
    lines: Sequence[CreditLine] = (),
    amount: Decimal | None = None,
    reason: str = "",
) -> Document:
    """A draft credit note for the issued invoice ``document_id``; see the module docstring."""
    return atomic_with_retry(lambda: _create(actor, organization, document_id, lines, amount, reason))


def document_credit(
    *,
    actor: Actor,
    organization: Organization,
    document_id: int,
    lines: Sequence[CreditLine] = (),
    amount: Decimal | None = None,
    reason: str = "",
) -> Document:
    """Create the credit note and issue it, in one transaction with the invoice locked."""

    def credit() -> Document:
        draft = _create(actor, organization, document_id, lines, amount, reason)
        return document_issue(actor=actor, organization=organization, document_id=draft.pk)

    return atomic_with_retry(credit)


def _create(
    actor: Actor,
    organization: Organization,
    document_id: int,
    lines: Sequence[CreditLine],
    amount: Decimal | None,
    reason: str,
) -> Document:
    invoice = _locked_invoice(organization, document_id)
    balance = document_credit_balance(document=invoice)
    currency = Currency.parse(invoice.currency)
    if lines and amount is not None:
        raise InvalidValue("credit either some lines or an amount, not both", field="amount")
    if balance.fully_credited:
        raise Conflict(f"{invoice.number} is credited in full already; nothing is left", field="document_id")
    if amount is not None:
        amount = _checked_amount(amount, currency, balance)
    if lines:
        content = _by_lines(invoice, balance, lines, currency)
    elif amount is not None and amount < balance.total:
        content = _by_amount(invoice, balance, amount, currency)
    else:
        content = _rest(invoice, balance)

    draft = document_create_draft(
        actor=actor,
        organization=organization,
        document_type=DocumentType.CREDIT_NOTE,
        currency=invoice.currency,
        buyer=BuyerDetails(**invoice.buyer_details),
        lines=content.lines,
        pricing=content.pricing,
        allowances_charges=content.allowances_charges,
        channel=invoice.channel,
        order=invoice.order,
        buyer_record=invoice.buyer,
        supply_date=invoice.supply_date or invoice.issue_date,
        language=invoice.language,
        note=reason,
        exchange_rate=invoice.exchange_rate,
        corrected_document=invoice,
        corrects_positions=content.links,
    )
    draft.refresh_from_db()
    if lines and balance.credited_by_amount:
        _check_total(draft, balance, currency)
    issued_on = invoice.issue_date.isoformat() if invoice.issue_date else ""
    draft.legal_notes = [f"Corrects invoice {invoice.number} of {issued_on}."]  # BG-3 preceding invoice reference
    draft.save(update_fields=["legal_notes", "updated_at"])
    return draft


def _locked_invoice(organization: Organization, document_id: int) -> Document:
    try:
        invoice = Document.objects.select_for_update().get(pk=document_id, organization=organization)
    except Document.DoesNotExist:
        raise NotFound(f"document {document_id} does not exist", field="document_id") from None
    if invoice.document_type != DocumentType.INVOICE:
        kind = invoice.document_type.replace("_", " ")
        hint = "; cancel it instead" if invoice.document_type == DocumentType.PROFORMA else ""
        raise Conflict(f"only an invoice can be credited, not a {kind}{hint}", field="document_id")
    if invoice.status != DocumentStatus.ISSUED:
        raise Conflict(f"only an issued invoice can be credited; this one is {invoice.status}", field="document_id")
    if invoice.source != "built_in":
        raise Conflict("an uploaded or external invoice is credited in the system that issued it", field="document_id")
    return invoice


def _checked_amount(amount: Decimal, currency: Currency, balance: CreditBalance) -> Decimal:
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount <= 0:
        raise InvalidValue("must be a positive amount", field="amount")
    if quantize(amount, currency) != amount:
        raise InvalidValue(f"must have at most {currency.precision} decimals in {currency.code}", field="amount")
    if amount > balance.total:
        raise Conflict(f"only {balance.total} {currency.code} is left to credit", field="amount")
    return amount


def _line(line: DocumentLine, quantity: Decimal, discount: Decimal) -> DraftLine:
    return DraftLine(
        name=line.name,
        quantity=-quantity,
        unit_price=line.unit_price,
        vat_category=VatCategory(line.vat_category),
        vat_rate=line.vat_rate,
        discount=discount,
        unit=line.unit,
        sku=line.sku,
        barcode=line.barcode,
        description=line.description,
    )


def _by_lines(invoice: Document, balance: CreditBalance, wanted: Sequence[CreditLine], currency: Currency) -> _Content:
    by_position = {line.position: line for line in invoice.lines.all()}
    lines: list[DraftLine] = []
    links: list[int | None] = []
    for index, item in enumerate(wanted):
        field = f"lines[{index}]"
        line = by_position.get(item.position)
        if line is None:
            raise InvalidValue(f"{invoice.number} has no line {item.position}", field=f"{field}.position")
        if item.position in links:
            raise InvalidValue(f"line {item.position} is named twice", field=f"{field}.position")
        quantity = item.quantity
        if not isinstance(quantity, Decimal) or not quantity.is_finite() or quantity <= 0:
            raise InvalidValue("must be a positive quantity to take back", field=f"{field}.quantity")
        left = balance.quantities[item.position]
        if quantity > left:
            raise Conflict(f"only {left} of line {item.position} is left to credit", field=f"{field}.quantity")
        if quantity == left:
            discount = balance.discounts[item.position]
        else:
            discount = quantize(line.discount * quantity / line.quantity, currency)
        lines.append(_line(line, quantity, discount))
        links.append(item.position)
    return _Content(lines, links, [], PricingMode(invoice.pricing_mode))


def _rest(invoice: Document, balance: CreditBalance) -> _Content:
    """Everything left: the remaining quantities of each line, and the allowances and charges."""
    if balance.credited_by_amount:
        return _by_amount(invoice, balance, balance.total, Currency.parse(invoice.currency))
    lines: list[DraftLine] = []
    links: list[int | None] = []
    for line in invoice.lines.all():
        left = balance.quantities[line.position]
        if left > 0:
            lines.append(_line(line, left, balance.discounts[line.position]))
            links.append(line.position)
    if not lines:  # only shipping is left: credit it as an amount
        return _by_amount(invoice, balance, balance.total, Currency.parse(invoice.currency))
    charges = [
        AllowanceCharge(
            amount=-ac.amount,
            is_charge=ac.is_charge,
            vat_category=VatCategory(ac.vat_category),
            vat_rate=ac.vat_rate,
            reason=ac.reason,
        )
        for ac in invoice.allowances_charges.all()
    ]
    return _Content(lines, links, charges if balance.charges_left else [], PricingMode(invoice.pricing_mode))


def _by_amount(invoice: Document, balance: CreditBalance, amount: Decimal, currency: Currency) -> _Content:
    """One gross line per VAT rate, the amount split in proportion to what is left at each rate."""
    weights = {key: left for key, left in balance.groups.items() if left > 0}
    if not weights:
        raise Conflict(f"{invoice.number} has nothing left to credit", field="amount")
    shares = split_in_proportion(amount, weights, currency)
    several = len([share for share in shares.values() if share]) > 1
    lines = [
        DraftLine(
            name=f"Credit on invoice {invoice.number}" + (f", VAT {rate.normalize():f} %" if several else ""),
            quantity=Decimal(-1),
            unit_price=share,
            vat_category=VatCategory(category),
            vat_rate=rate,
        )
        for (category, rate), share in shares.items()
        if share
    ]
    return _Content(lines, [None] * len(lines), [], PricingMode.GROSS)


def split_in_proportion(
    amount: Decimal, weights: dict[tuple[str, Decimal], Decimal], currency: Currency
) -> dict[tuple[str, Decimal], Decimal]:
    """``amount`` split over ``weights`` (positive) in proportion, rounded; the largest takes the remainder.

    >>> from faktura.core.money import Currency
    >>> split_in_proportion(Decimal("10.00"), {("s", 1): Decimal(1), ("s", 2): Decimal(2)}, Currency.parse("EUR"))
    {('s', 1): Decimal('3.33'), ('s', 2): Decimal('6.67')}
    """
    total = sum(weights.values(), Decimal(0))
    largest = max(weights, key=lambda key: (weights[key], key[1]))
    shares = {
        key: (amount * weight / total).quantize(Decimal(1).scaleb(-currency.precision), rounding=ROUND_HALF_UP)
        for key, weight in weights.items()
        if key != largest
    }
    shares[largest] = amount - sum(shares.values(), Decimal(0))
    return {key: shares[key] for key in weights}


def _check_total(draft: Document, balance: CreditBalance, currency: Currency) -> None:
    """After a credit by amount, lines may no longer fit in what is left in total.

    VAT is rounded per document, so a credit of lines may round a minor unit
    per rate above its share; that much is let through.
    """
    credited = -(draft.tax_inclusive + draft.rounding)
    slack = Decimal(1).scaleb(-currency.precision) * draft.vat_breakdown.count()
    if credited > balance.total + slack:
        raise Conflict(
            f"these lines come to {credited} {currency.code}, but only {balance.total} is left to credit",
            field="lines",
        )
