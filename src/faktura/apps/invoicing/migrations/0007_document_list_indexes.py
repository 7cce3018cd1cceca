import django.db.models.functions.text
from django.db import migrations, models

from faktura.apps.invoicing import document_search

# Frozen: what the search covers as of this migration.
COLUMNS = ("number", "buyer_name", "buyer_email", "buyer_vat_id", "order_number")


def install_search(apps, schema_editor):
    document_search.install(schema_editor, COLUMNS)


def uninstall_search(apps, schema_editor):
    document_search.uninstall(schema_editor, COLUMNS)


class Migration(migrations.Migration):
    """Indexes of the document list, and its full-text search (PostgreSQL: pg_trgm and unaccent GIN
    expression indexes; SQLite: an FTS5 table kept by triggers). AddIndex never rebuilds the table,
    so the immutability triggers stay in place."""

    dependencies = [
        ("accounts", "0001_initial"),
        ("invoicing", "0006_document_document_buyer_email"),
        ("sales", "0003_order_events_modes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="document",
            index=models.Index(
                fields=["organization", "payment_state", "-issue_date", "-id"], name="document_org_state"
            ),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(
                fields=["organization", "document_type", "-issue_date", "-id"], name="document_org_type"
            ),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["organization", "channel", "-issue_date", "-id"], name="document_org_channel"),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(
                condition=models.Q(("payment_state__in", ("unpaid", "partially_paid")), ("status", "issued")),
                fields=["organization", "-issue_date", "-id"],
                name="document_org_open",
            ),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["organization", "number", "id"], name="document_org_number"),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["organization", "payable", "id"], name="document_org_payable"),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(
                models.F("organization"),
                django.db.models.functions.text.Lower("buyer_name"),
                models.F("id"),
                name="document_org_buyer_name",
            ),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["organization", "due_date", "id"], name="document_org_due"),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(
                condition=models.Q(("status", "draft")), fields=["organization", "-id"], name="document_org_drafts"
            ),
        ),
        migrations.RunPython(install_search, uninstall_search),
    ]
