"""The conditions of a rule, and the first one an order fails, in words (F4.1, F4.3, F4.6).

A rule matches an order when every condition holds. They are checked in this
order, and the first that fails is the reason given: status, payment method,
delivery method, billing details, buyer country, business or consumer. ``None``
means any; delivery methods are the channel's own words, compared without case.

>>> from dataclasses import replace
>>> from decimal import Decimal as D
>>> from faktura.core.rules.facts import OrderFacts
>>> wants = Conditions(statuses=frozenset({OrderStatus.ACCEPTED}),
...                    payment_methods=frozenset({PaymentMethod.CARD, PaymentMethod.BANK_TRANSFER}))
>>> order = OrderFacts(OrderStatus.ACCEPTED, PaymentMethod.CASH_ON_DELIVERY, total=D("50.00"))
>>> first_failure(wants, order)
'payment method is cash_on_delivery, rule wants bank_transfer or card'
>>> first_failure(wants, replace(order, payment_method=PaymentMethod.CARD)) is None
True
>>> by_card = replace(order, payment_method=PaymentMethod.CARD)
>>> first_failure(replace(wants, billing_details=BillingDetails.ONLY_IF_ENTERED), by_card)
'only if billing details entered: buyer did not enter billing details'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from faktura.core.rules.facts import OrderFacts, OrderStatus, PaymentMethod

__all__ = ["BillingDetails", "BuyerKind", "Conditions", "either", "first_failure"]


class BillingDetails(StrEnum):
    """Seed 001: issue always, or only when the buyer entered billing details (F4.3)."""

    ALWAYS = "always"
    ONLY_IF_ENTERED = "only_if_entered"


class BuyerKind(StrEnum):
    ANY = "any"
    BUSINESS = "business"
    CONSUMER = "consumer"


@dataclass(frozen=True)
class Conditions:
    statuses: frozenset[OrderStatus]
    payment_methods: frozenset[PaymentMethod] | None = None
    delivery_methods: frozenset[str] | None = None
    billing_details: BillingDetails = BillingDetails.ALWAYS
    buyer_countries: frozenset[str] | None = None
    buyer_kind: BuyerKind = BuyerKind.ANY


def first_failure(conditions: Conditions, facts: OrderFacts) -> str | None:
    """Why ``facts`` fail ``conditions``, for the first condition that fails; None when all hold."""
    if facts.status not in conditions.statuses:
        return f"status is {facts.status}, rule wants {either(conditions.statuses)}"
    if conditions.payment_methods is not None and facts.payment_method not in conditions.payment_methods:
        return f"payment method is {facts.payment_method}, rule wants {either(conditions.payment_methods)}"
    wanted_delivery = conditions.delivery_methods
    if wanted_delivery is not None and facts.delivery_method.casefold() not in {d.casefold() for d in wanted_delivery}:
        has = (
            f"delivery method is {facts.delivery_method!r}" if facts.delivery_method else "order has no delivery method"
        )
        return f"{has}, rule wants {either(repr(d) for d in wanted_delivery)}"
    if conditions.billing_details == BillingDetails.ONLY_IF_ENTERED and not facts.billing_details_entered:
        return "only if billing details entered: buyer did not enter billing details"
    if conditions.buyer_countries is not None and facts.buyer_country.upper() not in conditions.buyer_countries:
        has = f"buyer country is {facts.buyer_country.upper()}" if facts.buyer_country else "buyer country is unknown"
        return f"{has}, rule wants {either(conditions.buyer_countries)}"
    if conditions.buyer_kind != BuyerKind.ANY:
        kind = BuyerKind.BUSINESS if facts.buyer_is_business else BuyerKind.CONSUMER
        if kind != conditions.buyer_kind:
            return f"buyer is a {kind}, rule wants a {conditions.buyer_kind}"
    return None


def either(values: Iterable[str]) -> str:
    """'a', 'a or b', 'a, b or c', sorted so that the sentence never changes between runs."""
    ordered = sorted(str(value) for value in values)
    return ordered[0] if len(ordered) == 1 else f"{', '.join(ordered[:-1])} or {ordered[-1]}"
