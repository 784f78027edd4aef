from django.core.management.base import BaseCommand, CommandError, CommandParser

from naikkelas.accounts.models import User
from naikkelas.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for a user and print it once (only its hash is stored)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("name", help="what the token is for, e.g. 'laporan-bappeda'")

    def handle(self, *args: object, **options: str) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {options['username']!r}")
        _token, key = api_token_create(user=user, name=options["name"])
        self.stdout.write(key)
