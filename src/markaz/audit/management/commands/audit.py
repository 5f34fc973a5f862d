"""markaz audit verify | checkpoint | public-key | prove: the tamper-evident audit log."""

from __future__ import annotations

import base64
import json
from argparse import ArgumentParser
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from markaz.audit import selectors
from markaz.audit.choices import AuditAction
from markaz.audit.services import AuditLogDamaged, audit_checkpoint, audit_record, tree_head_sign
from markaz.audit.signing import public_key, public_key_pem
from markaz.audit.verify import HeadToCheck, audit_verify


def _head_from_file(path: str) -> HeadToCheck:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        head = data.get("head", data) if isinstance(data, dict) else data
        return HeadToCheck(
            tree_size=int(head["tree_size"]),
            root_hash=str(head["root_hash"]),
            signed_at=datetime.fromisoformat(str(head["signed_at"]).replace("Z", "+00:00")),
            key_id=str(head["key_id"]),
            signature=base64.b64decode(head["signature"]),
            label=f"head from {path}",
        )
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise CommandError(f"{path}: not a tree head ({error})") from error


class Command(BaseCommand):
    help = "Verify, checkpoint and prove the tamper-evident audit log."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="recompute every event and check every signed head")
        verify.add_argument(
            "--head",
            action="append",
            default=[],
            metavar="FILE",
            help="also check a head kept outside the database (JSON from `checkpoint`)",
        )
        verify.add_argument(
            "--no-checkpoint",
            action="store_true",
            help="do not sign a new head after a clean verification",
        )
        verify.add_argument("--quiet", action="store_true", help="no progress bar")
        sub.add_parser("checkpoint", help="sign the current tree head and print it (JSON)")
        sub.add_parser("public-key", help="print the public key that signs tree heads (PEM)")
        prove = sub.add_parser("prove", help="print an inclusion or consistency proof (JSON)")
        prove.add_argument("--event", type=int, help="event id for an inclusion proof")
        prove.add_argument("--size", type=int, help="tree size for the inclusion proof")
        prove.add_argument("--from", dest="old_size", type=int, help="older tree size")
        prove.add_argument("--to", dest="new_size", type=int, help="newer tree size")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "verify":
            self._verify(options)
        elif action == "checkpoint":
            try:
                head = audit_checkpoint()
            except AuditLogDamaged as damage:
                raise CommandError(f"not signed: {damage}") from damage
            self._json(head.as_json())
        elif action == "public-key":
            self.stdout.write(public_key_pem(public_key(settings.MARKAZ_KEY_DIR)), ending="")
        elif action == "prove":
            self._prove(options)

    def _json(self, data: object) -> None:
        self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))

    def _prove(self, options: dict[str, Any]) -> None:
        try:
            if options["event"] is not None:
                data = selectors.audit_inclusion_proof(
                    event_id=options["event"], tree_size=options["size"]
                )
            elif options["old_size"] is not None and options["new_size"] is not None:
                data = selectors.audit_consistency_proof(
                    old_size=options["old_size"], new_size=options["new_size"]
                )
            else:
                raise CommandError("give --event ID [--size N], or --from SIZE --to SIZE")
        except selectors.ProofError as error:
            raise CommandError(str(error)) from error
        self._json(data)

    def _verify(self, options: dict[str, Any]) -> None:
        extra = [_head_from_file(path) for path in options["head"]]
        total = selectors.audit_tree_size()
        with Progress(
            TextColumn("verifying audit log"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            disable=options["quiet"] or options["verbosity"] == 0,
        ) as bar:
            task = bar.add_task("verify", total=total)
            step = max(total // 200, 1)

            def progress(done: int) -> None:
                if done % step == 0:
                    bar.update(task, completed=min(done, total))

            result = audit_verify(extra_heads=extra, progress=progress)
            bar.update(task, completed=result.tree_size, total=max(total, result.tree_size))

        first = result.first_problem
        with transaction.atomic():
            audit_record(
                actor=None,
                action=AuditAction.AUDIT_LOG_VERIFIED,
                extra={
                    "ok": result.ok,
                    "tree_size": result.tree_size,
                    "problems": len(result.problems),
                    "first_problem": str(first) if first else "",
                },
            )
        if first is not None:
            self.stderr.write(f"AUDIT LOG DAMAGED. First bad event: {first}")
            for problem in result.problems[1:]:
                self.stderr.write(f"  also: {problem}")
            raise CommandError(
                f"audit log verification failed ({len(result.problems)} problem(s))",
                returncode=2,
            )
        self.stdout.write(
            f"audit log OK: {result.tree_size} events, root {result.root_hash}, "
            f"{result.heads_checked} signed head(s) checked"
        )
        latest = selectors.audit_latest_head()
        if (
            not options["no_checkpoint"]
            and result.checker is not None
            and (latest is None or latest.tree_size < result.tree_size)
        ):
            head = tree_head_sign(result.checker)
            self.stdout.write(f"signed a new head at size {head.tree_size}")
