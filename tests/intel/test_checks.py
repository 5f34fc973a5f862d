"""The database check: PostgreSQL without autovacuum is named at migrate and check time."""

from __future__ import annotations

import pytest
from django.core.checks import Warning as CheckWarning
from django.core.checks import run_checks
from django.db import connection

from markaz.intel.checks import AUTOVACUUM_OFF, autovacuum_on

pytestmark = pytest.mark.django_db


def _server_runs_autovacuum() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('autovacuum'), current_setting('track_counts')")
        return cursor.fetchone() == ("on", "on")


def test_the_check_runs_with_the_database_checks_only():
    ids = [m.id for m in run_checks(databases=["default"])]
    expected = connection.vendor == "postgresql" and not _server_runs_autovacuum()
    assert (AUTOVACUUM_OFF in ids) == expected
    assert AUTOVACUUM_OFF not in [m.id for m in run_checks()]  # no database asked: no query


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL server setting")
def test_postgresql_without_autovacuum_is_warned_about_and_with_it_not():
    messages = autovacuum_on(databases=["default"])
    if _server_runs_autovacuum():
        assert messages == []
    else:
        [warning] = messages
        assert isinstance(warning, CheckWarning)
        assert warning.id == AUTOVACUUM_OFF
        assert "VACUUM ANALYZE" in warning.hint


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite has no autovacuum daemon")
def test_sqlite_is_not_warned_about():
    assert autovacuum_on(databases=["default"]) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL server setting")
def test_statistics_switched_off_for_the_session_are_warned_about_whatever_the_server():
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL track_counts = off")  # undone with the test's transaction
    [warning] = autovacuum_on(databases=["default"])
    assert warning.id == AUTOVACUUM_OFF
    assert "track_counts=off" in warning.msg
