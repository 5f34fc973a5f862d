"""markaz evidence verify: re-hash every sealed original against its recorded SHA-256."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from markaz.evidence.integrity import evidence_verify_all
from markaz.evidence.models import EvidenceItem


class Command(BaseCommand):
    help = "Check the evidence store: every original decrypted and re-hashed."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="decrypt and re-hash every stored original")
        verify.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        blobs = EvidenceItem.objects.exclude(sha256="").values_list("sha256", "size")
        total = sum(size or 0 for _sha256, size in blobs.distinct())
        with Progress(
            TextColumn("evidence"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            disable=options["quiet"],
        ) as progress:
            task = progress.add_task("verify", total=total)
            report = evidence_verify_all(progress=lambda n: progress.advance(task, n))
        for mismatch in report.mismatches:
            self.stderr.write(
                f"MISMATCH {mismatch.sha256}: {mismatch.problem} "
                f"(items {', '.join(mismatch.items)})"
            )
        if report.mismatches:
            raise CommandError(
                f"{len(report.mismatches)} of {report.blobs} stored original(s) do not match"
            )
        self.stdout.write(f"OK: {report.blobs} stored original(s), {report.bytes} bytes, all match")
