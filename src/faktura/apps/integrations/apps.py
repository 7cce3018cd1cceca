from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "faktura.apps.integrations"
    label = "integrations"
    verbose_name = "Integrations"
