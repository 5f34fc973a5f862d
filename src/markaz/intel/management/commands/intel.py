"""`markaz intel reindex [--pending]`: read reports again and rebuild campaigns."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Q
from rich.progress import Progress

from markaz.intake.models import Report
from markaz.intel.services import reports_reindex


class Command(BaseCommand):
    help = "Indicators and campaigns: `reindex` reads every report again (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        reindex = sub.add_parser("reindex", help="extract indicators from reports again")
        reindex.add_argument(
            "--pending",
            action="store_true",
            help="only reports never indexed or whose indexing failed",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        reports = Report.objects.prefetch_related("suspect_identifiers").order_by("pk")
        if options["pending"]:
            reports = reports.filter(Q(intel_index__isnull=True) | Q(intel_index__failed=True))
        total = reports.count()
        with Progress(disable=options["verbosity"] == 0) as progress:
            task = progress.add_task("reports", total=total)

            def stream() -> Iterator[Report]:
                for report in reports.iterator(chunk_size=500):
                    yield report
                    progress.advance(task)

            count = reports_reindex(reports=stream(), actor=None)
        self.stdout.write(f"{count} reports indexed; campaigns rebuilt.")
