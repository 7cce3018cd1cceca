from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "faktura.apps.accounts"
    label = "accounts"
    verbose_name = "Sellers and people"
