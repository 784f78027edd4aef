"""The association (Hipmikindo): membership built on the register."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssociationConfig(AppConfig):
    name = "naikkelas.association"
    label = "association"
    verbose_name = _("Asosiasi (Hipmikindo)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from naikkelas.core.daily import register_daily

        register_daily(
            "association.members_sweep", "naikkelas.association.tasks.members_sweep_task"
        )
        register_daily(
            "association.renewal_reminders", "naikkelas.association.tasks.renewal_reminders_task"
        )
