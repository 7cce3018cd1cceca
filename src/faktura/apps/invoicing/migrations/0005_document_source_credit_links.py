"""Where a document came from (built in, uploaded, external: F1) and which invoice line a credit line takes back.

On SQLite, adding a column rebuilds the table and drops its triggers: the
immutability guards are lifted first and reinstalled last (as in 0004).
"""

import importlib

from django.db import migrations, models

from faktura.platform import document_guards

GUARDS = importlib.import_module("faktura.apps.invoicing.migrations.0002_document_guards").SPEC


def lift_guards(apps, schema_editor):
    document_guards.uninstall(schema_editor, GUARDS)


def reinstall_guards(apps, schema_editor):
    document_guards.install(schema_editor, GUARDS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("invoicing", "0004_children_carry_organization"),
    ]

    operations = [
        migrations.RunPython(lift_guards, reinstall_guards),
        migrations.AddField(
            model_name="document",
            name="source",
            field=models.CharField(
                choices=[
                    ("built_in", "Issued by Faktura"),
                    ("uploaded", "Uploaded by hand"),
                    ("external", "Issued by an external system"),
                ],
                default="built_in",
                max_length=16,
            ),
        ),
        migrations.AddField(
            model_name="documentline",
            name="corrects_position",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="On a credit note: the position of the corrected invoice's line it takes back.",
                null=True,
            ),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["organization", "-id"], name="document_org_newest"),
        ),
        migrations.RunPython(reinstall_guards, lift_guards),
    ]
