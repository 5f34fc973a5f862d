"""`markaz demo`: a database to try Markaz with: staff accounts and synthetic reports.

Runs the migrations, creates one account per role (passwords generated on the first run
and kept in `<data dir>/demo-logins.txt`, mode 0600, so later runs print the same ones),
a partner account with an API token, and about 2,000 reports from the seeded generator in
`markaz.demo.generator`, written through the submission flow (`reports_submit`,
the path of `markaz import`) so references, status history and audit are the real ones.
Some reports are then moved along triage through the intake services, with the officer's
words from `markaz/demo/data/triage.json`. Running it again adds nothing; `--reset` starts
a demo database afresh.
"""

from __future__ import annotations

import os
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import IO, Any, cast

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.db import DatabaseError, connections
from django.utils import timezone
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from markaz.accounts.models import ApiToken
from markaz.accounts.roles import Role
from markaz.accounts.services import api_token_create, user_create
from markaz.demo.datafile import DATA_DIR, DataFile
from markaz.demo.generator import DemoReport, generate_reports
from markaz.flows.submission import reports_submit
from markaz.intake.choices import Channel, ReportStatus
from markaz.intake.models import Report
from markaz.intake.services import (
    ReportDraft,
    Submission,
    report_add_note,
    report_mark_duplicate,
    report_message_victim,
    report_set_status,
)

LOGINS_FILE = "demo-logins.txt"
URL = "http://127.0.0.1:8000"
TOKEN_KEY = "api-token"  # noqa: S105 - the name of a line in the logins file
# One account per role; the partner logs in to nothing, it has an API token.
ACCOUNTS: tuple[tuple[str, Role, str], ...] = (
    ("demo-intake", Role.INTAKE_OFFICER, "Zarina Karimova"),
    ("demo-investigator", Role.INVESTIGATOR, "Farhod Rahimov"),
    ("demo-analyst", Role.ANALYST, "Madina Saidova"),
    ("demo-supervisor", Role.SUPERVISOR, "Rustam Nazarov"),
    ("demo-admin", Role.ADMINISTRATOR, "Sino Hakimzoda"),
    ("demo-partner", Role.PARTNER, "Demo Bank"),
)
# Reports are written in batches: one commit per batch instead of one per report.
BATCH = 250

TRIAGE_FILE = DATA_DIR / "triage.json"


@dataclass(frozen=True, slots=True)
class TriageTexts:
    """What the demo intake officer writes: reasons to close, messages per language, notes."""

    close_reasons: tuple[str, ...]
    needs_information: dict[str, str]  # language -> message to the victim
    received_message: dict[str, str]
    notes: tuple[str, ...]


def triage_texts_read(path: Path) -> TriageTexts:
    """The texts in `path`, checked; a mistake raises DemoDataError naming file and key."""
    data = DataFile(path)
    keys = ("close_reasons", "needs_information", "received_message", "notes")
    root = data.mapping(data.content, "the file", keys, optional=("about",))
    messages = {
        key: {
            lang: data.text(text, f"{key}.{lang}")
            for lang, text in data.per_language(root[key], key).items()
        }
        for key in ("needs_information", "received_message")
    }
    return TriageTexts(
        close_reasons=data.texts(root["close_reasons"], "close_reasons"),
        needs_information=messages["needs_information"],
        received_message=messages["received_message"],
        notes=data.texts(root["notes"], "notes"),
    )


TRIAGE = triage_texts_read(TRIAGE_FILE)


class Command(BaseCommand):
    help = (
        "Create demo staff accounts and synthetic reports (for trying Markaz, never for real use)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reports", type=int, default=2000, help="how many reports (2000)")
        parser.add_argument("--seed", type=int, default=2026, help="generator seed (2026)")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="delete the demo SQLite database first and load everything again",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # _Out has what rich uses of a file (write, flush, isatty), not all of IO[str].
        out = cast("IO[str]", _Out(self.stdout))
        console = Console(file=out, highlight=False, soft_wrap=True)
        logins_path = Path(settings.DATA_DIR) / LOGINS_FILE
        if options["reset"]:
            _reset(console)
        call_command("migrate", interactive=False, verbosity=0)
        logins = _logins_read(logins_path)
        users = _accounts_ensure(logins)
        _token_ensure(logins, users["demo-partner"])
        _logins_write(logins_path, logins)

        existing = Report.objects.count()
        if existing:
            console.print(
                f"The database already holds {existing} reports: no demo reports added "
                "(use --reset to start the demo afresh)."
            )
        else:
            _reports_load(console, users, count=options["reports"], seed=options["seed"])
        _logins_print(console, logins, logins_path)


