from __future__ import annotations

import getpass
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from markaz.accounts.roles import Role
from markaz.accounts.services import api_token_create, user_create


class Command(BaseCommand):
    help = "Create a staff or partner account with one or more roles (and optionally an API token)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--role",
            action="append",
            required=True,
            choices=[role.value for role in Role],
            help="Repeat for several roles.",
        )
        parser.add_argument("--email", default="")
        parser.add_argument("--name", default="", help="Full name")
        parser.add_argument(
            "--token", action="store_true", help="Also create and print an API token."
        )
        parser.add_argument(
            "--no-password",
            action="store_true",
            help="No password login (e.g. partner systems that use only a token).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password: str | None = None
        if not options["no_password"]:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords differ.")
            try:
                validate_password(password)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
        user = user_create(
            username=str(options["username"]),
            password=password,
            roles=[Role(r) for r in options["role"]],
            actor=None,
            email=str(options["email"]),
            full_name=str(options["name"]),
        )
        self.stdout.write(f"Created {user.get_username()}.")
        if options["token"]:
            token = api_token_create(user=user, name="created by createuser", actor=None)
            self.stdout.write(f"API token (shown once): {token}")
