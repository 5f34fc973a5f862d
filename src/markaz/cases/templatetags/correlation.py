"""Template helpers of the pages that show intel with cases: the inbox's match counts."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from markaz.cases.correlation import InboxMatch, inbox_matches
from markaz.intake.models import Report

register = template.Library()


@register.simple_tag
def inbox_matches_for(reports: Iterable[Report]) -> dict[int, InboxMatch]:
    """``{% inbox_matches_for page as matches %}``: one query for the whole page."""
    return inbox_matches(report_ids=[r.pk for r in reports])


@register.filter
def match_of(matches: dict[int, InboxMatch], report_id: int) -> InboxMatch | None:
    return matches.get(report_id)
