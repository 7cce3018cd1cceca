from django.apps import AppConfig


class AutomationConfig(AppConfig):
    name = "faktura.apps.automation"
    label = "automation"
    verbose_name = "Issuing rules"
