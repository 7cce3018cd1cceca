"""Every row of a document or a series carries its seller too (tenant isolation per table).

The backfill rewrites lines of issued documents, which the immutability
triggers refuse; they are lifted for this migration and reinstalled at its end
(after the AlterFields, which on SQLite rebuild the tables and drop triggers).
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

from faktura.platform import document_guards

GUARDS = importlib.import_module("faktura.apps.invoicing.migrations.0002_document_guards").SPEC

# model -> (parent model, foreign key to it)
CHILDREN = {
    "seriescounter": ("Series", "series_id"),
    "seriespattern": ("Series", "series_id"),
    "documentline": ("Document", "document_id"),
    "documentallowancecharge": ("Document", "document_id"),
    "vatbreakdown": ("Document", "document_id"),
    "proformasettlement": ("Document", "invoice_id"),
}


def organization_field(*, null):
    return models.ForeignKey(
        null=null, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="accounts.organization"
    )


def lift_guards(apps, schema_editor):
    document_guards.uninstall(schema_editor, GUARDS)


def reinstall_guards(apps, schema_editor):
    # Last: on SQLite, AlterField rebuilds each table and drops its triggers.
    document_guards.install(schema_editor, GUARDS)


def backfill(apps, schema_editor):
    for name, (parent_name, link) in CHILDREN.items():
        model = apps.get_model("invoicing", name)
        parent = apps.get_model("invoicing", parent_name)
        owner = parent.objects.filter(pk=OuterRef(link)).values("organization_id")[:1]
        model.objects.filter(organization__isnull=True).update(organization_id=Subquery(owner))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("invoicing", "0003_series_history"),
    ]

    operations = [
        migrations.RunPython(lift_guards, reinstall_guards),
        *[
            migrations.AddField(model_name=name, name="organization", field=organization_field(null=True))
            for name in CHILDREN
        ],
        migrations.RunPython(backfill, migrations.RunPython.noop),
        *[
            migrations.AlterField(model_name=name, name="organization", field=organization_field(null=False))
            for name in CHILDREN
        ],
        migrations.RunPython(reinstall_guards, lift_guards),
    ]
