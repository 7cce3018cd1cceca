"""A document's payment state, derived from what was paid against what is due (F10.1).

>>> from decimal import Decimal as D
>>> payment_state(payable=D("100.00"), paid=D("0")), payment_state(payable=D("100.00"), paid=D("40.00"))
(<PaymentState.UNPAID: 'unpaid'>, <PaymentState.PARTIALLY_PAID: 'partially_paid'>)
>>> payment_state(payable=D("100.00"), paid=D("100.00")), payment_state(payable=D("100.00"), paid=D("100.01"))
(<PaymentState.PAID: 'paid'>, <PaymentState.OVERPAID: 'overpaid'>)

A credit note's payable amount is negative: it is "paid" when the refund went out.

>>> payment_state(payable=D("-30.00"), paid=D("-30.00"))
<PaymentState.PAID: 'paid'>

Overdue is not a state of its own: an unpaid or partially paid document is
overdue once its due date has passed in the seller's time zone.

>>> from datetime import date
>>> is_overdue(PaymentState.PARTIALLY_PAID, due=date(2026, 3, 1), today=date(2026, 3, 2))
True
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum


class PaymentState(StrEnum):
    UNPAID = "unpaid"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    OVERPAID = "overpaid"


def payment_state(*, payable: Decimal, paid: Decimal) -> PaymentState:
    sign = -1 if payable < 0 else 1
    due, received = payable * sign, paid * sign
    if received <= 0:
        return PaymentState.PAID if due == 0 else PaymentState.UNPAID
    if received < due:
        return PaymentState.PARTIALLY_PAID
    if received == due:
        return PaymentState.PAID
    return PaymentState.OVERPAID


def is_overdue(state: PaymentState, *, due: date | None, today: date) -> bool:
    return due is not None and today > due and state in (PaymentState.UNPAID, PaymentState.PARTIALLY_PAID)
