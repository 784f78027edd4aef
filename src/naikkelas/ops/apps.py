from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "naikkelas.ops"
    label = "ops"
    verbose_name = _("Operasi")
    default_auto_field = "django.db.models.BigAutoField"
