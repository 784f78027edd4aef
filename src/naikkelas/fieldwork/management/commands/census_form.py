"""``naikkelas manage census_form``: publish the census form for ODK Collect (a new version
only when it changed), or write it out as an XLSForm spreadsheet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from pyxform.errors import PyXFormError

from naikkelas.fieldwork.services.forms import (
    census_form_definition,
    census_form_publish,
    definition_xlsx_write,
)


class Command(BaseCommand):
    help = "Publish the census form (pendataan_umkm) for ODK Collect, or write it as XLSForm."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--xlsx", metavar="PATH", help="write the XLSForm spreadsheet here")
        parser.add_argument(
            "--no-validate", action="store_true", help="skip ODK Validate (needs Java)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["xlsx"]:
            path = Path(options["xlsx"])
            definition_xlsx_write(census_form_definition(version="draft"), path)
            self.stdout.write(f"XLSForm written to {path}")
            return
        try:
            form, new = census_form_publish(actor=None, validate=not options["no_validate"])
        except (PyXFormError, OSError) as error:
            raise CommandError(f"form not published: {error}") from error
        state = "published" if new else "unchanged"
        self.stdout.write(f"{form.form_id} version {form.version} {state} (md5 {form.md5})")
