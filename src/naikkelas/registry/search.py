"""The register's search box: business name, owner name, NIK, NIB and phone (ADR 0018).

One query string becomes one condition on the business id, ``id IN (a UNION b ...)``: each
branch is a small indexed lookup (a PostgreSQL ``pg_trgm`` GIN index or an SQLite FTS5 trigram
table for names and phone digits; btree prefixes for NIK and NIB), so the database finds the
few matching ids first and then reads those businesses, instead of testing every business of
a province-sized register against a chain of ``OR EXISTS``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from naikkelas.core.identifiers import parse_phone
from naikkelas.core.text import compact_key, digits
from naikkelas.registry.models import Business, BusinessOwner, Owner

# SQLite FTS5 tables created by migration registry 0006 (absent where SQLite lacks the
# trigram tokenizer: the search then scans with LIKE).
BUSINESS_FTS = ("registry_business_fts", "registry_business_fts_map", "business_id")
OWNER_FTS = ("registry_owner_fts", "registry_owner_fts_map", "owner_id")
TRIGRAM = 3  # FTS5 trigram needs at least three characters
PHONE_NATIONAL_MAX = 12  # digits after the 0 or 62 of the longest Indonesian numbers


def looks_like_number(query: str) -> bool:
    """Mostly digits (a NIK, NIB or phone number typed with spaces, dots or dashes)."""
    number = digits(query)
    return len(number) >= 4 and len(number) >= 0.6 * len(query.replace(" ", ""))


def national_digits(query: str) -> str:
    """The national significant part of a phone number as typed (0812..., 62812..., +62 812...)."""
    number = digits(query)
    if number.startswith("62"):
        return number[2:]
    if number.startswith("0"):
        return number[1:]
    return number


@cache
def _fts_tables(database: str) -> frozenset[str]:
    """The FTS tables present in this SQLite database (looked up once per process)."""
    del database  # the cache key
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%_fts'")
        return frozenset(row[0] for row in cursor.fetchall())


def _fts_available(table: str) -> bool:
    if connection.vendor != "sqlite":
        return False
    return table in _fts_tables(str(connection.settings_dict["NAME"]))


def _name_ids(model: type[Business] | type[Owner], key: str, fts: tuple[str, str, str]) -> Any:
    """Ids of ``model`` rows whose name key contains ``key``."""
    table, fts_map, column = fts
    if len(key) >= TRIGRAM and _fts_available(table):
        phrase = '"' + key.replace('"', "") + '"'
        return RawSQL(  # noqa: S611 (constant table names; the phrase is a parameter)
            f"SELECT {column} FROM {fts_map} WHERE doc IN "  # noqa: S608 (constant names)
            f"(SELECT rowid FROM {table} WHERE {table} MATCH %s)",
            [phrase],
        )
    return model.objects.filter(name_key__contains=key).order_by().values("id")


def _digits_prefix(field: str, number: str) -> Q:
    """``field`` starts with the digits ``number`` (NIK, NIB: digits only).

    SQLite cannot use an index for ``LIKE '..%' ESCAPE``; a digit string that starts with
    ``number`` lies in the range ``[number, number + ":")`` (":" follows "9"), which any
    index answers. PostgreSQL keeps ``LIKE`` (its ``varchar_pattern_ops`` index serves the
    prefix under every collation, where a range on text might not).
    """
    if connection.vendor == "sqlite":
        return Q(**{f"{field}__gte": number, f"{field}__lt": number + ":"})
    return Q(**{f"{field}__startswith": number})


def _phone_condition(query: str) -> tuple[Q, Q]:
    """(business condition, owner condition) for a phone number or a part of one."""
    national = national_digits(query)
    parsed = parse_phone(query)
    if parsed.ok and parsed.value and len(national) >= 9:  # a whole number: exact, indexed
        return Q(phone=parsed.value), Q(phone=parsed.value)
    if len(national) > PHONE_NATIONAL_MAX:  # a NIK or NIB, never a part of a phone number
        return Q(pk__in=[]), Q(pk__in=[])
    return Q(phone__contains=national), Q(phone__contains=national)


OWNER_IDS_MAX = 2_000  # businesses found through their owners, inlined as a list up to this


def _few_business_ids(owner_ids: Any) -> list[Any] | None:
    """The businesses of the matching owners as a list, or None when there are too many."""
    ids = list(
        BusinessOwner.objects.filter(owner_id__in=owner_ids)
        .order_by()
        .values_list("business_id", flat=True)[: OWNER_IDS_MAX + 1]
    )
    return ids if len(ids) <= OWNER_IDS_MAX else None


def search_condition(query: str) -> Q | None:
    """The condition on ``Business`` for a search box value, or None for an empty query."""
    query = query.strip()
    if not query:
        return None
    if looks_like_number(query):
        number = digits(query)
        business_phone, owner_phone = _phone_condition(query)
        owners = Owner.objects.filter(_digits_prefix("nik", number) | owner_phone).values("id")
        if connection.vendor == "postgresql":
            few = _few_business_ids(owners)
            if few is not None:  # conditions the planner can OR together from indexes
                return _digits_prefix("nib", number) | business_phone | Q(pk__in=few)
        ids = (
            Business.objects.filter(_digits_prefix("nib", number) | business_phone)
            .order_by()
            .values("id")
            .union(
                BusinessOwner.objects.filter(owner_id__in=owners).order_by().values("business_id")
            )
        )
        return Q(pk__in=ids)
    key = compact_key(query)
    if not key:
        return None
    owner_ids = _name_ids(Owner, key, OWNER_FTS)
    if connection.vendor == "postgresql":
        few = _few_business_ids(owner_ids)
        if few is not None:
            # ``name_key LIKE '%..%' OR id = ANY(...)`` on the business itself: for a rare name
            # PostgreSQL ORs two index bitmaps (trigram, primary key); for a common word it
            # walks the list's order index and stops after one page. The id-UNION below must
            # collect every match first (a word in 30,000 names: ~1 s instead of ~40 ms).
            return Q(name_key__contains=key) | Q(pk__in=few)
    businesses = _name_ids(Business, key, BUSINESS_FTS)
    by_owner = BusinessOwner.objects.filter(owner_id__in=owner_ids).order_by().values("business_id")
    if isinstance(businesses, RawSQL):
        return Q(pk__in=businesses) | Q(pk__in=by_owner)
    return Q(pk__in=businesses.union(by_owner))


def search(qs: QuerySet[Business], query: str) -> QuerySet[Business]:
    condition = search_condition(query)
    return qs if condition is None else qs.filter(condition)


def owner_search(qs: QuerySet[Owner], query: str) -> QuerySet[Owner]:
    """The owners' list search: name, NIK prefix or phone."""
    query = query.strip()
    if not query:
        return qs
    if looks_like_number(query):
        _business_phone, owner_phone = _phone_condition(query)
        return qs.filter(_digits_prefix("nik", digits(query)) | owner_phone)
    key = compact_key(query)
    return qs.filter(pk__in=_name_ids(Owner, key, OWNER_FTS)) if key else qs
