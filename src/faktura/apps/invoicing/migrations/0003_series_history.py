"""Series settings history (F3): every pattern a series had, and what a reset policy change left behind."""

import django.db.models.deletion
from django.db import migrations, models


def record_current_patterns(apps, schema_editor):
    Series = apps.get_model("invoicing", "Series")
    SeriesPattern = apps.get_model("invoicing", "SeriesPattern")
    SeriesPattern.objects.bulk_create(
        SeriesPattern(series_id=pk, pattern=pattern) for pk, pattern in Series.objects.values_list("pk", "pattern")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("invoicing", "0002_document_guards"),
    ]

    operations = [
        migrations.AddField(
            model_name="series",
            name="reset_policy_since",
            field=models.DateField(
                blank=True,
                help_text="Day the reset policy last changed; numbers dated earlier cannot be issued in this series.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="seriescounter",
            name="retired",
            field=models.BooleanField(
                default=False, help_text="Left behind by a change of reset policy: never counts again."
            ),
        ),
        migrations.CreateModel(
            name="SeriesPattern",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("pattern", models.CharField(help_text="Canonical braced pattern.", max_length=64)),
                ("added_at", models.DateTimeField(auto_now_add=True)),
                (
                    "series",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="pattern_history",
                        to="invoicing.series",
                    ),
                ),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("series", "pattern"), name="series_pattern_unique")],
            },
        ),
        migrations.RunPython(record_current_patterns, migrations.RunPython.noop),
    ]
