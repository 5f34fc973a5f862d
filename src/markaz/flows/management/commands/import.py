"""`markaz import reports FILE`: bulk import of reports (CSV or JSON Lines; docs/import.md)."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from markaz.accounts.roles import Role
from markaz.accounts.services import user_create
from markaz.flows.imports import (
    BATCH,
    ImportFileError,
    records_count,
    rejects_path,
    reports_import,
    workers_default,
)

IMPORT_USER = "markaz-import"
# Test hook: block inside batch N's transaction, before it commits, so that a test can
# kill the process there and check that a restart loses and duplicates nothing.
HANG_ENV = "MARKAZ_IMPORT_HANG_IN_BATCH"


class Command(BaseCommand):
    help = "Import reports from a CSV or JSON Lines file (idempotent by external id, resumable)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        reports = sub.add_parser("reports", help="reports, one per row (docs/import.md)")
        reports.add_argument("file", type=Path)
        reports.add_argument(
            "--as",
            dest="username",
            default="",
            help=f"the submitting account (external ids are unique per account); "
            f"default: {IMPORT_USER}, created without a password",
        )
        reports.add_argument("--batch-size", type=int, default=BATCH)
        reports.add_argument(
            "--workers",
            type=int,
            default=workers_default(),
            help="processes that validate rows while this one stores them (0: none); "
            f"default: one per core but one, at most 4 (here {workers_default()})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        submitter = _submitter(options["username"])
        console = Console(file=sys.stderr, quiet=options["verbosity"] == 0)
        hang = int(os.environ.get(HANG_ENV, "0") or 0)

        def before_commit(number: int) -> None:
            if number == hang:
                sys.stdout.write(f"hanging in batch {number}\n")
                sys.stdout.flush()
                threading.Event().wait()

        columns = (
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        try:
            total = records_count(path)
            with Progress(*columns, console=console, disable=options["verbosity"] == 0) as bar:
                task = bar.add_task(f"Importing {path.name}", total=total)
                result = reports_import(
                    path,
                    submitted_by=submitter,
                    batch_size=max(1, options["batch_size"]),
                    progress=lambda n: bar.advance(task, n),
                    before_commit=before_commit if hang else None,
                    workers=max(0, options["workers"]),
                )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        for rejected in result.rejected[:20]:
            self.stderr.write(f"line {rejected.line}: {rejected.reason}")
        if len(result.rejected) > 20:
            self.stderr.write(f"... and {len(result.rejected) - 20} more")
        self.stdout.write(
            f"{result.imported} reports imported, {result.skipped} already stored, "
            f"{len(result.rejected)} rejected"
            + (f" (see {rejects_path(path)})" if result.rejected else "")
            + f"; submitter {submitter.get_username()}, channel partner."
        )


def _submitter(username: str) -> User:
    if username:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no account {username!r}")
        return user
    user = User.objects.filter(username=IMPORT_USER).first()
    if user is None:
        user = user_create(
            username=IMPORT_USER,
            password=None,
            roles=[Role.PARTNER],
            actor=None,
            full_name="Bulk import",
        )
    return user
