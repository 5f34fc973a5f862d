"""markaz.core.bulk: rows inserted without model instances read back as the ORM wrote them."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import psycopg
import pytest
from django.db import IntegrityError, connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from markaz.core.bulk import (
    BULK_ROWS,
    column_reader,
    rows_insert,
    statements_pipelined,
    value_converter,
)
from markaz.intel.indexing import rows_update
from markaz.intel.models import Campaign, Indicator

pytestmark = pytest.mark.django_db

MOMENTS = [
    datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC),
    datetime(2026, 3, 1, 9, 30, 15, tzinfo=ZoneInfo("Asia/Dushanbe")),
    datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=ZoneInfo("America/New_York")),
]


@pytest.mark.parametrize("moment", [*MOMENTS, None], ids=["utc", "dushanbe", "new-york", "none"])
def test_datetime_conversion_is_the_fields_own(moment):
    field = Indicator._meta.get_field("first_seen")
    convert = value_converter(field)
    assert convert is not None
    assert convert(moment) == field.get_db_prep_save(moment, connection)


def test_repeated_times_convert_as_the_field_converts_each():
    """One converter serves a whole column, in which times repeat, the same instant
    sometimes in another zone: every answer is still the field's own."""
    field = Indicator._meta.get_field("first_seen")
    convert = value_converter(field)
    same_instant = MOMENTS[0].astimezone(ZoneInfo("Asia/Dushanbe"))
    for moment in [*MOMENTS, MOMENTS[0], same_instant, MOMENTS[2], *MOMENTS]:
        assert convert(moment) == field.get_db_prep_save(moment, connection)


def test_text_and_numbers_need_no_conversion():
    assert value_converter(Indicator._meta.get_field("value")) is None
    assert value_converter(Indicator._meta.get_field("report_count")) is None


def test_inserted_rows_read_back_with_their_times_and_defaults():
    rows_insert(
        Indicator,
        ("kind", "value", "first_seen", "last_seen"),
        [("telegram", f"name{n}", moment, moment) for n, moment in enumerate(MOMENTS)],
    )
    stored = {i.value: i for i in Indicator.objects.all()}
    for n, moment in enumerate(MOMENTS):
        indicator = stored[f"name{n}"]
        assert indicator.first_seen == moment
        assert (indicator.report_count, indicator.warned) == (0, False)


def test_raw_reads_convert_as_the_orm_reads():
    """``column_reader``: what raw SQL gives back (SQLite: text for dates and decimals)
    becomes what a queryset gives."""
    campaign = Campaign.objects.create(
        created_at=MOMENTS[0],
        updated_at=MOMENTS[1],
        loss_main=Decimal("1234.50"),
        first_report_at=MOMENTS[2],
        last_report_at=None,
    )
    names = ("loss_main", "first_report_at", "last_report_at", "report_count")
    with connection.cursor() as cursor:
        columns = ", ".join(Campaign._meta.get_field(name).column for name in names)
        sql = f"SELECT {columns} FROM intel_campaign WHERE id = %s"  # noqa: S608 - model columns
        cursor.execute(sql, [campaign.pk])
        raw = cursor.fetchone()
    read = [column_reader(Campaign, name)(value) for name, value in zip(names, raw, strict=True)]
    assert read == list(Campaign.objects.filter(pk=campaign.pk).values_list(*names).get())
    assert read[:3] == [Decimal("1234.50"), MOMENTS[2], None]


def test_rows_that_do_not_match_the_columns_are_refused():
    with pytest.raises(ValueError, match="1 values for 2 columns"):
        rows_insert(Indicator, ("kind", "value"), [("phone",), ("email",)])
    with pytest.raises(ValueError):
        rows_insert(Indicator, ("kind", "value"), [("phone", "+992935551234"), ("email",)])
    assert not Indicator.objects.exists()


