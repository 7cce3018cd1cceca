from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "faktura.apps.exports"
    label = "exports"
    verbose_name = "Bulk downloads and exports"
