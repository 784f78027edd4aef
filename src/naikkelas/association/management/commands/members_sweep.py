"""``naikkelas manage members_sweep``: move members to the status today's date gives (the
worker does it daily by itself; this runs it now, e.g. after changing a type's grace period)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from naikkelas.association.services.memberships import members_sweep


class Command(BaseCommand):
    help = "Recompute every member's status from the dates (normally done daily by the worker)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="the date to judge by (YYYY-MM-DD); default today")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = date.fromisoformat(options["today"]) if options["today"] else None
        except ValueError as error:
            raise CommandError(f"--today: {error}") from error
        moved = members_sweep(today=today or timezone.localdate())
        total = sum(moved.values())
        detail = ", ".join(f"{status}: {n}" for status, n in sorted(moved.items()))
        self.stdout.write(f"{total} members moved" + (f" ({detail})" if detail else ""))
