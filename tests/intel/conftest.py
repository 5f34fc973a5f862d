"""Helpers for intel tests: reports made through intake's service, so the hook runs."""

from __future__ import annotations

import pytest

from markaz.intel.models import CampaignMember, Indicator
from tests.factories import report_submitted


def submit(*identifiers: tuple[str, str], narrative: str = "Пул гирифтанд.", **fields: object):
    """A report naming ``identifiers`` as the suspect's (no narrative indicators by default)."""
    fields.setdefault("victim_phone", "")
    return report_submitted(suspect_identifiers=list(identifiers), narrative=narrative, **fields)


def campaign_of(report) -> int | None:
    member = CampaignMember.objects.filter(report=report).first()
    return member.campaign_id if member else None


def indicator(kind: str, value: str) -> Indicator:
    return Indicator.objects.get(kind=kind, value=value)


@pytest.fixture
def guard_limit(settings):
    settings.MARKAZ_INTEL_GUARD_REPORTS = 3
    return 3
