"""What a buyer sees: their orders and documents, found by address among the sellers the session may see.

``scope`` is the one seller a session is limited to (an instance that is not
a marketplace), or None for every seller. A document is the buyer's when it
is addressed to them (issued or cancelled, never a draft or a test); an order
is the buyer's when its buyer has their address or it has one of their
documents. Anything else is None here, and a 404 at the door.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from faktura.apps.invoicing import selectors as invoicing
from faktura.apps.portal import tokens
from faktura.apps.portal.models import BuyerAccount, SignInLink
from faktura.apps.sales import selectors as sales
from faktura.core.documents import DocumentStatus, DocumentType
from faktura.core.payment_state import payment_state

if TYPE_CHECKING:
    from faktura.apps.invoicing.models import Document
    from faktura.apps.sales.models import Order
    from faktura.payqr import PaymentQr


def account_get(*, account_id: int) -> BuyerAccount | None:
    return BuyerAccount.objects.filter(pk=account_id).first()


def buyer_is_known(*, email: str, organization_id: int | None) -> bool:
    """Whether any seller in scope has a document or an order for this address."""
    if invoicing.buyer_documents(email=email, organization_id=organization_id, limit=1):
        return True
    return bool(sales.buyer_orders(email=email, organization_id=organization_id, limit=1))


def sign_in_link_check(*, token: str, purpose: str = tokens.PURPOSE_SIGN_IN) -> tuple[SignInLink | None, str]:
    """The link a token opens, without using it, and what is wrong with it: ``""``, invalid, expired or used."""
    if not tokens.SHAPE.fullmatch(token):
        return None, "invalid"
    link = SignInLink.objects.filter(token_hash=tokens.token_hash(token)).first()
    if link is None or link.purpose != purpose or not tokens.matches(token, purpose=purpose, nonce=link.nonce):
        return None, "invalid"
    if link.used_at is not None:
        return link, "used"
    if link.expires_at <= timezone.now():
        return link, "expired"
    return link, ""


def seller_name(document_or_order: Document | Order) -> str:
    organization = document_or_order.organization
    return organization.trade_name or organization.legal_name


@dataclass(frozen=True)
class DocumentView:
    """A document as the buyer sees it: its numbers, how much is left to pay, and the code to pay it with."""

    document: Document
    seller: str
    overdue: bool
    due: Decimal
    qr: PaymentQr | None
    xml_url: str = ""  # the e-invoice XML, once Faktura writes one (the documents API answers xml_not_ready)


def document_view(document: Document, *, with_qr: bool = True) -> DocumentView:
    seller = document.seller or {}
    return DocumentView(
        document=document,
        seller=str(seller.get("trade_name") or seller.get("legal_name") or seller_name(document)),
        overdue=invoicing.document_is_overdue(document),
        due=max(document.payable - document.amount_paid, Decimal(0)) if document.payable > 0 else Decimal(0),
        qr=invoicing.document_payment_qr(document=document) if with_qr else None,
    )


@dataclass(frozen=True)
class OrderRow:
    order: Order
    seller: str
    placed_at: dt.datetime
    payment_state: str


def _order_row(order: Order, documents: list[Document]) -> OrderRow:
    return OrderRow(
        order=order, seller=seller_name(order), placed_at=order.placed_at, payment_state=order_state(order, documents)
    )


def order_state(order: Order, documents: list[Document]) -> str:
    """What the buyer owes on an order: the state of its latest issued invoice, else proforma, else the order's.

    The documents say it best (a payment recorded on an invoice may never reach
    the order's own figures); an order without one goes by what the channel
    reported paid. ``overdue`` when that document is past its due date.
    """
    issued = [d for d in documents if d.status == DocumentStatus.ISSUED.value]
    for kind in (DocumentType.INVOICE.value, DocumentType.PROFORMA.value):
        of_kind = [d for d in issued if d.document_type == kind]
        if of_kind:
            latest = max(of_kind, key=lambda d: d.pk)
            return "overdue" if invoicing.document_is_overdue(latest) else latest.payment_state
    return payment_state(payable=order.total, paid=order.amount_paid - order.amount_refunded).value


def buyer_orders(*, email: str, scope: int | None) -> list[OrderRow]:
    """The buyer's orders at every seller in scope, newest first, each with its payment state."""
    documents = invoicing.buyer_documents(email=email, organization_id=scope)
    by_order: dict[int, list[Document]] = {}
    for document in documents:
        if document.order_id:
            by_order.setdefault(document.order_id, []).append(document)
    found = sales.buyer_orders(email=email, organization_id=scope, also_ids=set(by_order))
    return [_order_row(order, by_order.get(order.pk, [])) for order in found]


def buyer_loose_documents(*, email: str, scope: int | None) -> list[DocumentView]:
    """The buyer's documents that belong to no order (issued by hand), newest first."""
    found = invoicing.buyer_documents(email=email, organization_id=scope, without_order=True)
    return [document_view(document, with_qr=False) for document in found]


def buyer_order(*, email: str, scope: int | None, order_id: int) -> tuple[OrderRow, list[DocumentView]] | None:
    """One of the buyer's orders with their documents of it; None when it is not theirs."""
    also = invoicing.buyer_order_ids(email=email, organization_id=scope) & {order_id}
    found = sales.buyer_orders(email=email, organization_id=scope, also_ids=also, order_id=order_id, limit=1)
    if not found:
        return None
    order = found[0]
    documents = invoicing.buyer_documents(email=email, organization_id=order.organization_id, order_id=order.pk)
    return _order_row(order, documents), [document_view(document) for document in documents]


def buyer_document(*, email: str, scope: int | None, document_id: int) -> Document | None:
    found = invoicing.buyer_documents(email=email, organization_id=scope, document_id=document_id, limit=1)
    return found[0] if found else None
