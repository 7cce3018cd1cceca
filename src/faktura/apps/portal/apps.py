from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "faktura.apps.portal"
    label = "portal"
    verbose_name = "Buyer portal"
