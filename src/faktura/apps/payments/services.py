"""Recording payments and keeping each document's payment state in step with them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Sum

from faktura.apps.audit.services import audit_record
from faktura.apps.invoicing.services import document_lock_for_payment, document_set_payment_state
from faktura.apps.payments.models import Payment, PaymentSource
from faktura.core.actors import Actor
from faktura.core.errors import InvalidValue
from faktura.core.money import Currency, quantize
from faktura.platform import fastsql
from faktura.platform.fastread import PreparedRead
from faktura.platform.transactions import atomic_with_retry

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization


# Every payment adds up its document's payments: compiled once per process (platform.fastread).
_PAID: PreparedRead[tuple[Decimal | None]] = PreparedRead(
    lambda organization_id, document_id: (
        Payment.objects.filter(organization_id=organization_id, document_id=document_id)
        .values("document_id")
        .annotate(total=Sum("amount"))
        .values_list("total")
    ),
    organization_id=int,
    document_id=int,
)


def payment_record(
    *,
    actor: Actor,
    organization: Organization,
    document_id: int,
    amount: Decimal,
    currency: str,
    received_on: dt.date,
    reference: str = "",
    method: str = "",
    source: PaymentSource | str = PaymentSource.MANUAL,
    note: str = "",
) -> Payment:
    """Record money received for a document (full, partial or more than due) and update its state."""
    currency_obj = Currency.parse(currency, field="currency")
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount == 0:
        raise InvalidValue("must be a non-zero decimal amount", field="amount")
    amount = quantize(amount, currency_obj)

    def record() -> Payment:
        document = document_lock_for_payment(organization=organization, document_id=document_id)
        if currency_obj.code != document.currency:
            raise InvalidValue(
                f"the document is in {document.currency}; record the amount received in {document.currency}",
                field="currency",
            )
        payment = fastsql.create(
            Payment(
                organization=organization,
                document_id=document.pk,
                order_id=document.order_id,
                amount=amount,
                currency=currency_obj.code,
                received_on=received_on,
                reference=reference[:140],
                method=method[:24],
                source=PaymentSource(source),
                note=note[:300],
                created_by=actor.ref,
            )
        )
        total = _PAID.first(organization_id=organization.pk, document_id=document.pk)
        paid = total[0] if total is not None and total[0] is not None else Decimal(0)
        document_set_payment_state(document=document, paid=paid)
        audit_record(
            organization=organization,
            actor=actor,
            action="payment.recorded",
            object_type="document",
            object_id=document.pk,
            data={"payment": payment.pk, "amount": str(amount), "currency": currency_obj.code, "ref": reference},
        )
        return payment

    return atomic_with_retry(record)
