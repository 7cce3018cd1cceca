"""From the database to the core's ``OrderFacts``: the order, its documents, what was paid and credited.

The rules engine reads nothing else. Amounts are gross and positive whatever
the document type (a credit note's amount is what it takes back); what a
document was paid is what its payments add up to, plus, on a final invoice,
the advance of the proformas it settles. The order's ``paid`` is the money the
channel or the seller reported: payments less refunds.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from faktura.apps.invoicing import selectors as invoicing
from faktura.apps.sales import selectors as sales
from faktura.core.documents import DocumentStatus, DocumentType
from faktura.core.money import Currency, quantize
from faktura.core.rules import OrderDocument, OrderFacts, OrderStatus, PaymentMethod

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization
    from faktura.apps.invoicing.selectors import OrderDocumentRow
    from faktura.apps.sales.models import Order


@dataclass(frozen=True)
class KnownOrder:
    """The facts, and the documents behind them by number (to turn an intent into service calls)."""

    facts: OrderFacts
    rows: tuple[OrderDocumentRow, ...]

    def by_number(self, number: str) -> OrderDocumentRow:
        return next(row for row in self.rows if row.number == number)


def order_known(*, organization: Organization, order: Order, new: bool = False) -> KnownOrder:
    """What the rules know of the order; a ``new`` order has no documents to read yet."""
    rows = () if new else tuple(invoicing.order_documents(organization=organization, order_id=order.pk))
    return known_from_rows(organization=organization, order=order, rows=rows)


def known_from_rows(*, organization: Organization, order: Order, rows: tuple[OrderDocumentRow, ...]) -> KnownOrder:
    refunds: dict[int, str] = {}
    if any(row.document_type == DocumentType.CREDIT_NOTE for row in rows):
        refunds = sales.order_refund_credits(organization=organization, order_id=order.pk)
    numbers = {row.id: row.number for row in rows}
    currency = Currency.parse(order.currency)
    documents = tuple(
        OrderDocument(
            DocumentType(row.document_type),
            row.number,
            amount=quantize(abs(row.gross), currency),
            paid=quantize(_paid(row), currency),
            cancelled=row.status == DocumentStatus.CANCELLED,
            credits=numbers.get(row.corrects) if row.corrects is not None else None,
            settles=tuple(numbers[pk] for pk in row.settles if pk in numbers),
            refund_id=refunds.get(row.id),
        )
        for row in rows
        if row.status in (DocumentStatus.ISSUED, DocumentStatus.CANCELLED)
    )
    return KnownOrder(facts=facts_of(order, documents), rows=rows)


def facts_of(order: Order, documents: tuple[OrderDocument, ...] = ()) -> OrderFacts:
    billing = order.billing_address or {}
    buyer = order.buyer
    currency = Currency.parse(order.currency)
    return OrderFacts(
        status=OrderStatus(order.status),
        payment_method=PaymentMethod(order.payment_method),
        total=quantize(Decimal(order.total), currency),
        paid=quantize(Decimal(order.amount_paid) - Decimal(order.amount_refunded), currency),
        refunded=quantize(Decimal(order.amount_refunded), currency),
        delivery_method=order.delivery_method,
        billing_details_entered=order.billing_details_entered,
        buyer_country=billing.get("country") or (buyer.country if buyer else ""),
        buyer_is_business=buyer.is_business if buyer else False,
        documents=documents,
        order_number=order.number,
    )


def _paid(row: OrderDocumentRow) -> Decimal:
    if row.document_type == DocumentType.INVOICE:
        return row.paid + row.prepaid
    if row.document_type == DocumentType.PROFORMA:
        return row.paid
    return Decimal(0)
