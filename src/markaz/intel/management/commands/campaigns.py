"""`markaz campaigns rebuild`: recompute every campaign from scratch."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from markaz.core.collector import collection_relaxed
from markaz.intel.services import campaigns_rebuild_all


class Command(BaseCommand):
    help = "Campaigns: `rebuild` recomputes the connected components of all reports."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("rebuild", help="recompute all campaigns (ids kept where unchanged)")

    def handle(self, *args: Any, **options: Any) -> None:
        with collection_relaxed():  # a set or a list per component: see markaz.core.collector
            count = campaigns_rebuild_all(actor=None)
        self.stdout.write(f"{count} campaigns.")
