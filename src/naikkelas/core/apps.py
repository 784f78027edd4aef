from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "naikkelas.core"
    label = "core"
    verbose_name = _("Inti")

    def ready(self) -> None:
        from naikkelas.core.data_version import connect_signals

        connect_signals()
