from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "faktura.web"
    label = "web"
    verbose_name = "Seller web app"
