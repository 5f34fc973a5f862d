"""Indexes that every stored report and sighting pays for: none that another index already
serves (migrations intake 0003, intel 0003 and 0004 dropped them by name)."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def _index_columns(table: str) -> list[tuple[str, ...]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return [tuple(c["columns"]) for c in constraints.values() if c["index"] or c["unique"]]


def test_a_sighting_has_no_index_of_its_own_on_report_or_indicator():
    columns = _index_columns("intel_sighting")
    assert ("report_id",) not in columns
    assert ("indicator_id",) not in columns
    # What serves those lookups instead: indexes that begin with each column.
    assert ("report_id", "indicator_id") in columns
    assert ("indicator_id", "role") in columns


def test_a_report_has_no_index_on_status_alone():
    columns = _index_columns("intake_report")
    assert ("status",) not in columns
    assert ("status", "submitted_at") in columns  # report_inbox_idx begins with it


def test_a_campaign_has_no_index_on_victim_count_alone():
    columns = _index_columns("intel_campaign")
    assert ("victim_count",) not in columns
    assert ("victim_count", "loss_main", "id") in columns  # intel_campaign_rank begins with it
