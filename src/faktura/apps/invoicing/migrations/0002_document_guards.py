"""Install the triggers that keep issued documents immutable (F2.3)."""

from django.db import migrations

from faktura.platform import document_guards

SPEC = document_guards.GuardSpec(
    document_table="invoicing_document",
    tombstone_table="invoicing_documentdeletion",
    immutable_columns=(
        "organization_id",
        "document_type",
        "is_test",
        "channel_id",
        "order_id",
        "buyer_id",
        "series_id",
        "number",
        "counter",
        "period",
        "issue_date",
        "supply_date",
        "due_date",
        "issued_at",
        "seller",
        "buyer_details",
        "buyer_name",
        "buyer_email",
        "buyer_vat_id",
        "order_number",
        "currency",
        "exchange_rate",
        "pricing_mode",
        "line_net_total",
        "allowance_total",
        "charge_total",
        "tax_exclusive",
        "tax_total",
        "tax_inclusive",
        "prepaid",
        "rounding",
        "payable",
        "language",
        "title",
        "note",
        "legal_notes",
        "corrected_document_id",
        "created_at",
    ),
    write_once_columns=("pdf_sha256",),
    children=(
        ("invoicing_documentline", "document_id"),
        ("invoicing_documentallowancecharge", "document_id"),
        ("invoicing_vatbreakdown", "document_id"),
        ("invoicing_proformasettlement", "invoice_id"),
    ),
)


def install(apps, schema_editor):
    document_guards.install(schema_editor, SPEC)


def uninstall(apps, schema_editor):
    document_guards.uninstall(schema_editor, SPEC)


class Migration(migrations.Migration):
    dependencies = [("invoicing", "0001_initial")]
    operations = [migrations.RunPython(install, uninstall)]
