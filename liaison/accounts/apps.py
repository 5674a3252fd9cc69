from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "liaison.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisation")

    def ready(self) -> None:
        from liaison.accounts import signals

        signals.connect()
