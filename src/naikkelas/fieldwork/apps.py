from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldworkConfig(AppConfig):
    name = "naikkelas.fieldwork"
    label = "fieldwork"
    verbose_name = _("Pendataan lapangan")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from naikkelas.fieldwork.services.privacy import erase_on_anonymise
        from naikkelas.privacy.signals import owner_anonymising

        owner_anonymising.connect(erase_on_anonymise, dispatch_uid="fieldwork-erase-person")
