from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "foodcommons.accounts"
    label = "accounts"
    verbose_name = "Accounts"
