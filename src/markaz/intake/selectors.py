"""Reads on reports that need no case: the victim's status look-up, the inbox's filters,
the audit of searches. Which reports staff may see is decided in
``markaz.cases.report_access`` (it depends on cases)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from markaz.audit.choices import AuditAction
from markaz.audit.services import audit_record
from markaz.intake.models import Report
from markaz.intake.services import status_code_matches


@dataclass
class InboxFilters:
    status: str = ""
    category: str = ""
    region: str = ""
    language: str = ""
    channel: str = ""
    date_from: date | None = None
    date_to: date | None = None
    loss_min: Decimal | None = None
    loss_max: Decimal | None = None
    text: str = ""

    def is_search(self) -> bool:
        return bool(self.text.strip())


def report_status_lookup(*, reference: str, status_code: str) -> Report | None:
    """The report for a victim's reference and secret code, or None for any mismatch."""
    report = Report.objects.filter(reference=reference.strip().upper()).first()
    if report is None or not status_code_matches(report=report, status_code=status_code):
        return None
    return report


def _local_day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def reports_filtered(reports: QuerySet[Report], filters: InboxFilters) -> QuerySet[Report]:
    """``reports`` (those a user may see) narrowed by the inbox's filters, newest first."""
    exact = {
        "status": filters.status,
        "category": filters.category,
        "region": filters.region,
        "language": filters.language,
        "channel": filters.channel,
    }
    reports = reports.filter(**{name: value for name, value in exact.items() if value})
    if filters.date_from:
        reports = reports.filter(submitted_at__gte=_local_day_start(filters.date_from))
    if filters.date_to:
        next_day = _local_day_start(filters.date_to) + timedelta(days=1)
        reports = reports.filter(submitted_at__lt=next_day)
    if filters.loss_min is not None:
        reports = reports.filter(loss_amount__gte=filters.loss_min)
    if filters.loss_max is not None:
        reports = reports.filter(loss_amount__lte=filters.loss_max)
    if filters.is_search():
        reports = _narrative_search(reports, filters.text.strip())
    return reports.order_by("-submitted_at", "-id")


def _search_words(text: str) -> list[str]:
    """The words of a search, as PostgreSQL's 'simple' parser cuts them: runs of letters and digits."""
    return re.findall(r"\w+", text)


def _narrative_search(reports: QuerySet[Report], text: str) -> QuerySet[Report]:
    """Reports whose narrative has, for every word searched, a word starting with it.

    The same rule on both databases: "мошен" finds "Мошенник", "телефон" finds
    "телефонро", but "шенник" finds nothing (no match inside a word). On PostgreSQL the
    match uses the GIN index report_narrative_search_idx (migration 0002).
    """
    words = _search_words(text)
    if not words:
        return reports
    if connection.vendor == "postgresql":
        # 'simple': no stemming, since reports mix Tajik, Russian and English. The words are
        # only letters and digits, so nothing typed can change the tsquery's syntax.
        vector = SearchVector("narrative", config="simple")
        raw = " & ".join(f"{word}:*" for word in words)
        query = SearchQuery(raw, config="simple", search_type="raw")
        return reports.annotate(search=vector).filter(search=query)
    for word in words:
        start_of_word = r"(^|\W)" + re.escape(word.casefold())
        reports = reports.filter(narrative_folded__regex=start_of_word)
    return reports


def inbox_record_search(*, user: User, filters: InboxFilters, count: int) -> None:
    """Searching narratives touches personal data: the search itself is audited."""
    audit_record(
        actor=user,
        action=AuditAction.REPORT_SEARCHED,
        extra={"text": filters.text[:200], "results": count},
    )


def reports_record_listing(
    *, user: User, reports: list[Report], filters: InboxFilters, count: int
) -> None:
    """A list that carries victims' details (the API's) records which reports it showed."""
    audit_record(
        actor=user,
        action=AuditAction.REPORT_SEARCHED if filters.is_search() else AuditAction.REPORT_LISTED,
        extra={
            "text": filters.text[:200],
            "results": count,
            "shown": [report.reference for report in reports],
        },
    )


def report_statuses_public(report: Report) -> dict[str, object]:
    """What the status page may show the victim: status, dates and staff messages, nothing else."""
    return {
        "reference": report.reference,
        "status": report.get_status_display(),
        "status_code": report.status,
        "submitted_at": report.submitted_at,
        "messages": list(report.victim_messages.values("text", "at")),
        "category": report.category_label,
        "time_zone": settings.TIME_ZONE,
    }
