from django.apps import AppConfig


class SalesConfig(AppConfig):
    name = "faktura.apps.sales"
    label = "sales"
    verbose_name = "Sales channels and orders"
