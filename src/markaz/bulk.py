"""Inserting many rows at once without a model instance per row (bulk imports).

Framework-level: imports no app, so intake, intel and audit can all use it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db import connection
from django.db.models import Field, Model

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
) -> None:
    """Insert rows given as tuples of the ``columns``' values (attnames, e.g. ``report_id``).

    For the thousands of rows of a bulk import (sightings, indicators, status rows, audit
    events): ``bulk_create`` builds a model instance per row and passes every value through
    its field and the SQL compiler, which costs several times the database's own work. Here only values that need it are
    converted by their field (dates, JSON); text, numbers and booleans go as they are.
    Fields not named take their default. No ids are read back. Values go in as given: a
    model's ``save``, its field defaults for named columns and signals are not involved.
    """
    if not rows:
        return
    opts = model._meta
    named = [opts.get_field(name) for name in columns]
    rest = [f for f in opts.concrete_fields if not f.primary_key and f not in named]
    fields = [*named, *rest]
    defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
    converters = [_converter(field) for field in named]
    prepared = [
        tuple(v if c is None else c(v) for v, c in zip(row, converters, strict=True)) + defaults
        for row in rows
    ]
    quote = connection.ops.quote_name
    head = "INSERT INTO {} ({}) VALUES ".format(  # noqa: S608 - names from the model
        quote(opts.db_table), ", ".join(quote(f.column) for f in fields)
    )
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    tail = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    size = max(1, (connection.features.max_query_params or 10_000) // len(fields))
    with connection.cursor() as cursor:
        for start in range(0, len(prepared), size):
            chunk = prepared[start : start + size]
            cursor.execute(
                head + ", ".join([one] * len(chunk)) + tail,
                [value for row in chunk for value in row],
            )


def _converter(field: Field) -> Callable[[object], object] | None:
    target = field.target_field if field.is_relation else field  # type: ignore[attr-defined]
    kind = target.get_internal_type()
    if kind in _AS_IS:
        return None
    if kind != "DateTimeField":
        return lambda value: field.get_db_prep_save(value, connection)
    memo: dict[object, object] = {}  # a batch repeats its few distinct times many times

    def convert(value: object) -> object:
        try:
            return memo[value]
        except KeyError:
            memo[value] = converted = field.get_db_prep_save(value, connection)
            return converted

    return convert
