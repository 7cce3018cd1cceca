"""What the rules engine knows about an order: its state and the documents it already has.

The Django layer gathers an ``OrderFacts`` in the transaction that records an
event; the engine reads nothing else. Amounts are gross (with VAT), in the
order's currency, and positive for every document type: a credit note's
``amount`` is what it takes back.

**Live documents** are what the one-live-document rule (F4.5) counts:

* a cancelled document is never live;
* a proforma is live otherwise, paid or not, settled by an invoice or not;
* an invoice is live until it is *fully credited*: credit notes that are not
  cancelled reference it and together take back at least its amount (an invoice
  of 0 with no credit note is live, so a free order is not invoiced twice);
* a credit note is live unless cancelled; credit notes are bounded by what they
  credit, not by a count, since an order may see several partial refunds.

>>> from dataclasses import replace
>>> from decimal import Decimal as D
>>> invoice = OrderDocument(DocumentType.INVOICE, "FA2026001", amount=D("100.00"))
>>> refund = OrderDocument(DocumentType.CREDIT_NOTE, "DOP2026001", amount=D("30.00"), credits="FA2026001")
>>> facts = OrderFacts(OrderStatus.COMPLETED, PaymentMethod.CARD, total=D("100.00"), documents=(invoice, refund))
>>> facts.credited(invoice), facts.left_to_credit(invoice), facts.is_live(invoice)
(Decimal('30.00'), Decimal('70.00'), True)
>>> rest = OrderDocument(DocumentType.CREDIT_NOTE, "DOP2026002", amount=D("70.00"), credits="FA2026001")
>>> replace(facts, documents=(*facts.documents, rest)).live(DocumentType.INVOICE)
()
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from faktura.core.documents import DocumentType

__all__ = ["PAID_UPFRONT", "UNSOLD", "OrderDocument", "OrderFacts", "OrderStatus", "PaymentMethod"]

ZERO = Decimal(0)


class OrderStatus(StrEnum):
    NEW = "new"
    ACCEPTED = "accepted"
    PROCESSING = "processing"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    RETURNED = "returned"


UNSOLD: frozenset[OrderStatus] = frozenset({OrderStatus.CANCELLED, OrderStatus.RETURNED})
"""An order in these statuses is not, or no longer, a sale: nothing asks it for money."""


class PaymentMethod(StrEnum):
    CARD = "card"
    BANK_TRANSFER = "bank_transfer"
    CASH_ON_DELIVERY = "cash_on_delivery"
    CASH = "cash"
    PAYPAL = "paypal"
    OTHER = "other"


PAID_UPFRONT: frozenset[PaymentMethod] = frozenset({PaymentMethod.CARD, PaymentMethod.PAYPAL, PaymentMethod.CASH})
"""Methods where the money is in when the order is placed, so an invoice may be marked paid at once."""


@dataclass(frozen=True)
class OrderDocument:
    """An issued document of the order (drafts are not documents yet)."""

    document_type: DocumentType
    number: str
    amount: Decimal
    paid: Decimal = ZERO
    cancelled: bool = False
    credits: str | None = None
    """Credit note: the number of the invoice it corrects (F2.2)."""
    settles: tuple[str, ...] = ()
    """Invoice: the proformas it settles, whose payments show on it as an advance (F2.2)."""
    refund_id: str | None = None
    """Credit note: the refund it was issued for, so a refund is credited once."""


@dataclass(frozen=True)
class OrderFacts:
    status: OrderStatus
    payment_method: PaymentMethod
    total: Decimal
    paid: Decimal = ZERO
    """What the buyer has paid and kept: payments less refunds."""
    delivery_method: str = ""
    billing_details_entered: bool = False
    buyer_country: str = ""
    buyer_is_business: bool = False
    documents: tuple[OrderDocument, ...] = ()
    order_number: str = ""
    refunded: Decimal = ZERO
    """What went back to the buyer (refunds reported), whatever its order with the payments."""

    @property
    def received(self) -> Decimal:
        """All the money that came in for the order, refunds not deducted."""
        return self.paid + self.refunded

    @property
    def fully_paid(self) -> bool:
        """The money that came in covers the order: refunds do not undo it, they are credited on their own.

        A refund reported before its payment (64.45 paid, 14.45 refunded first) leaves the
        order paid: it gets its invoice for 64.45 and the refund its credit note, as when the
        two arrive in order; the net the seller keeps (50.00) is the invoice less the credit.
        """
        return self.received >= self.total

    def credited(self, invoice: OrderDocument) -> Decimal:
        """What the credit notes that are not cancelled take back from ``invoice``."""
        return sum((note.amount for note in self._credit_notes(invoice)), ZERO)

    def left_to_credit(self, invoice: OrderDocument) -> Decimal:
        return max(invoice.amount - self.credited(invoice), ZERO)

    def is_live(self, document: OrderDocument) -> bool:
        if document.cancelled:
            return False
        if document.document_type != DocumentType.INVOICE:
            return True
        notes = self._credit_notes(document)
        return not notes or sum((note.amount for note in notes), ZERO) < document.amount

    def live(self, document_type: DocumentType) -> tuple[OrderDocument, ...]:
        return tuple(d for d in self.documents if d.document_type == document_type and self.is_live(d))

    def unsettled_proformas(self) -> tuple[OrderDocument, ...]:
        """Live proformas that no live invoice settles yet: a new invoice settles them."""
        settled = {number for invoice in self.live(DocumentType.INVOICE) for number in invoice.settles}
        return tuple(p for p in self.live(DocumentType.PROFORMA) if p.number not in settled)

    def _credit_notes(self, invoice: OrderDocument) -> tuple[OrderDocument, ...]:
        return tuple(
            d
            for d in self.documents
            if d.document_type == DocumentType.CREDIT_NOTE and d.credits == invoice.number and not d.cancelled
        )
