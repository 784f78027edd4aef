from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldworkConfig(AppConfig):
    name = "naikkelas.fieldwork"
    label = "fieldwork"
    verbose_name = _("Pendataan lapangan")
    default_auto_field = "django.db.models.BigAutoField"
