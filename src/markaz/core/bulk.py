"""Inserting many rows at once without a model instance per row (bulk imports).

Framework-level: imports no app, so intake, intel and audit can all use it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from itertools import chain
from typing import Any, Protocol

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, NotSupportedError, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model
from django.db.models.fields.related import RelatedField

# Types both databases take from Python as they are: no conversion per value.
_AS_IS = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "IntegerField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallIntegerField",
        "TextField",
    }
)


def rows_insert(
    model: type[Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    ignore_conflicts: bool = False,
    returning: Sequence[str] = (),
) -> list[tuple[object, ...]]:
    """Insert rows given as tuples of the ``columns``' values (attnames, e.g. ``report_id``).

    For the thousands of rows of a bulk import (sightings, indicators, status rows, audit
    events): ``bulk_create`` builds a model instance per row and passes every value through
    its field and the SQL compiler, which costs several times the database's own work.
    Here only values that need it are converted by their field (dates, JSON); text,
    numbers and booleans go as they are.
    Fields not named take their default. Values go in as given: a model's ``save``, its
    field defaults for named columns and signals are not involved.

    ``returning``: columns to read back from the rows inserted (with ``ignore_conflicts``,
    only from those not skipped), as raw database values, in no particular order; only
    where ``connection.features.can_return_rows_from_bulk_insert``. Nothing is read back
    otherwise.
    """
    if not rows:
        return []
    if returning and not connection.features.can_return_rows_from_bulk_insert:
        raise NotSupportedError("this database cannot return rows from a bulk insert")
    named = [column_field(model, name) for name in columns]
    rest = [f for f in model._meta.concrete_fields if not f.primary_key and f not in named]
    fields = [*named, *rest]
    values = _column_values(named, rest, rows)
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(column_name(f)) for f in fields)
    if not returning and _copy_ok(fields, rows, ignore_conflicts):
        _rows_copy(f"COPY {table} ({names}) FROM STDIN", values)
        return []
    head = f"INSERT INTO {table} ({names}) "  # noqa: S608 - names from the model
    tail = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    if returning:
        read = (quote(column_name(column_field(model, name))) for name in returning)
        tail += " RETURNING " + ", ".join(read)
    if _unnest_ok(fields):
        return _rows_unnest(head, tail, fields, values, len(rows), fetch=bool(returning))
    return _rows_values(head, tail, values, len(rows), fetch=bool(returning))


def _column_values(
    named: list[Field[Any, Any]], rest: list[Field[Any, Any]], rows: Sequence[Sequence[object]]
) -> list[list[object]]:
    """The rows as one list per column, as the database takes them: the named columns'
    values converted where their field needs it, then the other fields' defaults."""
    # Column by column: a converter runs over one column's values, defaults repeat, and
    # PostgreSQL takes the columns as they are (a value-by-value pass per row cost more).
    defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
    values = [list(column) for column in zip(*rows, strict=True)]
    if len(values) != len(named):
        raise ValueError(f"rows of {len(values)} values for {len(named)} columns")
    for index, field in enumerate(named):
        convert = value_converter(field)
        if convert is not None:
            values[index] = [convert(value) for value in values[index]]
    values += [[default] * len(rows) for default in defaults]
    return values


def _rows_copy(sql: str, values: list[list[object]]) -> None:
    """PostgreSQL, many rows: COPY, the server's bulk load, its rows formatted by psycopg
    in C. What COPY cannot do (skip a conflict, return rows) goes as UNNEST arrays
    (arrays_execute: in binary from BULK_ROWS rows). Straight to psycopg: Django's query
    log and execute wrappers never see it."""
    with connection.cursor() as cursor:
        connection.validate_no_broken_transaction()  # as Django's execute does
        with connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
            for row in zip(*values, strict=True):
                copy.write_row(row)


def _rows_unnest(
    head: str,
    tail: str,
    fields: list[Field[Any, Any]],
    values: list[list[object]],
    count: int,
    *,
    fetch: bool,
) -> list[tuple[object, ...]]:
    """PostgreSQL: one array per column, as Django's own bulk insert does there: a VALUES
    list of thousands of parameters costs more to send and to plan."""
    arrays = ", ".join(f"(%s)::{column_type(f)}[]" for f in fields)
    sql = f"{head}SELECT * FROM UNNEST({arrays}){tail}"  # noqa: S608 - types from the model
    read: list[tuple[object, ...]] = []
    for start in range(0, count, UNNEST_ROWS):
        chunk = [column[start : start + UNNEST_ROWS] for column in values]
        read.extend(arrays_execute(sql, chunk, fetch=fetch))
    return read


