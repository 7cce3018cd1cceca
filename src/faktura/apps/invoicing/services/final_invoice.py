"""The final invoice of an order paid in advance against proformas (F2.2).

A proforma is not a tax document; once it is paid the seller issues the real
invoice for the order. That invoice settles the proformas: a
``ProformaSettlement`` row per proforma, a legal note naming each one (the
preceding-document reference), and the advance received on them as prepaid
amount BT-113, so that a fully paid order's final invoice is due 0 and counts
as paid from the moment it is issued. The advance shown never exceeds the
invoice's own total (an overpaid proforma is refunded or kept apart, not
carried as a negative amount due).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from faktura.apps.invoicing.models import Document, ProformaSettlement
from faktura.apps.invoicing.services.from_order import document_create_from_order
from faktura.apps.sales import selectors as sales
from faktura.core.actors import Actor
from faktura.core.documents import DocumentStatus, DocumentType
from faktura.core.errors import Conflict, InvalidValue, MissingValue, NotFound
from faktura.core.money import Currency, quantize
from faktura.core.payment_state import payment_state
from faktura.platform.transactions import atomic_with_retry

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization


def document_create_final_invoice(
    *, actor: Actor, organization: Organization, order_id: int, proforma_ids: Sequence[int]
) -> Document:
    """A draft invoice for the order that settles ``proforma_ids``; see the module docstring."""
    return atomic_with_retry(lambda: _create(actor, organization, order_id, proforma_ids))


def _create(actor: Actor, organization: Organization, order_id: int, proforma_ids: Sequence[int]) -> Document:
    order = sales.order_get(organization=organization, order_id=order_id)
    if order is None:
        raise NotFound(f"order {order_id} does not exist", field="order_id")
    proformas = _proformas(organization, order.pk, order.currency, proforma_ids)

    draft = document_create_from_order(
        actor=actor, organization=organization, order=order, document_type=DocumentType.INVOICE
    )
    draft.refresh_from_db()
    currency = Currency.parse(draft.currency)
    left = max(draft.tax_inclusive + draft.rounding, Decimal(0))
    notes = []
    for proforma in proformas:
        advance = quantize(min(max(proforma.amount_paid, Decimal(0)), left), currency)
        left -= advance
        ProformaSettlement.objects.create(organization=organization, invoice=draft, proforma=proforma, amount=advance)
        issued_on = proforma.issue_date.isoformat() if proforma.issue_date else ""
        notes.append(f"Settles proforma {proforma.number} of {issued_on}; advance paid {advance} {draft.currency}.")
    prepaid = sum((s.amount for s in draft.settled_proformas.all()), Decimal(0))
    payable = draft.tax_inclusive - prepaid + draft.rounding
    Document.objects.filter(pk=draft.pk).update(
        prepaid=prepaid,
        payable=payable,
        payment_state=payment_state(payable=payable, paid=Decimal(0)).value,
        legal_notes=notes,
    )
    draft.refresh_from_db()
    return draft


def _proformas(organization: Organization, order_id: int, currency: str, ids: Sequence[int]) -> list[Document]:
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        raise MissingValue("name the proformas the final invoice settles", field="proforma_ids")
    found = {
        doc.pk: doc for doc in Document.objects.select_for_update().filter(organization=organization, pk__in=wanted)
    }
    for index, pk in enumerate(wanted):
        field = f"proforma_ids[{index}]"
        doc = found.get(pk)
        if doc is None:
            raise NotFound(f"document {pk} does not exist", field=field)
        if doc.document_type != DocumentType.PROFORMA:
            raise InvalidValue(f"{doc.number or pk} is not a proforma", field=field)
        if doc.order_id != order_id:
            raise InvalidValue(f"proforma {doc.number} belongs to another order", field=field)
        if doc.status != DocumentStatus.ISSUED:
            raise Conflict(f"proforma {doc.number or pk} is {doc.status}, not issued", field=field)
        if doc.currency != currency:
            raise InvalidValue(f"proforma {doc.number} is in {doc.currency}, the order in {currency}", field=field)
    settled = (
        ProformaSettlement.objects.filter(organization=organization, proforma_id__in=wanted)
        .exclude(invoice__status=DocumentStatus.CANCELLED.value)
        .select_related("proforma", "invoice")
        .first()
    )
    if settled is not None:
        by = settled.invoice.number or f"draft {settled.invoice_id}"
        raise Conflict(
            f"proforma {settled.proforma.number} is settled already by {by}",
            field=f"proforma_ids[{wanted.index(settled.proforma_id)}]",
        )
    return [found[pk] for pk in wanted]
