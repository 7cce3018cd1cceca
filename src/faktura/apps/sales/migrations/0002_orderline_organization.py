"""Order lines carry their seller too (tenant isolation per table)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def organization_field(*, null):
    return models.ForeignKey(
        null=null, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="accounts.organization"
    )


def backfill(apps, schema_editor):
    OrderLine = apps.get_model("sales", "OrderLine")
    Order = apps.get_model("sales", "Order")
    owner = Order.objects.filter(pk=OuterRef("order_id")).values("organization_id")[:1]
    OrderLine.objects.filter(organization__isnull=True).update(organization_id=Subquery(owner))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("sales", "0001_initial"),
    ]

    operations = [
        migrations.AddField(model_name="orderline", name="organization", field=organization_field(null=True)),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(model_name="orderline", name="organization", field=organization_field(null=False)),
    ]
