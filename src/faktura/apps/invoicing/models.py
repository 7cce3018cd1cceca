"""Series, counters, documents and everything printed on them.

An issued document is immutable: the services never change it, and database
triggers (see ``faktura.platform.document_guards``) refuse any UPDATE of its
issued fields and any DELETE not announced by a ``DocumentDeletion`` row.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from faktura.core.documents import DocumentStatus, DocumentType
from faktura.core.payment_state import PaymentState
from faktura.platform.models import AmountField, QuantityField, RateField, TenantModel, choices_of

DOCUMENT_TYPE_CHOICES = choices_of(DocumentType, {"proforma": "Proforma invoice"})


class DocumentSource(models.TextChoices):
    """Who made the document: Faktura itself, or the seller's own system (F1 modes)."""

    BUILT_IN = "built_in", "Issued by Faktura"
    UPLOADED = "uploaded", "Uploaded by hand"
    EXTERNAL = "external", "Issued by an external system"


RESET_POLICY_CHOICES = [("yearly", "Every year"), ("monthly", "Every month"), ("never", "Never")]


class Series(TenantModel):
    """A numbering sequence for one channel (or all) and one document type."""

    channel = models.ForeignKey("sales.SalesChannel", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    document_type = models.CharField(max_length=16, choices=DOCUMENT_TYPE_CHOICES)
    name = models.CharField(max_length=100)
    pattern = models.CharField(max_length=64, help_text="Canonical braced pattern, e.g. FA{RRRR}{CCC}.")
    reset_policy = models.CharField(max_length=8, choices=RESET_POLICY_CHOICES, default="yearly")
    start_number = models.PositiveIntegerField(default=1)
    starts_on = models.DateField(
        help_text="The start number applies in the period holding this date; later periods start at 1."
    )
    reset_policy_since = models.DateField(
        null=True,
        blank=True,
        help_text="Day the reset policy last changed; numbers dated earlier cannot be issued in this series.",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return f"{self.name} ({self.pattern})"


class SeriesCounter(TenantModel):
    """The last number used in one period of one series, and its audit chain head.

    Issuing locks this row, so the audit event of the issue is chained here
    too: no second lock, and the chain order is the numbering order.
    """

    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="counters")
    period = models.CharField(max_length=16, help_text="'2026', '2026-03' or '-' (never resets).")
    is_test = models.BooleanField(default=False)
    value = models.PositiveIntegerField(default=0)
    chain_seq = models.PositiveBigIntegerField(default=0)
    chain_head = models.CharField(max_length=64, default="")
    retired = models.BooleanField(
        default=False, help_text="Left behind by a change of reset policy: never counts again."
    )

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("series", "period", "is_test"), name="series_counter_unique_period"),
        )

    def __str__(self) -> str:
        return f"{self.series_id}/{self.period}{' test' if self.is_test else ''}={self.value}"