def _rows_values(
    head: str, tail: str, values: list[list[object]], count: int, *, fetch: bool
) -> list[tuple[object, ...]]:
    """Elsewhere (SQLite; PostgreSQL for a field UNNEST cannot take): VALUES lists."""
    read: list[tuple[object, ...]] = []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite" and count >= BULK_ROWS:
            # SQLite, many rows: straight to sqlite3, in its own placeholders. Django's
            # execute rewrites each %s of the SQL into ? by a regular expression over
            # the whole text (about 1 µs a row), then logs it: like COPY, its query log
            # and execute wrappers don't see these statements.
            raw = connection.connection.cursor()
            for sql, params in _values_statements(head, tail, values, count, "?"):
                connection.validate_no_broken_transaction()  # as Django's execute does
                with connection.wrap_database_errors:
                    raw.execute(sql, params)
                if fetch:
                    read.extend(raw.fetchall())
            return read
        for sql, params in _values_statements(head, tail, values, count, "%s"):
            # django-stubs' parameter types leave out the adapter objects Django's own
            # fields hand to execute (a JSONField's psycopg Jsonb, for one).
            cursor.execute(sql, params)  # type: ignore[arg-type]
            if fetch:
                read.extend(cursor.fetchall())
    return read


def _values_statements(
    head: str, tail: str, values: list[list[object]], count: int, placeholder: str
) -> Iterator[tuple[str, list[object]]]:
    """INSERT ... VALUES statements of as many rows as the database takes parameters."""
    one = "(" + ", ".join([placeholder] * len(values)) + ")"
    # Every full chunk is the same statement: sqlite3 prepares it once and reuses it.
    size = max(1, (connection.features.max_query_params or 10_000) // len(values))
    for start in range(0, count, size):
        chunk = [column[start : start + size] for column in values]
        rows = min(size, count - start)
        yield (
            head + "VALUES " + ", ".join([one] * rows) + tail,
            list(chain.from_iterable(zip(*chunk, strict=True))),
        )


def arrays_execute(
    sql: str, arrays: list[list[object]], *, fetch: bool = False
) -> list[tuple[object, ...]]:
    """Run a PostgreSQL statement whose parameters are one array per column (``%s`` each,
    cast to its type in ``sql``): the rows it returns with ``fetch``, else [] (in
    pipeline mode a result is there only once fetched, so the caller says).

    Many rows (``BULK_ROWS``) leave Django's cursor: it binds client-side, so psycopg
    writes each array out as a quoted literal, value by value in Python, and the server
    parses it again. Bound server-side, in binary, the same 1,500 indicator rows cost
    2.5 ms of CPU against 13.3. Like COPY, Django's query log and execute wrappers don't
    see these statements; fewer rows (a single report's) stay where tests count them.
    """
    rows = len(arrays[0]) if arrays else 0
    if rows < BULK_ROWS:
        with connection.cursor() as cursor:
            cursor.execute(sql, arrays)
            return cursor.fetchall() if fetch else []
    import psycopg

    connection.ensure_connection()
    connection.validate_no_broken_transaction()  # as Django's execute does
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql.replace("%s", "%b"), arrays)
        return cursor.fetchall() if fetch else []


UNNEST_ROWS = 5000
# Rows from which a bulk insert leaves Django's execute: COPY on PostgreSQL (below it, one
# INSERT costs less than a COPY's two round trips, and a single report's writes stay
# pipelined), sqlite3's own placeholders on SQLite. A single report's statements stay
# where tests count them.
BULK_ROWS = 100


def _copy_ok(fields: list[Field[Any, Any]], rows: Sequence[object], ignore_conflicts: bool) -> bool:
    """Whether these rows go in by COPY: PostgreSQL, many rows, nothing to skip (COPY has
    no ON CONFLICT) or read back, and not in pipeline mode (which has no COPY)."""
    if len(rows) < BULK_ROWS or ignore_conflicts or not _unnest_ok(fields):
        return False
    from psycopg.pq import PipelineStatus

    connection.ensure_connection()  # no cursor is open yet to have connected
    status: PipelineStatus = connection.connection.pgconn.pipeline_status
    return status == PipelineStatus.OFF


