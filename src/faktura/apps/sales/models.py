"""Sales channels, buyers, orders and their lines."""

from __future__ import annotations

from django.db import models

from faktura.core.rules import OrderStatus, PaymentMethod
from faktura.platform.models import AmountField, QuantityField, RateField, TenantModel, choices_of


class ChannelKind(models.TextChoices):
    OWN_SHOP = "own_shop", "Own e-shop"
    MARKETPLACE = "marketplace", "Marketplace"
    EBAY = "ebay", "eBay"
    CRM = "crm", "CRM"
    OTHER = "other", "Other"


class SalesChannel(TenantModel):
    """Where orders come from; series and rules are set per channel."""

    code = models.SlugField(max_length=40, help_text="Short stable id, e.g. 'eshop' or 'ebay'.")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=16, choices=ChannelKind.choices, default=ChannelKind.OWN_SHOP)
    is_active = models.BooleanField(default=True)
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
        indexes = (models.Index(fields=("organization", "email"), name="buyer_org_email"),)

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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("organization", "channel", "external_id"), name="order_unique_external_id"),
        )
        indexes = (models.Index(fields=("organization", "-placed_at"), name="order_org_placed"),)

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
