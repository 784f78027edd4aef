"""Kendala: obstacles owners bring to the government, triaged, answered and counted."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KendalaConfig(AppConfig):
    name = "naikkelas.kendala"
    label = "kendala"
    verbose_name = _("Kendala UMKM")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from naikkelas.core.daily import register_daily
        from naikkelas.kendala.services.privacy import erase_on_anonymise
        from naikkelas.privacy.signals import owner_anonymising

        owner_anonymising.connect(erase_on_anonymise, dispatch_uid="kendala-erase-person")
        register_daily("kendala.escalate", "naikkelas.kendala.tasks.kendala_escalate_task")