class _Out:
    """Lets rich write through Django's OutputWrapper (so call_command(stdout=...) works)."""

    def __init__(self, wrapper: OutputWrapper) -> None:
        self.wrapper = wrapper

    def write(self, text: str) -> int:
        self.wrapper.write(text, ending="")
        return len(text)

    def flush(self) -> None:
        self.wrapper.flush()

    def isatty(self) -> bool:
        return self.wrapper.isatty()


def _reset(console: Console) -> None:
    database = connections["default"].settings_dict
    if database["ENGINE"] != "django.db.backends.sqlite3":
        raise CommandError(
            "--reset only deletes the SQLite demo database; drop and recreate a PostgreSQL "
            "database yourself."
        )
    User = get_user_model()
    try:
        is_demo = User.objects.filter(username="demo-admin").exists()
    except DatabaseError:  # no tables yet: nothing to protect
        is_demo = True
    if not is_demo:
        raise CommandError(
            "This database has no demo accounts; --reset only clears a demo database."
        )
    connections.close_all()
    path = Path(database["NAME"])
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    console.print(f"Deleted {path}.")


def _logins_read(path: Path) -> dict[str, str]:
    logins: dict[str, str] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                name, _sep, secret = line.partition("\t")
                logins[name.strip()] = secret.strip()
    return logins


def _logins_write(path: Path, logins: dict[str, str]) -> None:
    lines = [
        "# Markaz demo logins, written by `markaz demo`. Demo only: never use them for real work.",
        *(f"{name}\t{secret}" for name, secret in logins.items()),
    ]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    path.chmod(0o600)


def _accounts_ensure(logins: dict[str, str]) -> dict[str, User]:
    users: dict[str, User] = {}
    for username, role, full_name in ACCOUNTS:
        user: User | None = User.objects.filter(username=username).first()
        password = logins.get(username)
        if user is None:
            password = password or secrets.token_urlsafe(12)
            user = user_create(
                username=username,
                password=password,
                roles=[role],
                actor=None,
                email=f"{username}@markaz.example",
                full_name=full_name,
            )
        elif password is None:
            # The accounts exist but the logins file was lost: give them new passwords.
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.save(update_fields=["password"])
        if role is Role.PARTNER:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            password = "(API token only)"  # noqa: S105 - shown in the table
        logins[username] = password
        users[username] = user
    return users


def _token_ensure(logins: dict[str, str], partner: User) -> None:
    token = logins.get(TOKEN_KEY, "")
    known = ApiToken.objects.filter(digest=ApiToken.digest_of(token), user_id=partner.pk)
    if token and known.exists():
        return
    logins[TOKEN_KEY] = api_token_create(user=partner, name="demo", actor=None)


def _reports_load(console: Console, users: dict[str, User], *, count: int, seed: int) -> None:
    intake = users["demo-intake"]
    partner = users["demo-partner"]
    drafts = generate_reports(count, seed=seed, until=timezone.now())
    stored: dict[int, tuple[Report, DemoReport]] = {}
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("Demo reports", total=count)
        batch: list[DemoReport] = []
        for item in drafts:
            batch.append(item)
            if len(batch) == BATCH:
                _batch_submit(batch, stored, intake, partner, seed)
                progress.advance(task, len(batch))
                batch = []
        if batch:
            _batch_submit(batch, stored, intake, partner, seed)
            progress.advance(task, len(batch))
        triage = progress.add_task("Triage", total=len(stored))
        _triage(stored, intake, random.Random(seed), lambda: progress.advance(triage))  # noqa: S311 - seeded on purpose
    console.print(f"Loaded {len(stored)} demo reports.")


