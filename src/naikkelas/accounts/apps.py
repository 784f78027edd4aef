from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "naikkelas.accounts"
    label = "accounts"
    verbose_name = _("Akun")

    def ready(self) -> None:
        from naikkelas.accounts import signals

        signals.connect()
