from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "faktura.apps.delivery"
    label = "delivery"
    verbose_name = "Delivery to buyers"
