from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "faktura.apps.payments"
    label = "payments"
    verbose_name = "Payments"