def test_pipelined_writes_are_seen_by_the_next_read_and_fail_as_djangos_errors():
    """``statements_pipelined``: a read in the block sees the writes queued before it; a
    failing write raises Django's own exception, and the transaction goes on after it."""
    row = ("telegram", "scam_shop", MOMENTS[0], MOMENTS[0])
    columns = ("kind", "value", "first_seen", "last_seen")
    with statements_pipelined():
        if connection.vendor == "postgresql":
            assert connection.connection.pgconn.pipeline_status  # really in pipeline mode
        rows_insert(Indicator, columns, [row])
        assert Indicator.objects.filter(value="scam_shop").count() == 1
    with pytest.raises(IntegrityError), transaction.atomic(), statements_pipelined():
        rows_insert(Indicator, columns, [row])  # (kind, value) is unique
    rows_insert(Indicator, columns, [("telegram", "other_shop", MOMENTS[1], MOMENTS[1])])
    assert set(Indicator.objects.values_list("value", flat=True)) == {"scam_shop", "other_shop"}


AWKWARD_TEXT = ["tab\there", "line\nbreak", "back\\slash", "quote ' \" end", "ҷ Ӯ ё €", "\\N", ""]


def _awkward_rows(count):
    return [
        (
            "telegram",
            f"{AWKWARD_TEXT[n % len(AWKWARD_TEXT)]} {n}",
            MOMENTS[n % len(MOMENTS)],
            MOMENTS[(n + 1) % len(MOMENTS)],
            n % 2 == 0,
        )
        for n in range(count)
    ]


@pytest.mark.parametrize("count", [1, BULK_ROWS], ids=["one-insert", "bulk"])
def test_rows_read_back_as_given_whichever_way_they_went_in(count, monkeypatch):
    """Text with tabs, line breaks, backslashes and COPY's own null marker, times in
    several zones: what a few rows (Django's INSERT) and many rows (COPY on PostgreSQL,
    sqlite3's own placeholders on SQLite) store."""
    copies = []
    if connection.vendor == "postgresql":
        original = psycopg.Cursor.copy
        monkeypatch.setattr(
            psycopg.Cursor,
            "copy",
            lambda self, *a, **k: copies.append(a) or original(self, *a, **k),
        )
    rows = _awkward_rows(count)
    with CaptureQueriesContext(connection) as through_django:
        rows_insert(Indicator, ("kind", "value", "first_seen", "last_seen", "warned"), rows)
    stored = set(
        Indicator.objects.values_list("kind", "value", "first_seen", "last_seen", "warned")
    )
    assert stored == set(rows)
    bulk = count >= BULK_ROWS
    assert len(copies) == (1 if bulk and connection.vendor == "postgresql" else 0)
    inserts = [q for q in through_django.captured_queries if "INSERT" in q["sql"]]
    assert len(inserts) == (0 if bulk else 1)


def test_a_bulk_load_that_breaks_a_constraint_fails_as_djangos_error_and_stores_nothing():
    columns = ("kind", "value", "first_seen", "last_seen", "warned")
    rows = _awkward_rows(BULK_ROWS)
    with pytest.raises(IntegrityError), transaction.atomic():
        rows_insert(Indicator, columns, [*rows, rows[0]])  # (kind, value) is unique
    assert not Indicator.objects.exists()
    rows_insert(Indicator, columns, rows)  # the connection is usable after it
    assert Indicator.objects.count() == BULK_ROWS


@pytest.mark.parametrize("returning", [(), ("value",)], ids=["written", "read-back"])
def test_many_rows_in_pipeline_mode_go_in_without_copy(returning):
    """PostgreSQL's pipeline mode has no COPY: inside it, many rows take one INSERT, and
    what it returns is read back (a result there exists only once fetched)."""
    rows = _awkward_rows(BULK_ROWS)
    with statements_pipelined():
        read = rows_insert(
            Indicator,
            ("kind", "value", "first_seen", "last_seen", "warned"),
            rows,
            returning=returning,
        )
        assert Indicator.objects.count() == BULK_ROWS
    assert sorted(read) == (sorted((row[1],) for row in rows) if returning else [])


