from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "naikkelas.programs"
    label = "programs"
    verbose_name = _("Program dan bantuan")
    default_auto_field = "django.db.models.BigAutoField"