class SeriesPattern(TenantModel):
    """Every pattern a series has had: numbers written with it exist for good, so a new
    pattern of any series of the seller is checked against all of them."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="pattern_history")
    pattern = models.CharField(max_length=64, help_text="Canonical braced pattern.")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (models.UniqueConstraint(fields=("series", "pattern"), name="series_pattern_unique"),)

    def __str__(self) -> str:
        return f"{self.series_id}: {self.pattern}"


class Document(TenantModel):
    document_type = models.CharField(max_length=16, choices=DOCUMENT_TYPE_CHOICES)
    status = models.CharField(max_length=16, choices=choices_of(DocumentStatus), default=DocumentStatus.DRAFT.value)
    source = models.CharField(max_length=16, choices=DocumentSource.choices, default=DocumentSource.BUILT_IN)
    is_test = models.BooleanField(default=False)
    channel = models.ForeignKey("sales.SalesChannel", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey("sales.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    buyer = models.ForeignKey("sales.Buyer", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    # Number (set once, at issue)
    series = models.ForeignKey(Series, null=True, blank=True, on_delete=models.PROTECT, related_name="documents")
    number = models.CharField(max_length=64, null=True, blank=True)
    counter = models.PositiveIntegerField(null=True, blank=True)
    period = models.CharField(max_length=16, blank=True)

    # Dates (BT-2 issue date, BT-72 actual delivery date, BT-9 due date)
    issue_date = models.DateField(null=True, blank=True)
    supply_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)

    # Parties, frozen at issue (art. 226 (5), (8), (9))
    seller = models.JSONField(default=dict, blank=True)
    buyer_details = models.JSONField(default=dict, blank=True)
    buyer_name = models.CharField(max_length=200, blank=True)
    buyer_email = models.EmailField(blank=True)
    buyer_vat_id = models.CharField(max_length=20, blank=True)
    order_number = models.CharField(max_length=100, blank=True)

    # Money
    currency = models.CharField(max_length=3)
    exchange_rate = models.DecimalField(
        max_digits=15, decimal_places=6, default=1, help_text="Units of accounting currency per 1 unit."
    )
    pricing_mode = models.CharField(max_length=8, default="net")
    line_net_total = AmountField(default=0)  # BT-106
    allowance_total = AmountField(default=0)  # BT-107
    charge_total = AmountField(default=0)  # BT-108
    tax_exclusive = AmountField(default=0)  # BT-109
    tax_total = AmountField(default=0)  # BT-110
    tax_inclusive = AmountField(default=0)  # BT-112
    prepaid = AmountField(default=0)  # BT-113
    rounding = AmountField(default=0)  # BT-114
    payable = AmountField(default=0)  # BT-115

    # Text
    language = models.CharField(max_length=8)
    title = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)
    legal_notes = models.JSONField(default=list, blank=True)

    # Links (F2.2)
    corrected_document = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="credit_notes"
    )

    # Life after issue: these may change on an issued document
    payment_state = models.CharField(max_length=16, choices=choices_of(PaymentState), default=PaymentState.UNPAID.value)
    amount_paid = AmountField(default=0)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)
    pdf = models.FileField(upload_to="documents/%Y/%m/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("organization", "number"),
                condition=Q(number__isnull=False),
                name="document_unique_number",
            ),
            models.UniqueConstraint(
                fields=("series", "period", "is_test", "counter"),
                condition=Q(counter__isnull=False),
                name="document_unique_counter",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(number__isnull=False) & Q(issue_date__isnull=False)),
                name="document_issued_has_number",
            ),
        )
        indexes = (
            models.Index(fields=("organization", "-issue_date", "-id"), name="document_org_issue_date"),
            models.Index(fields=("organization", "order"), name="document_org_order"),
            models.Index(fields=("organization", "-id"), name="document_org_newest"),
            # The buyer portal finds a buyer's documents of every seller by address (apps/portal)
            models.Index(Lower("buyer_email"), name="document_buyer_email"),
            # The document list (selectors.document_page): each filter with the default sort, and each sort.
            # Search indexes are made by migration 0007 (document_search.py), on a column the model does not know.
            models.Index(fields=("organization", "payment_state", "-issue_date", "-id"), name="document_org_state"),
            models.Index(fields=("organization", "document_type", "-issue_date", "-id"), name="document_org_type"),
            models.Index(fields=("organization", "channel", "-issue_date", "-id"), name="document_org_channel"),
            models.Index(
                fields=("organization", "-issue_date", "-id"),
                condition=Q(status="issued", payment_state__in=("unpaid", "partially_paid")),
                name="document_org_open",
            ),
            models.Index(fields=("organization", "-id"), condition=Q(status="draft"), name="document_org_drafts"),
            models.Index(fields=("organization", "number", "id"), name="document_org_number"),
            models.Index(fields=("organization", "payable", "id"), name="document_org_payable"),
            models.Index(F("organization"), Lower("buyer_name"), F("id"), name="document_org_buyer_name"),
            models.Index(fields=("organization", "due_date", "id"), name="document_org_due"),
        )

    def __str__(self) -> str:
        return self.number or f"draft {self.pk}"


class DocumentLine(TenantModel):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    sku = models.CharField(max_length=64, blank=True)
    barcode = models.CharField(max_length=32, blank=True)
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    quantity = QuantityField()
    unit = models.CharField(max_length=16, default="H87")
    unit_price = AmountField(help_text="As entered, in the document's pricing mode.")
    net_unit_price = models.DecimalField(max_digits=18, decimal_places=6)  # BT-146
    discount = AmountField(default=0)  # BT-136
    vat_category = models.CharField(max_length=16)
    vat_rate = RateField()
    net_amount = AmountField()  # BT-131
    corrects_position = models.PositiveIntegerField(
        null=True, blank=True, help_text="On a credit note: the position of the corrected invoice's line it takes back."
    )

    class Meta:
        ordering = ("position",)
        constraints = (models.UniqueConstraint(fields=("document", "position"), name="document_line_unique_position"),)

    def __str__(self) -> str:
        return self.name


class DocumentAllowanceCharge(TenantModel):
    """A document-level allowance (discount) or charge (shipping): BG-20 / BG-21."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="allowances_charges")
    position = models.PositiveIntegerField()
    is_charge = models.BooleanField()
    reason = models.CharField(max_length=200, blank=True)
    amount = AmountField(help_text="As entered, in the document's pricing mode.")
    net_amount = AmountField()  # BT-92 / BT-99
    vat_category = models.CharField(max_length=16)
    vat_rate = RateField()

    class Meta:
        ordering = ("position",)

    def __str__(self) -> str:
        return self.reason or ("charge" if self.is_charge else "allowance")


class VatBreakdown(TenantModel):
    """One row of the VAT breakdown (BG-23) per category and rate."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="vat_breakdown")
    vat_category = models.CharField(max_length=16)
    vat_rate = RateField()
    taxable_amount = AmountField()  # BT-116
    tax_amount = AmountField()  # BT-117

    class Meta:
        ordering = ("vat_category", "vat_rate")

    def __str__(self) -> str:
        return f"{self.vat_category} {self.vat_rate}%"


class ProformaSettlement(TenantModel):
    """A final invoice settles a paid proforma: the advance shows on it (F2.2)."""

    invoice = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="settled_proformas")
    proforma = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="settled_by")
    amount = AmountField()

    def __str__(self) -> str:
        return f"{self.invoice_id} settles {self.proforma_id}"


class DocumentDeletion(TenantModel):
    """Tombstone of a deleted issued document; its presence lets the trigger allow the DELETE."""

    document_id = models.BigIntegerField(unique=True)
    document_type = models.CharField(max_length=16)
    series = models.ForeignKey(Series, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(max_length=64)
    snapshot = models.JSONField()
    reason = models.CharField(max_length=300, blank=True)
    deleted_by = models.CharField(max_length=200)
    deleted_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"deleted {self.number}"
