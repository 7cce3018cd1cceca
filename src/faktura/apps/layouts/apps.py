from django.apps import AppConfig


class LayoutsConfig(AppConfig):
    name = "faktura.apps.layouts"
    label = "layouts"
    verbose_name = "Document layouts"
