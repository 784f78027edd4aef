from django.core.management.base import BaseCommand

from naikkelas.registry.services import sector_catalogue_load


class Command(BaseCommand):
    help = "Load the packaged sector list (fesyen, kriya, kuliner, … with KBLI); safe to run again."

    def handle(self, *args: object, **options: object) -> None:
        changed = sector_catalogue_load()
        self.stdout.write(f"Sektor: {changed} row(s) added or changed.")
