"""Writing many rows of a model at once: ``bulk_insert`` and ``bulk_update`` (ADR 0009).

``QuerySet.bulk_create``/``bulk_update`` build a model instance per row and compile one large
statement through the SQL compiler, preparing every value of every field on the way; for the
100,000-row imports that was more than half of the work. Here each row is a plain mapping of
attribute names to values; defaults, ``auto_now``/``auto_now_add`` timestamps and database
preparation are worked out once per column. The rows then travel the fastest way each database
offers:

* **SQLite**: one prepared statement run for every row (``executemany``);
* **PostgreSQL**: ``COPY ... FROM STDIN`` (with client-side binding, ``executemany`` would make
  the server parse and plan every row's statement again); updates copy into a temporary table
  and apply one ``UPDATE ... FROM``.

What ``save()`` would do and these do not: signals, ``full_clean()``, computed fields. The
database constraints still hold (a violation raises ``django.db.IntegrityError``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.db import connections, models, transaction
from django.utils import timezone

from naikkelas.core.data_version import is_tracked, note_data_change

# Field types whose values of the right Python type go to the driver unchanged.
_PASS_THROUGH = frozenset(
    {
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "EmailField",
        "IntegerField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallIntegerField",
        "TextField",
        "URLField",
    }
)

Converter = Callable[[Any], Any]
Row = Mapping[str, Any]


def _uuid_hex(value: Any) -> Any:
    return value.hex


def _converter(field: models.Field[Any, Any], connection: Any) -> Converter | None:
    """How to prepare a (non-None) value of ``field`` for the driver; ``None``: as it is."""
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    kind = target.get_internal_type()
    if kind in _PASS_THROUGH:
        return None
    if kind == "UUIDField":
        return None if connection.features.has_native_uuid_field else _uuid_hex

    def prepare(value: Any) -> Any:
        return field.get_db_prep_save(value, connection)

    return prepare


def _prepare(value: Any, convert: Converter | None) -> Any:
    return convert(value) if convert is not None and value is not None else value


def _write(
    connection: Any, sql: str, params: list[list[Any]], *, copy_sql: str | None = None
) -> None:
    """Run ``sql`` for every parameter row, or stream the rows through ``copy_sql``."""
    with connection.cursor() as cursor:
        if copy_sql is None:
            cursor.executemany(sql, params)
            return
        with connection.wrap_database_errors, cursor.cursor.copy(copy_sql) as copy:
            for values in params:
                copy.write_row(values)


def _noticed(model: type[models.Model]) -> None:
    """Bulk writes bypass model signals: tell the data version (``core.data_version``)."""
    if is_tracked(model):
        note_data_change()


def bulk_insert(model: type[models.Model], rows: Iterable[Row], *, using: str = "default") -> int:
    """Insert ``rows`` (``{attname: value}``; foreign keys as ``<name>_id``) into ``model``.

    Missing attributes take the field's default (callable defaults such as the primary key's
    are called per row); ``auto_now``/``auto_now_add`` fields not given get one timestamp for
    the whole call; an auto-increment primary key is left to the database. Returns the number
    of rows inserted.

    Raises:
        django.db.IntegrityError: a constraint refused a row (the caller's transaction decides
            what is rolled back).
    """
    connection = connections[using]
    now = timezone.now()
    fields = [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and isinstance(f, models.AutoField | models.BigAutoField))
    ]
    fillers: list[tuple[str, Callable[[], Any] | None, Any, Converter | None]] = []
    for field in fields:
        constant: Any = None
        make: Callable[[], Any] | None = None
        convert = _converter(field, connection)
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            is_date = not isinstance(field, models.DateTimeField)
            constant = now.date() if is_date else now
        elif field.has_default() and callable(field.default):
            make = field.default
        else:
            constant = field.get_default()
        fillers.append((field.attname, make, _prepare(constant, convert), convert))

    params: list[list[Any]] = []
    for row in rows:
        values = []
        for attname, make, constant, convert in fillers:
            if attname in row:
                values.append(_prepare(row[attname], convert))
            elif make is None:
                values.append(constant)  # prepared once, above
            else:
                values.append(_prepare(make(), convert))
        params.append(values)
    if not params:
        return 0
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    _write(
        connection,
        f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608 (names from the model)
        params,
        copy_sql=f"COPY {table} ({columns}) FROM STDIN"
        if connection.vendor == "postgresql"
        else None,
    )
    _noticed(model)
    return len(params)


def bulk_update(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Row],
    *,
    using: str = "default",
) -> int:
    """Set ``fields`` (names) of existing rows; each row maps the primary key's attname and
    the fields' attnames to values. ``auto_now`` fields are set to now. Returns the number of
    rows given (rows whose key does not exist change nothing).

    Raises:
        django.db.IntegrityError: a constraint refused a value.
    """
    connection = connections[using]
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    chosen = [meta.get_field(name) for name in fields]
    concrete = [f for f in chosen if isinstance(f, models.Field) and f.concrete]
    stamped = [
        f for f in meta.concrete_fields if getattr(f, "auto_now", False) and f not in concrete
    ]
    converters = [_converter(f, connection) for f in concrete]
    pk_convert = _converter(pk, connection)
    now = timezone.now()
    params = [
        [_prepare(row[f.attname], c) for f, c in zip(concrete, converters, strict=True)]
        + [_prepare(row[pk.attname], pk_convert)]
        for row in rows
    ]
    if not params:
        return 0
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    stamps = [(quote(f.column), f.get_db_prep_save(now, connection)) for f in stamped]
    if connection.vendor != "postgresql":
        assignments = [f"{quote(f.column)} = %s" for f in concrete]
        assignments += [f"{column} = %s" for column, _value in stamps]
        stamp_values = [value for _column, value in stamps]
        sql = f"UPDATE {table} SET {', '.join(assignments)} WHERE {quote(pk.column)} = %s"  # noqa: S608
        _write(connection, sql, [p[:-1] + stamp_values + p[-1:] for p in params])
        _noticed(model)
        return len(params)
    columns = [quote(f.column) for f in concrete] + [quote(pk.column)]
    temp = quote(f"bulk_update_{meta.db_table}")
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {temp} ON COMMIT DROP AS "  # noqa: S608
            f"SELECT {', '.join(columns)} FROM {table} WITH NO DATA"
        )
        _write(connection, "", params, copy_sql=f"COPY {temp} ({', '.join(columns)}) FROM STDIN")
        assignments = [f"{c} = u.{c}" for c in columns[:-1]]
        assignments += [f"{column} = %s" for column, _value in stamps]
        cursor.execute(
            f"UPDATE {table} AS t SET {', '.join(assignments)} FROM {temp} AS u "  # noqa: S608
            f"WHERE t.{quote(pk.column)} = u.{quote(pk.column)}",
            [value for _column, value in stamps],
        )
        cursor.execute(f"DROP TABLE {temp}")
        _noticed(model)
    return len(params)
