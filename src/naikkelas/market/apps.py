from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    name = "naikkelas.market"
    label = "market"
    verbose_name = _("Pemasaran dan produk")
    default_auto_field = "django.db.models.BigAutoField"