class RowValues(Protocol):
    """A row to write: a model instance, or anything with its fields' attributes."""

    @property
    def pk(self) -> object: ...


def rows_update(
    model: type[Model], objects: Sequence[RowValues], fields: list[str], *, locked: bool = False
) -> None:
    """Write ``fields`` of many rows in one executemany: Django's ``bulk_update`` builds a
    CASE per field and row, which costs more in Python than the update itself.

    ``objects``: model instances, or anything with the fields' attributes and ``pk``.

    ``locked``: this transaction already holds the rows' locks (``select_for_update``), so
    the order in which they are written cannot deadlock; PostgreSQL then writes them all in
    one statement (one array per column) instead of one statement per row.
    """
    if not objects:
        return
    opts = model._meta
    quote = connection.ops.quote_name
    columns = [column_field(model, name) for name in fields]
    converters = [value_converter(column) or as_is for column in columns]
    rows = [
        [
            convert(getattr(obj, column.attname))
            for column, convert in zip(columns, converters, strict=True)
        ]
        + [obj.pk]
        for obj in objects
    ]
    names = [quote(column_name(column)) for column in [*columns, opts.pk]]
    if locked and connection.vendor == "postgresql":
        types = [column_type(column) for column in [*columns, opts.pk]]
        sets = ", ".join(f"{name} = v.{name}" for name in names[:-1])
        arrays = ", ".join(f"(%s)::{db_type}[]" for db_type in types)
        sql = (
            f"UPDATE {quote(opts.db_table)} AS t SET {sets} "  # noqa: S608 - from the model
            f"FROM UNNEST({arrays}) AS v({', '.join(names)}) WHERE t.{names[-1]} = v.{names[-1]}"
        )
        arrays_execute(sql, [list(column) for column in zip(*rows, strict=True)])
        return
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608 - names from the model
        quote(opts.db_table), ", ".join(f"{name} = %s" for name in names[:-1]), names[-1]
    )
    with connection.cursor() as cursor:
        # The values are what their fields' converters made of them (value_converter):
        # values the driver takes, beyond what the stubs' parameter type lists.
        cursor.executemany(sql, rows)  # type: ignore[arg-type]


def _unnest_ok(fields: list[Field[Any, Any]]) -> bool:
    """Whether PostgreSQL's UNNEST insert takes these fields (Django's own conditions)."""
    return connection.vendor == "postgresql" and not any(
        hasattr(f, "get_placeholder")
        or _value_field(f).get_internal_type() not in connection.data_types
        for f in fields
    )


def column_field(model: type[Model], name: str) -> Field[Any, Any]:
    """The field of ``model`` named ``name`` (or its attname, ``report_id``), which must be
    one of its table's columns: not a reverse relation or a many-to-many."""
    field = model._meta.get_field(name)
    if not isinstance(field, Field) or not field.concrete:
        raise ValueError(f"{model._meta.label}.{name} is not a column")
    return field


def column_name(field: Field[Any, Any]) -> str:
    """The column a concrete field is stored in."""
    if field.column is None:
        raise ValueError(f"{field} has no column")
    return field.column


def column_type(field: Field[Any, Any]) -> str:
    """The database type of a field's column without its size (``varchar``, not
    ``varchar(64)``): what an array of its values is cast to."""
    db_type = field.db_type(connection)
    if db_type is None:
        raise ValueError(f"{field} has no column type")
    return db_type.split("(")[0]


def _value_field(field: Field[Any, Any]) -> Field[Any, Any]:
    """The field whose type a column's values have: a foreign key's target, else itself."""
    return field.target_field if isinstance(field, RelatedField) else field


