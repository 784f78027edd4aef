from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    name = "naikkelas.linkage"
    label = "linkage"
    verbose_name = _("Pencocokan data ganda")

    def ready(self) -> None:
        from naikkelas.linkage.services.privacy import erase_on_anonymise
        from naikkelas.privacy.signals import owner_anonymising

        owner_anonymising.connect(erase_on_anonymise, dispatch_uid="linkage-erase-person")
