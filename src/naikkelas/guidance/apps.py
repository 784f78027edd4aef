from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_rules(sender: Any, **kwargs: Any) -> None:
    from django.apps import apps as installed_apps

    from naikkelas.guidance.services.rules import rules_sync_packaged

    try:  # the migrated state lacks the table when guidance was just unapplied (to zero)
        (kwargs.get("apps") or installed_apps).get_model("guidance", "GuidanceRule")
    except LookupError:
        return

    rules_sync_packaged(using=kwargs.get("using", "default"))


class GuidanceConfig(AppConfig):
    name = "naikkelas.guidance"
    label = "guidance"
    verbose_name = _("Panduan perizinan dan pajak")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The packaged rule base is copied into versioned rows after every migrate.
        post_migrate.connect(_sync_rules, sender=self, dispatch_uid="guidance-sync-rules")
