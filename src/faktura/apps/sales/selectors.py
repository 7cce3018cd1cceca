"""Reads about channels, buyers and orders; every read names its organization."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from faktura.apps.sales.models import Buyer, Order, OrderEvent, OrderEventKind, SalesChannel

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization


def channels(*, organization: Organization) -> QuerySet[SalesChannel]:
    return SalesChannel.objects.for_organization(organization).order_by("name")


def order_get(*, organization: Organization, order_id: int) -> Order | None:
    return (
        Order.objects.for_organization(organization)
        .select_related("buyer", "channel")
        .prefetch_related("lines")
        .filter(pk=order_id)
        .first()
    )


def buyer_get(*, organization: Organization, buyer_id: int) -> Buyer | None:
    return Buyer.objects.for_organization(organization).filter(pk=buyer_id).first()


def channel_get(*, organization: Organization, channel_id: int) -> SalesChannel | None:
    return SalesChannel.objects.for_organization(organization).filter(pk=channel_id).first()


def order_refund_credits(*, organization: Organization, order_id: int) -> dict[int, str]:
    """Credit notes the rules issued for refunds of the order: document id -> refund id."""
    credits: dict[int, str] = {}
    outcomes = OrderEvent.objects.filter(organization=organization, order_id=order_id, kind=OrderEventKind.REFUNDED)
    for outcome in outcomes.values_list("outcome", flat=True):
        for document in (outcome or {}).get("documents", ()):
            if document.get("refund_id"):
                credits[document["id"]] = document["refund_id"]
    return credits
