"""``naikkelas manage kendala_escalate``: mark overdue kendala and e-mail the officers."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from naikkelas.kendala.services import kendala_escalate_overdue


class Command(BaseCommand):
    help = (
        "Escalate open kendala whose target date has passed (each once per missed target) and "
        "e-mail the users who manage kendala. Run daily, e.g. from cron."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="the date to judge by (YYYY-MM-DD); default today")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = date.fromisoformat(options["today"]) if options["today"] else None
        except ValueError as error:
            raise CommandError(f"--today: {error}") from error
        count = kendala_escalate_overdue(today=today or timezone.localdate())
        self.stdout.write(f"{count} kendala escalated")
