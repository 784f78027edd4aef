"""``naikkelas manage linkage_index``: build the stored index of the online duplicate check."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from naikkelas.linkage.models import RegisterIndexState
from naikkelas.linkage.services.register_index import (
    IndexBuildRunningError,
    register_index_ready,
    register_index_rebuild,
    register_index_sync,
)


class Command(BaseCommand):
    help = (
        "Build the stored blocking index of the register (feature rows and key hashes) that "
        "the online duplicate check reads; --if-needed builds only when it is missing or was "
        "built by another release, else brings it up to date."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-needed", action="store_true", help="build only when stale")
        parser.add_argument("--status", action="store_true", help="show the state only")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["status"]:
            state = RegisterIndexState.objects.filter(pk=1).first()
            if state is None:
                self.stdout.write("no index")
            else:
                usable = "usable" if register_index_ready() else "stale (other release)"
                self.stdout.write(
                    f"{state.rows:,} businesses, built {state.built_at:%Y-%m-%d %H:%M}, "
                    f"synced to {state.synced_to:%Y-%m-%d %H:%M:%S}, {usable}"
                )
            return
        if options["if_needed"] and register_index_ready():
            changed = register_index_sync()
            self.stdout.write(f"index up to date ({changed or 0} rows refreshed)")
            return
        started = time.perf_counter()

        def progress(done: int) -> None:
            if options["verbosity"] > 1 and done % 100_000 < 2000:
                self.stdout.write(f"  {done:,}")

        try:
            rows = register_index_rebuild(progress=progress)
        except IndexBuildRunningError as error:
            raise CommandError(f"not started: {error}") from error
        self.stdout.write(
            f"index built: {rows:,} businesses in {time.perf_counter() - started:.1f} s"
        )
