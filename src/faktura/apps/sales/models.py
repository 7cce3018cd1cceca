"""Sales channels, buyers, orders and their lines."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower

from faktura.core.rules import OrderStatus, PaymentMethod
from faktura.platform.models import AmountField, QuantityField, RateField, TenantModel, choices_of


class ChannelKind(models.TextChoices):
    OWN_SHOP = "own_shop", "Own e-shop"
    MARKETPLACE = "marketplace", "Marketplace"
    EBAY = "ebay", "eBay"
    CRM = "crm", "CRM"
    OTHER = "other", "Other"


class InvoicingMode(models.TextChoices):
    """F1.1: who issues the channel's documents."""

    BUILT_IN = "built_in", "Faktura issues them"
    EXTERNAL = "external", "An external invoicing system issues them"
    MANUAL_UPLOAD = "manual_upload", "The seller uploads them"


class SalesChannel(TenantModel):
    """Where orders come from; series and rules are set per channel."""

    code = models.SlugField(max_length=40, help_text="Short stable id, e.g. 'eshop' or 'ebay'.")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=16, choices=ChannelKind.choices, default=ChannelKind.OWN_SHOP)
    is_active = models.BooleanField(default=True)
    invoicing_mode = models.CharField(
        max_length=16, choices=InvoicingMode.choices, default=InvoicingMode.BUILT_IN, help_text="F1.1"
    )
    auto_issue = models.BooleanField(
        default=True, help_text="F1.2: the rules issue documents on their own; off, they only explain."
    )
    connector = models.CharField(
        max_length=40, blank=True, help_text="The registered connector whose requirements orders must meet (F4.4)."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (models.UniqueConstraint(fields=("organization", "code"), name="channel_unique_code"),)

    def __str__(self) -> str:
        return self.name


class Buyer(TenantModel):
    """A customer of one seller; documents keep their own snapshot of it."""

    email = models.EmailField(blank=True)
    name = models.CharField(max_length=200)
    is_business = models.BooleanField(default=False)
    vat_id = models.CharField(max_length=20, blank=True)
    registration_number = models.CharField(max_length=40, blank=True)
    street = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    region = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=2)
    language = models.CharField(max_length=8, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = (
            models.Index(fields=("organization", "email"), name="buyer_org_email"),
            # The buyer portal finds a buyer's orders at every seller by address (apps/portal)
            models.Index(Lower("email"), name="buyer_email_lower"),
        )

    def __str__(self) -> str:
        return self.name


class PricingMode(models.TextChoices):
    NET = "net", "Prices without VAT"
    GROSS = "gross", "Prices with VAT"


class Order(TenantModel):
    channel = models.ForeignKey(SalesChannel, on_delete=models.PROTECT, related_name="orders")
    external_id = models.CharField(max_length=100, help_text="The order's id in its channel.")
    number = models.CharField(max_length=100, help_text="The order number the buyer sees.")
    buyer = models.ForeignKey(Buyer, null=True, blank=True, on_delete=models.PROTECT, related_name="orders")
    billing_details_entered = models.BooleanField(
        default=False, help_text="The buyer filled in billing details themselves (F4.3)."
    )
    billing_address = models.JSONField(default=dict, blank=True)
    shipping_address = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=choices_of(OrderStatus), default=OrderStatus.NEW.value)
    payment_method = models.CharField(
        max_length=24, choices=choices_of(PaymentMethod, {"paypal": "PayPal"}), default=PaymentMethod.OTHER.value
    )
    delivery_method = models.CharField(max_length=40, blank=True)
    currency = models.CharField(max_length=3)
    pricing_mode = models.CharField(max_length=8, choices=PricingMode.choices, default=PricingMode.GROSS)
    shipping_amount = AmountField(default=0)
    shipping_vat_category = models.CharField(max_length=16, default="standard")
    shipping_vat_rate = RateField(default=0)
    placed_at = models.DateTimeField()
    source_updated_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the channel last changed the order, as its newest snapshot said: an older one is stale.",
    )
    total = AmountField(default=0, help_text="What the buyer pays, with VAT, in the order's currency.")
    amount_paid = AmountField(default=0, help_text="Money the channel or the seller reported received.")
    amount_refunded = AmountField(default=0, help_text="Money the channel or the seller reported given back.")
    errors = models.JSONField(
        default=list, blank=True, help_text="Why the order could not be invoiced: [{code, message, field, source}]."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("organization", "channel", "external_id"), name="order_unique_external_id"),
        )
        indexes = (
            models.Index(fields=("organization", "-placed_at"), name="order_org_placed"),
            models.Index(fields=("organization", "-id"), name="order_org_id"),
        )

    def __str__(self) -> str:
        return f"#{self.number}"


class OrderLine(TenantModel):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    sku = models.CharField(max_length=64, blank=True)
    barcode = models.CharField(max_length=32, blank=True)
    name = models.CharField(max_length=300)
    quantity = QuantityField()
    unit = models.CharField(max_length=16, default="H87", help_text="UN/ECE Rec. 20 unit code (H87 = piece).")
    unit_price = AmountField(help_text="Net or gross, as the order's pricing mode says.")
    vat_category = models.CharField(max_length=16, default="standard")
    vat_rate = RateField()
    discount = AmountField(default=0, help_text="Line discount amount, same pricing mode as the price.")

    class Meta:
        ordering = ("position",)
        constraints = (models.UniqueConstraint(fields=("order", "position"), name="order_line_unique_position"),)

    def __str__(self) -> str:
        return self.name


class OrderEventKind(models.TextChoices):
    CREATED = "created", "Order received"
    UPDATED = "updated", "Order changed"
    STATUS_CHANGED = "status_changed", "Status changed"
    PAYMENT_RECORDED = "payment_recorded", "Payment recorded"
    REFUNDED = "refunded", "Refunded"
    STALE = "stale", "Older snapshot ignored"
    RULES_RUN = "rules_run", "Rules run again"


class OrderEvent(TenantModel):
    """One entry of an order's timeline: what happened, and what the rules did about it.

    ``event_id`` is the sender's id of the delivery; a second delivery of an id
    (per channel) finds this row and gets its ``outcome`` back without any effect.
    """

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    channel = models.ForeignKey(SalesChannel, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=OrderEventKind.choices)
    event_id = models.CharField(max_length=200, null=True, blank=True)
    source = models.CharField(max_length=16, default="api", help_text="api, webhook, document, cli, system")
    data = models.JSONField(default=dict, blank=True)
    outcome = models.JSONField(default=dict, blank=True, help_text="Issued documents, skipped rules, errors.")
    received_at = models.DateTimeField()

    class Meta:
        ordering = ("received_at", "id")
        constraints = (
            models.UniqueConstraint(
                fields=("organization", "channel", "event_id"),
                condition=models.Q(event_id__isnull=False),
                name="order_event_unique_event_id",
            ),
        )
        indexes = (models.Index(fields=("order", "received_at"), name="order_event_order_at"),)

    def __str__(self) -> str:
        return f"{self.kind} {self.event_id or self.pk}"
