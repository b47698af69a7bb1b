import getpass
import os

from django.core.management.base import BaseCommand, CommandError

from ramparts.core.errors import DomainError
from ramparts.core.users import user_create


class Command(BaseCommand):
    help = "Create an administrator. The password comes from a prompt or RAMPARTS_ADMIN_PASSWORD."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", default="")

    def handle(self, *args, username, email, **options):
        password = os.environ.get("RAMPARTS_ADMIN_PASSWORD")
        if not password:
            if not os.isatty(0):
                raise CommandError("No terminal to ask for a password: set RAMPARTS_ADMIN_PASSWORD.")
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords differ.")
        try:
            user = user_create(actor=None, username=username, email=email, password=password, role="admin")
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Administrator {user.username} created.")
