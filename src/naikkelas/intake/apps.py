from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "naikkelas.intake"
    label = "intake"
    verbose_name = _("Impor data")