def value_converter(field: Field[Any, Any]) -> Callable[[object], object] | None:
    """What turns a Python value of ``field`` into its database value; None: nothing to do.

    Made once per statement, for the thousands of values of one column: the database
    connection is looked up once (``django.db.connection`` is a proxy that looks it up per
    attribute), and an aware datetime goes straight to the backend's adapter, which is
    what ``get_db_prep_save`` ends in for one (its other steps leave such a value as it
    is). Anything else goes through the field. A test holds both to the field's answers.
    """
    kind = _value_field(field).get_internal_type()
    if kind in _AS_IS:
        return None
    wrapper: BaseDatabaseWrapper = connections[DEFAULT_DB_ALIAS]
    if kind != "DateTimeField":
        return lambda value: field.get_db_prep_save(value, wrapper)
    adapt = _datetime_adapter(wrapper)

    def convert(value: object) -> object:
        if isinstance(value, datetime) and value.tzinfo is not None:
            return adapt(value)
        return field.get_db_prep_save(value, wrapper)

    return convert


def _datetime_adapter(wrapper: BaseDatabaseWrapper) -> Callable[[datetime], object]:
    """What the backend makes of an aware datetime."""
    if wrapper.vendor != "sqlite" or not settings.USE_TZ:
        return wrapper.ops.adapt_datetimefield_value
    zone = wrapper.timezone
    # A column's times repeat (every sighting of a report is seen when it was
    # submitted): each is written out once. Equal instants give the same text.
    texts: dict[datetime, str] = {}

    def adapt(value: datetime) -> object:
        # Django's SQLite adapter for an aware value: naive in the connection's zone,
        # as text (its make_naive and is_aware checks cost more than the work).
        text = texts.get(value)
        if text is None:
            text = texts[value] = str(value.astimezone(zone).replace(tzinfo=None))
        return text

    return adapt


def column_reader(model: type[Model], name: str) -> Callable[[object], object]:
    """What turns a value of ``model``'s field ``name`` read by raw SQL into what the ORM
    would give (SQLite hands back dates and decimals as text): the backend's converters,
    then the field's own, as Django's compiler applies them to a queryset's rows."""
    field = column_field(model, name)
    column = field.get_col(model._meta.db_table)
    wrapper: BaseDatabaseWrapper = connections[DEFAULT_DB_ALIAS]
    converters = wrapper.ops.get_db_converters(column) + field.get_db_converters(wrapper)
    if not converters:
        return as_is

    def read(value: object) -> object:
        for converter in converters:
            value = converter(value, column, wrapper)
        return value

    return read


def as_is(value: object) -> object:
    """A column's value that needs no conversion."""
    return value


@contextmanager
def statements_pipelined() -> Iterator[None]:
    """Send the block's statements to PostgreSQL without waiting for each one's answer
    (psycopg's pipeline mode): writes queue up and go with the next read, or at the end of
    the block, in one round trip. An error surfaces at that read or at the end of the
    block, as Django's own exception. Elsewhere (SQLite: no round trips) the block runs as
    it is.

    Not for every block: inside it a statement's row count is unknown (-1), so
    ``QuerySet.update`` and ``delete`` return no real counts and ``Model.save`` of a stored
    row would try to insert it again (an IntegrityError); nor can it read through a
    server-side cursor (``QuerySet.iterator``).
    """
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    with connection.wrap_database_errors, connection.connection.pipeline():
        yield


def ids_reserve(model: type[Model], count: int) -> list[int]:
    """The ids the next ``count`` rows of ``model`` would get, ascending, taken now.

    For rows whose id is needed before they are inserted (an audit event's hash covers
    its id) or that ``rows_insert`` inserts with their id. PostgreSQL: from the table's
    sequence (each id handed out once, whoever else inserts). SQLite: after the highest
    id AUTOINCREMENT ever handed out; call it inside a transaction, which on SQLite holds
    the database's one write lock (BEGIN IMMEDIATE) until it ends.
    """
    if count <= 0:
        return []
    table = model._meta.db_table
    column = column_name(model._meta.pk)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
        if connection.vendor == "sqlite":
            quote = connection.ops.quote_name
            highest = (
                "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "  # noqa: S608 - the model's table
                f"coalesce((SELECT max({quote(column)}) FROM {quote(table)}), 0))"
            )
            cursor.execute(highest, [table])
            last = cursor.fetchone()[0]
            return list(range(last + 1, last + count + 1))
    raise NotImplementedError(f"no id reservation for {connection.vendor}")


def instances_mark_stored(objects: Sequence[Model]) -> None:
    """Mark model instances whose rows ``rows_insert`` wrote (with their ids) as stored, as
    ``bulk_create`` marks its own: later ORM calls then update them instead of inserting."""
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias
