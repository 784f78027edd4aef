"""Insert many rows of a model with one prepared statement (``executemany``).

``QuerySet.bulk_create`` builds a model instance per row and then compiles one multi-row
``INSERT`` through the SQL compiler, preparing every value of every field on the way. For the
100,000-row imports that is more than half of the work. Here each row is a plain mapping of
attribute names to values; the fields' defaults, ``auto_now``/``auto_now_add`` timestamps and
database preparation are worked out once per column, and the same statement is executed for
every row (SQLite reuses the prepared statement; psycopg pipelines it).

What ``bulk_create`` would do and this does not: send signals (``bulk_create`` does not either),
call ``save()`` or ``full_clean()``. Database constraints still hold; the caller validates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db import connections, models
from django.utils import timezone

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


def _uuid_hex(value: Any) -> Any:
    return value.hex if value is not None else None


def _converter(field: models.Field[Any, Any], connection: Any) -> Converter | None:
    """How to prepare a value of ``field`` for the driver; ``None`` when it needs nothing."""
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    kind = target.get_internal_type()
    if kind in _PASS_THROUGH:
        return None
    if kind == "UUIDField":
        return None if connection.features.has_native_uuid_field else _uuid_hex

    def prepare(value: Any) -> Any:
        return field.get_db_prep_save(value, connection)

    return prepare


def bulk_insert(
    model: type[models.Model],
    rows: Iterable[Mapping[str, Any]],
    *,
    using: str = "default",
) -> int:
    """Insert ``rows`` (``{attname: value}``; foreign keys as ``<name>_id``) into ``model``.

    Missing attributes take the field's default (callable defaults such as ``uuid4`` are called
    per row); ``auto_now``/``auto_now_add`` fields not given get one timestamp for the whole
    call; an auto-increment primary key is left to the database. Returns the number of rows inserted.

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
        if convert is not None and constant is not None:
            constant = convert(constant)  # prepared once, used for every row
        fillers.append((field.attname, make, constant, convert))

    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608

    params: list[list[Any]] = []
    for row in rows:
        values = []
        for attname, make, constant, convert in fillers:
            if attname in row:
                value = row[attname]
            elif make is None:
                values.append(constant)
                continue
            else:
                value = make()
            values.append(convert(value) if convert is not None and value is not None else value)
        params.append(values)
    if params:
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)
    return len(params)
