from django.apps import AppConfig


class InvoicingConfig(AppConfig):
    name = "faktura.apps.invoicing"
    label = "invoicing"
    verbose_name = "Invoicing"