@pytest.mark.parametrize("returning", [(), ("id",)], ids=["copy", "read-back"])
def test_a_bulk_load_in_a_broken_transaction_is_refused_as_djangos_inserts_are(returning):
    columns = ("kind", "value", "first_seen", "last_seen", "warned")
    with transaction.atomic():
        with pytest.raises(IntegrityError), transaction.atomic(savepoint=False):
            rows_insert(Indicator, columns, [*_awkward_rows(2), _awkward_rows(1)[0]])
        with pytest.raises(TransactionManagementError):
            rows_insert(Indicator, columns, _awkward_rows(BULK_ROWS), returning=returning)
        transaction.set_rollback(True)


def test_many_rows_read_back_store_what_was_given_outside_djangos_execute():
    """Rows read back (no COPY: it can neither skip a conflict nor return rows) go in
    bound server-side, in binary, on PostgreSQL, and through sqlite3's own placeholders on
    SQLite: text with tabs, breaks and backslashes and times in several zones are stored
    as given, and Django's cursor never sees the statement."""
    columns = ("kind", "value", "first_seen", "last_seen", "warned")
    rows = _awkward_rows(BULK_ROWS)
    with CaptureQueriesContext(connection) as through_django:
        read = rows_insert(Indicator, columns, rows, ignore_conflicts=True, returning=("value",))
    assert sorted(value for (value,) in read) == sorted(row[1] for row in rows)
    assert set(Indicator.objects.values_list(*columns)) == set(rows)
    assert not [q for q in through_django.captured_queries if "INSERT" in q["sql"]]


def test_a_bulk_insert_read_back_that_breaks_a_constraint_fails_as_djangos_error():
    columns = ("kind", "value", "first_seen", "last_seen", "warned")
    rows = _awkward_rows(BULK_ROWS)
    with pytest.raises(IntegrityError), transaction.atomic():
        rows_insert(Indicator, columns, [*rows, rows[0]], returning=("id",))
    assert not Indicator.objects.exists()


@pytest.mark.parametrize("count", [3, BULK_ROWS], ids=["few", "bulk"])
def test_locked_rows_are_updated_to_their_own_values(count):
    """``rows_update`` of locked rows (one statement of arrays on PostgreSQL, bound
    server-side from ``BULK_ROWS`` rows): each row gets its own values, no other row
    changes."""
    columns = ("kind", "value", "first_seen", "last_seen", "warned")
    rows_insert(Indicator, columns, _awkward_rows(count + 1))
    untouched = Indicator.objects.order_by("pk").last()
    indicators = list(Indicator.objects.select_for_update().order_by("pk")[:count])
    for n, indicator in enumerate(indicators):
        indicator.report_count = n + 7
        indicator.last_seen = MOMENTS[n % len(MOMENTS)]
    rows_update(Indicator, indicators, ["report_count", "last_seen"], locked=True)
    stored = {i.pk: (i.report_count, i.last_seen) for i in Indicator.objects.all()}
    assert stored == {
        **{i.pk: (i.report_count, i.last_seen) for i in indicators},
        untouched.pk: (untouched.report_count, untouched.last_seen),
    }


@pytest.mark.parametrize("count", [5, BULK_ROWS + 3], ids=["few", "bulk"])
def test_inserted_rows_are_read_back_and_skipped_ones_are_not(count):
    columns = ("kind", "value", "first_seen", "last_seen", "warned")
    rows_insert(Indicator, columns, _awkward_rows(3))
    read = rows_insert(
        Indicator, columns, _awkward_rows(count), ignore_conflicts=True, returning=("id", "value")
    )
    stored = dict(Indicator.objects.values_list("value", "id"))
    assert sorted(read, key=lambda row: row[0]) == [
        (stored[row[1]], row[1]) for row in _awkward_rows(count)[3:]
    ]
