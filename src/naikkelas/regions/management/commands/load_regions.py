from django.core.management.base import BaseCommand

from naikkelas.regions.catalogue import CATALOGUE_VERSION
from naikkelas.regions.services import region_catalogue_load


class Command(BaseCommand):
    help = "Load the packaged Kemendagri kode wilayah (all Indonesia); safe to run again."

    def handle(self, *args: object, **options: object) -> None:
        changed = region_catalogue_load()
        self.stdout.write(
            f"Kode wilayah {CATALOGUE_VERSION}: {changed} region(s) added or renamed."
        )