def _batch_submit(
    batch: list[DemoReport],
    stored: dict[int, tuple[Report, DemoReport]],
    intake: User,
    partner: User,
    seed: int,
) -> None:
    # One transaction per batch: references, status rows, audit events, indicators,
    # sightings and campaigns for the whole batch at once (intake's batch path).
    submissions = []
    for item in batch:
        channel = Channel(item.channel)
        submitted_by = None
        external_id = ""
        if channel is Channel.PARTNER:
            submitted_by = partner
            external_id = f"demo-{seed}-{item.index}"
        elif channel in (Channel.PHONE, Channel.WALK_IN):
            submitted_by = intake
        submissions.append(
            Submission(
                draft=_draft(item),
                channel=channel,
                submitted_by=submitted_by,
                external_id=external_id,
                submitted_at=item.submitted_at,
            )
        )
    receipts = reports_submit(submissions=submissions)
    for item, receipt in zip(batch, receipts, strict=True):
        stored[item.index] = (receipt.report, item)


def _draft(item: DemoReport) -> ReportDraft:
    """What intake's submission takes of a demo report (the victim consented, of course)."""
    return ReportDraft(
        category=item.category,
        narrative=item.narrative,
        language=item.language,
        incident_at=item.incident_at,
        incident_time_approximate=item.incident_time_approximate,
        region=item.region,
        district=item.district,
        loss_amount=item.loss_amount,
        loss_currency=item.loss_currency,
        payment_method=item.payment_method,
        suspect_identifiers=list(item.suspect_identifiers),
        victim_name=item.victim_name,
        victim_phone=item.victim_phone,
        victim_email=item.victim_email,
        victim_age_band=item.victim_age_band,
        victim_gender=item.victim_gender,
        consent=True,
    )


def _triage(
    stored: dict[int, tuple[Report, DemoReport]],
    officer: User,
    rng: random.Random,
    tick: Callable[[], None],
) -> None:
    """Move reports along as an intake officer would have: older ones further."""
    recent = timezone.now() - timedelta(days=21)
    # Each move is its own act (its service owns the transaction), as when an officer works.
    for report, item in stored.values():
        if item.duplicate_of is not None and item.duplicate_of in stored:
            original = stored[item.duplicate_of][0]
            report_mark_duplicate(
                report=report,
                original=original,
                actor=officer,
                reason=f"Same victim, same story as {original.reference}.",
            )
        else:
            _triage_one(report, item, officer, rng, old=item.submitted_at < recent)
        tick()


def _triage_one(
    report: Report, item: DemoReport, officer: User, rng: random.Random, *, old: bool
) -> None:
    roll = rng.random()
    if not old:
        if roll < 0.2:
            report_set_status(
                report=report, status=ReportStatus.IN_TRIAGE, reason="", actor=officer
            )
        return
    if roll < 0.30:
        return  # still waiting
    report_set_status(report=report, status=ReportStatus.IN_TRIAGE, reason="", actor=officer)
    if roll < 0.40:
        report_set_status(
            report=report, status=ReportStatus.NEEDS_INFORMATION, reason="", actor=officer
        )
        report_message_victim(
            report=report, text=TRIAGE.needs_information[item.language], actor=officer
        )
    elif roll < 0.58:
        report_set_status(
            report=report,
            status=ReportStatus.CLOSED,
            reason=rng.choice(TRIAGE.close_reasons),
            actor=officer,
        )
    elif roll < 0.66:
        report_message_victim(
            report=report, text=TRIAGE.received_message[item.language], actor=officer
        )
    if rng.random() < 0.08:
        report_add_note(report=report, text=rng.choice(TRIAGE.notes), actor=officer)


def _logins_print(console: Console, logins: dict[str, str], path: Path) -> None:
    table = Table(title="Markaz demo logins", title_justify="left")
    table.add_column("Role")
    table.add_column("Login")
    table.add_column("Password")
    for username, role, _name in ACCOUNTS:
        table.add_row(role.value.replace("_", " "), username, logins.get(username, ""))
    console.print(table)
    console.print(f"Partner API token (demo-partner): {logins.get(TOKEN_KEY, '')}")
    console.print(f"Saved in {path} (only you can read it).")
    console.print(f"Open {URL} (staff pages: {URL}/accounts/login/).")
