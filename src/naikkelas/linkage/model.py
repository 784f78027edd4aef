"""The linkage model: comparisons, their levels, blocking rules (pure: no Django, no ORM).

Each comparison level is written twice, side by side: as DuckDB SQL for Splink (batch
linkage of a whole file or register) and as a Python predicate on feature rows (the online
check of one new record, and every pair's explanation). ``tests/linkage`` checks on
generated records that both give the same level for the same pair.

Two questions, asked in order (ADR 0010):

* **owner**: is this the same person? Only the comparisons that describe a person (name,
  NIK, phone, address, kelurahan) -- never the business name or sector.
* **given_owner**: if it is the same person, is it the same business? One owner's two
  businesses share NIK, phone and address, so a single naive-Bayes model would add those up
  to a "same business"; conditioned on the owner, they weigh little and the business name
  and sector decide. P(same business) = P(same owner) x P(same business | same owner).

Splink's own model (**business**: all comparisons) generates the pairs and their comparison
vectors in batch, and is what EM re-estimates on a live register.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from naikkelas.linkage.features import FEATURE_COLUMNS

__all__ = [
    "BLOCKING_KEYS",
    "BLOCKING_RULES",
    "blocking_columns_sql",
    "BUSINESS",
    "COMPARISONS",
    "Comparison",
    "Level",
    "OWNER_NAMED",
    "blocking_keys",
    "ModelLevel",
    "comparisons_for",
    "for_dialect",
    "level_of",
    "settings_for",
]

ModelLevel = Literal["business", "owner", "given_owner"]
Row = Mapping[str, Any]


def _jw(a: str | None, b: str | None) -> float:
    if not a or not b:
        return 0.0
    return float(JaroWinkler.similarity(a, b))


def _subset(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    x, y = set(a.split(" ")), set(b.split(" "))
    return x <= y or y <= x


def _eq(a: Any, b: Any) -> bool:
    return a is not None and b is not None and a == b


def _one_edit(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and DamerauLevenshtein.distance(a, b) <= 1


@dataclass(frozen=True)
class Level:
    """One comparison level: SQL for Splink, the same test in Python, and a label key."""

    key: str
    sql: str
    test: Callable[[Row, Row], bool]
    # Splink adjusts this level's weight by the value's frequency (a common name agreeing
    # says less than a rare one). Batch linkage only: the online check has no frequencies.
    tf_column: str | None = None


@dataclass(frozen=True)
class Comparison:
    name: str
    null_sql: str
    is_null: Callable[[Row, Row], bool]
    levels: tuple[Level, ...]  # without the null level and the final "else"


def _name_comparison(column: str) -> Comparison:
    c = column
    jw = f"jaro_winkler_similarity({c}_l, {c}_r)"
    split_l, split_r = f"str_split({c}_l, ' ')", f"str_split({c}_r, ' ')"
    return Comparison(
        name=column,
        null_sql=f"{c}_l IS NULL OR {c}_r IS NULL",
        is_null=lambda x, y: x[c] is None or y[c] is None,
        levels=(
            Level("exact", f"{c}_l = {c}_r", lambda x, y: x[c] == y[c], tf_column=c),
            Level("jw92", f"{jw} >= 0.92", lambda x, y: _jw(x[c], y[c]) >= 0.92),
            Level(
                "subset",
                f"list_has_all({split_l}, {split_r}) OR list_has_all({split_r}, {split_l})",
                lambda x, y: _subset(x[c], y[c]),
            ),
            Level("jw80", f"{jw} >= 0.80", lambda x, y: _jw(x[c], y[c]) >= 0.80),
        ),
    )


def _tokens_within(part: str | None, whole: str | None) -> bool:
    return bool(part) and bool(whole) and set(part.split(" ")) <= set(whole.split(" "))  # type: ignore[union-attr]


def _owner_named(x: Row, y: Row) -> bool:
    """The business is called by its owner's name on one side ("Warung Bu Siti") where that
    side lacks the owner's name and the other list has it ("Siti Aminah") with a shop name.
    (With both owner names present, the owner-name comparison already weighs this.)"""
    return (x["owner_name"] is None and _tokens_within(x["business_name"], y["owner_name"])) or (
        y["owner_name"] is None and _tokens_within(y["business_name"], x["owner_name"])
    )


def _sector_conflict(x: Row, y: Row) -> bool:
    return x["sector"] is not None and y["sector"] is not None and x["sector"] != y["sector"]


def _sector_same(x: Row, y: Row) -> bool:
    return _eq(x["sector"], y["sector"])


def _bn_jw(x: Row, y: Row) -> float:
    return _jw(x["business_name"], y["business_name"])


def _similar_name(x: Row, y: Row) -> bool:
    return (
        _subset(x["business_name"], y["business_name"])
        or _bn_jw(x, y) >= 0.80
        or _owner_named(x, y)
    )


_B_JW = "jaro_winkler_similarity(business_name_l, business_name_r)"
_B_SPLIT_L, _B_SPLIT_R = "str_split(business_name_l, ' ')", "str_split(business_name_r, ' ')"
# Level conditions only ever run inside Splink's CASE WHEN, where NULL counts as false and
# AND/OR stop at the first deciding operand: cheap tests go first and nothing is wrapped in
# coalesce() (which makes DuckDB evaluate every operand of every pair).
_SIMILAR_SQL = (
    f"({_B_JW} >= 0.80"
    f" OR list_has_all({_B_SPLIT_L}, {_B_SPLIT_R}) OR list_has_all({_B_SPLIT_R}, {_B_SPLIT_L})"
    f" OR owner_name_l IS NULL AND list_has_all(str_split(owner_name_r, ' '), {_B_SPLIT_L})"
    f" OR owner_name_r IS NULL AND list_has_all(str_split(owner_name_l, ' '), {_B_SPLIT_R}))"
)
_NO_CONFLICT = "(sector_l IS NULL OR sector_r IS NULL OR sector_l = sector_r)"
_CONFLICT = "sector_l <> sector_r"
# A level written after its "same sector" twin (CASE WHEN order) needs only this for "no
# conflict": the costly name test then runs once per pair, not twice.
_SECTOR_UNKNOWN = "(sector_l IS NULL OR sector_r IS NULL)"


def _tokens(text: str | None) -> set[str]:
    return set(text.split(" ")) if text else set()


def _echoes_owners(x: Row, y: Row) -> bool:
    """Both business names are nothing but names the owners bear and share a word ("Warung
    Bu Siti" and "Siti" of two records of "Siti Aminah"): their agreement repeats the
    owner-name comparison."""
    owners = _tokens(x["owner_name"]) | _tokens(y["owner_name"])
    if x["owner_name"] is None or y["owner_name"] is None:
        return False
    left, right = _tokens(x["business_name"]), _tokens(y["business_name"])
    # ... and agree: "Warung Aminah" of Siti Aminah and "Toko Masitah" of Siti Masitah do not
    return bool(left & right) and left <= owners and right <= owners


_OWNERS_SQL = "str_split(owner_name_l || ' ' || owner_name_r, ' ')"
_ECHO_SQL = (
    f"(owner_name_l IS NOT NULL AND owner_name_r IS NOT NULL"
    f" AND list_has_all({_OWNERS_SQL}, str_split(business_name_l, ' '))"
    f" AND list_has_all({_OWNERS_SQL}, str_split(business_name_r, ' '))"
    f" AND list_has_any(str_split(business_name_l, ' '), str_split(business_name_r, ' ')))"
)
# The levels of such names (key prefix); their weights are trained given that the owner
# names agree (training.condition_owner_named), so the owner's name is not counted twice.
OWNER_NAMED = "owner_named"

# The business itself: its name and its sector, compared together. One owner's two
# businesses often share a word of their names (the owner's name) but not the sector.
BUSINESS = Comparison(
    name="business",
    null_sql="(business_name_l IS NULL OR business_name_r IS NULL) "
    "AND (sector_l IS NULL OR sector_r IS NULL)",
    is_null=lambda x, y: (
        (x["business_name"] is None or y["business_name"] is None)
        and (x["sector"] is None or y["sector"] is None)
    ),
    levels=(
        Level(
            f"{OWNER_NAMED}_same_sector",
            f"sector_l = sector_r AND {_ECHO_SQL}",
            lambda x, y: _echoes_owners(x, y) and _sector_same(x, y),
        ),
        Level(
            OWNER_NAMED,
            # after the level above: no conflict and not the same sector = a sector unknown
            f"{_SECTOR_UNKNOWN} AND {_ECHO_SQL}",
            lambda x, y: _echoes_owners(x, y) and not _sector_conflict(x, y),
        ),
        Level(
            "name_exact",
            f"business_name_l = business_name_r AND {_NO_CONFLICT}",
            lambda x, y: _eq(x["business_name"], y["business_name"]) and not _sector_conflict(x, y),
            tf_column="business_name",
        ),
        Level(
            "name_close",
            f"{_NO_CONFLICT} AND {_B_JW} >= 0.92",
            lambda x, y: _bn_jw(x, y) >= 0.92 and not _sector_conflict(x, y),
        ),
        Level(
            "name_similar_same_sector",
            f"sector_l = sector_r AND {_SIMILAR_SQL}",
            lambda x, y: _similar_name(x, y) and _sector_same(x, y),
        ),
        Level(
            "name_similar",
            f"{_SECTOR_UNKNOWN} AND {_SIMILAR_SQL}",  # as owner_named: after ..._same_sector
            lambda x, y: _similar_name(x, y) and not _sector_conflict(x, y),
        ),
        Level(
            "name_close_other_sector",
            f"{_CONFLICT} AND {_B_JW} >= 0.92",
            lambda x, y: _bn_jw(x, y) >= 0.92 and _sector_conflict(x, y),
        ),
        Level(
            "no_name_same_sector",
            "(business_name_l IS NULL OR business_name_r IS NULL) AND sector_l = sector_r",
            lambda x, y: (
                (x["business_name"] is None or y["business_name"] is None) and _sector_same(x, y)
            ),
        ),
        # Names unlike each other: one owner's other business is almost always in another
        # sector, while a badly typed name of the same business keeps its sector.
        Level("other_name_same_sector", "sector_l = sector_r", _sector_same),
        Level(
            "other_name_unknown_sector",
            "sector_l IS NULL OR sector_r IS NULL",
            lambda x, y: x["sector"] is None or y["sector"] is None,
        ),
    ),
)


def _one_edit_sql(column: str) -> str:
    """At most one typo or swap of neighbours apart (Damerau-Levenshtein <= 1). Levenshtein
    <= 2 is implied (a swap is two substitutions) and several times cheaper in DuckDB: it
    goes first and spares Damerau-Levenshtein almost every pair."""
    pair = f"{column}_l, {column}_r"
    return f"levenshtein({pair}) <= 2 AND damerau_levenshtein({pair}) <= 1"


def _birth(row: Row) -> str | None:
    value = row["nik12"]
    return value[6:12] if value else None


NIK = Comparison(
    name="nik",
    null_sql="nik12_l IS NULL OR nik12_r IS NULL",
    is_null=lambda x, y: x["nik12"] is None or y["nik12"] is None,
    levels=(
        Level("exact", "nik_l = nik_r", lambda x, y: _eq(x["nik"], y["nik"])),
        # A one-digit typo or two swapped digits while the birth date and sex agree
        # (issue 5): still strong evidence of the same person.
        Level(
            "one_edit_same_birth",
            "substr(nik12_l, 7, 6) = substr(nik12_r, 7, 6) AND " + _one_edit_sql("nik"),
            lambda x, y: _one_edit(x["nik"], y["nik"]) and _birth(x) == _birth(y),
        ),
        # Same region and birth date/sex, serial unknown (Excel damage) or different.
        Level("same_birth_region", "nik12_l = nik12_r", lambda x, y: x["nik12"] == y["nik12"]),
        Level(
            "one_edit",
            _one_edit_sql("nik12"),
            lambda x, y: _one_edit(x["nik12"], y["nik12"]),
        ),
    ),
)

PHONE = Comparison(
    name="phone",
    null_sql="phone_l IS NULL OR phone_r IS NULL",
    is_null=lambda x, y: x["phone"] is None or y["phone"] is None,
    levels=(Level("exact", "phone_l = phone_r", lambda x, y: x["phone"] == y["phone"]),),
)


def _no_address(row: Row) -> bool:
    return row["street"] is None and row["rtrw"] is None


_STREET_JW = "jaro_winkler_similarity(street_l, street_r)"
ADDRESS = Comparison(
    name="address",
    null_sql="(street_l IS NULL AND rtrw_l IS NULL) OR (street_r IS NULL AND rtrw_r IS NULL)",
    is_null=lambda x, y: _no_address(x) or _no_address(y),
    levels=(
        Level(
            "street_house",
            "street_l = street_r AND house_l = house_r",
            lambda x, y: _eq(x["street"], y["street"]) and _eq(x["house"], y["house"]),
        ),
        Level(
            "street_rtrw",
            f"rtrw_l = rtrw_r AND {_STREET_JW} >= 0.92",
            lambda x, y: _jw(x["street"], y["street"]) >= 0.92 and _eq(x["rtrw"], y["rtrw"]),
        ),
        Level(
            "street",
            f"{_STREET_JW} >= 0.92",
            lambda x, y: _jw(x["street"], y["street"]) >= 0.92,
        ),
        Level("rtrw", "rtrw_l = rtrw_r", lambda x, y: _eq(x["rtrw"], y["rtrw"])),
    ),
)

KELURAHAN = Comparison(
    name="kelurahan",
    null_sql="kelurahan_l IS NULL OR kelurahan_r IS NULL",
    is_null=lambda x, y: x["kelurahan"] is None or y["kelurahan"] is None,
    levels=(
        Level("exact", "kelurahan_l = kelurahan_r", lambda x, y: x["kelurahan"] == y["kelurahan"]),
        Level(
            "same_kecamatan",
            "kecamatan_l = kecamatan_r",
            lambda x, y: _eq(x["kecamatan"], y["kecamatan"]),
        ),
    ),
)

NIB = Comparison(
    name="nib",
    null_sql="nib_l IS NULL OR nib_r IS NULL",
    is_null=lambda x, y: x["nib"] is None or y["nib"] is None,
    levels=(Level("exact", "nib_l = nib_r", lambda x, y: x["nib"] == y["nib"]),),
)


def _kinds_shared(x: Row, y: Row) -> bool:
    return bool(set(x["kind"].split(" ")) & set(y["kind"].split(" ")))


# What the business sells or does ("nasi uduk", "laundry"), from kind words in its name.
KIND = Comparison(
    name="kind",
    null_sql="kind_l IS NULL OR kind_r IS NULL",
    is_null=lambda x, y: x["kind"] is None or y["kind"] is None,
    levels=(
        Level(
            "shared",
            "list_has_any(str_split(kind_l, ' '), str_split(kind_r, ' '))",
            _kinds_shared,
        ),
    ),
)

OWNER_NAME = _name_comparison("owner_name")

COMPARISONS: dict[ModelLevel, tuple[Comparison, ...]] = {
    # Splink's model (blocking, comparison vectors, EM): every comparison at once.
    "business": (BUSINESS, KIND, OWNER_NAME, NIK, PHONE, ADDRESS, KELURAHAN, NIB),
    # Is it the same person?
    "owner": (OWNER_NAME, NIK, PHONE, ADDRESS, KELURAHAN),
    # Given the same person, is it the same business? m and u are both measured on pairs of
    # one owner's records: u among that owner's *other* businesses, so shared phone and
    # address weigh little here and name and sector decide.
    "given_owner": (BUSINESS, KIND, ADDRESS, PHONE, KELURAHAN, NIB),
}

# Pairs compared at all: records sharing any of these keys (a union). Each key is a SQL
# expression over the feature columns (NULL when a part is missing) and has a Python twin in
# :func:`blocking_keys`. A key value shared by more records than its cap is dropped (a common
# name in a whole kecamatan pairs thousands of records and finds almost nothing), so the
# number of pairs grows linearly with the register. Chosen on the synthetic benchmark; see
# ADR 0010.
BLOCKING_KEYS: tuple[tuple[str, str, int], ...] = (
    ("nik12", "nik12", 50),
    ("phone", "phone", 200),
    ("nib", "nib", 200),
    ("birth_o2", "substr(nik12, 7, 6) || '|' || substr(owner_name, 1, 2)", 30),
    ("owner_kel", "owner_name || '|' || kelurahan", 30),
    ("owner_street", "owner_name || '|' || street", 30),
    ("owner_kind", "owner_name || '|' || kind", 30),
    ("owner_b3", "owner_name || '|' || substr(business_name, 1, 3)", 30),
    ("business_street", "business_name || '|' || street", 30),
    ("business_rtrw", "business_name || '|' || rtrw", 30),
    # the same name and trade anywhere in the city: lists without kelurahan or address
    ("business_kind", "business_name || '|' || kind", 50),
    ("owner_sector", "owner_name || '|' || sector", 30),
    ("street_rtrw", "street || '|' || rtrw", 30),
    ("street_o2", "street || '|' || substr(owner_name, 1, 2)", 30),
    (
        "kel_b3_o2",
        "kelurahan || '|' || substr(business_name, 1, 3) || '|' || substr(owner_name, 1, 2)",
        30,
    ),
    ("kel_rtrw_o1", "kelurahan || '|' || rtrw || '|' || substr(owner_name, 1, 1)", 30),
    ("kel_house_o1", "kelurahan || '|' || house || '|' || substr(owner_name, 1, 1)", 30),
)
BLOCKING_RULES: tuple[str, ...] = tuple(
    f"l.bk_{name} = r.bk_{name}" for name, _, _ in BLOCKING_KEYS
)


def blocking_columns_sql(*, capped: bool = True) -> str:
    """The ``bk_*`` columns for a ``SELECT *, ... FROM records``: each key, or NULL when
    more records than its cap share it."""
    parts = []
    for name, expression, cap in BLOCKING_KEYS:
        if capped:
            parts.append(
                f"CASE WHEN count(*) OVER (PARTITION BY {expression}) <= {cap} "
                f"THEN {expression} END AS bk_{name}"
            )
        else:
            parts.append(f"{expression} AS bk_{name}")
    return ", ".join(parts)


_F = {name: i for i, name in enumerate(FEATURE_COLUMNS)}
_NIK12, _PHONE, _KEL = _F["nik12"], _F["phone"], _F["kelurahan"]
_OWNER, _BUSINESS, _STREET, _NIB = _F["owner_name"], _F["business_name"], _F["street"], _F["nib"]
_RTRW, _KIND, _HOUSE, _SECTOR = _F["rtrw"], _F["kind"], _F["house"], _F["sector"]


def blocking_keys(row: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """The row's keys under :data:`BLOCKING_KEYS` (as dict keys, caps not applied): two rows
    share a key exactly when they share one of the SQL keys."""
    nik12, phone, nib = row[_NIK12], row[_PHONE], row[_NIB]
    kel, owner, business, street = row[_KEL], row[_OWNER], row[_BUSINESS], row[_STREET]
    rtrw, kind, house = row[_RTRW], row[_KIND], row[_HOUSE]
    candidates: list[tuple[Any, ...]] = [
        ("nik12", nik12),
        ("phone", phone),
        ("nib", nib),
        ("birth_o2", nik12 and nik12[6:12], owner and owner[:2]),
        ("owner_kel", owner, kel),
        ("owner_street", owner, street),
        ("owner_kind", owner, kind),
        ("owner_b3", owner, business and business[:3]),
        ("business_street", business, street),
        ("business_rtrw", business, rtrw),
        ("business_kind", business, kind),
        ("owner_sector", owner, row[_SECTOR]),
        ("street_rtrw", street, rtrw),
        ("street_o2", street, owner and owner[:2]),
        ("kel_b3_o2", kel, business and business[:3], owner and owner[:2]),
        ("kel_rtrw_o1", kel, rtrw, owner and owner[:1]),
        ("kel_house_o1", kel, house, owner and owner[:1]),
    ]
    # a key with any part missing is NULL in SQL: no key
    return [key for key in candidates if all(part for part in key[1:])]


def comparisons_for(level: ModelLevel) -> tuple[Comparison, ...]:
    return COMPARISONS[level]


def level_of(comparison: Comparison, left: Row, right: Row) -> int:
    """Splink's comparison vector value: -1 null, 0 else, highest = first (best) level."""
    if comparison.is_null(left, right):
        return -1
    top = len(comparison.levels)
    for index, level in enumerate(comparison.levels):
        if level.test(left, right):
            return top - index
    return 0


def level_key(comparison: Comparison, gamma: int) -> str:
    """The label key of a comparison vector value (``"null"``, ``"else"`` or a level key)."""
    if gamma < 0:
        return "null"
    if gamma == 0:
        return "else"
    return comparison.levels[len(comparison.levels) - gamma].key


def _splink_comparison(comparison: Comparison) -> dict[str, Any]:
    levels: list[dict[str, Any]] = [
        {"sql_condition": comparison.null_sql, "label_for_charts": "null", "is_null_level": True}
    ]
    for lv in comparison.levels:
        levels.append({"sql_condition": lv.sql, "label_for_charts": lv.key})
    levels.append({"sql_condition": "ELSE", "label_for_charts": "else"})
    return {"output_column_name": comparison.name, "comparison_levels": levels}


_HAS_ALL = re.compile(r"list_has_all\((str_split\([^()]+, ' '\)), (str_split\([^()]+, ' '\))\)")


def spark_sql(sql: str) -> str:
    """A comparison or blocking condition in Spark SQL (with Splink's similarity jar, which
    provides ``jaro_winkler`` and ``damerau_levenshtein``). The model is written in DuckDB's
    SQL; these are the only functions it uses that Spark spells differently."""
    sql = _HAS_ALL.sub(r"(size(array_except(\2, \1)) = 0)", sql)
    sql = sql.replace("list_has_any(", "arrays_overlap(")
    sql = sql.replace("str_split(", "split(")
    return sql.replace("jaro_winkler_similarity(", "jaro_winkler(")


def for_dialect(settings: dict[str, Any], dialect: str) -> dict[str, Any]:
    """A copy of Splink settings (trained or not) with SQL for ``dialect``."""
    if dialect == "duckdb":
        return settings
    if dialect != "spark":
        raise ValueError(f"no SQL for {dialect}")
    out = copy.deepcopy(settings)
    for comparison in out["comparisons"]:
        for level in comparison["comparison_levels"]:
            level["sql_condition"] = spark_sql(level["sql_condition"])
    for rule in out.get("blocking_rules_to_generate_predictions", []):
        rule["blocking_rule"] = spark_sql(rule["blocking_rule"])
    out["sql_dialect"] = "spark"
    return out


def settings_for(level: ModelLevel) -> dict[str, Any]:
    """A Splink settings dictionary (untrained) for one model level."""
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "record_id",
        "comparisons": [_splink_comparison(c) for c in COMPARISONS[level]],
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": rule} for rule in BLOCKING_RULES
        ],
        "retain_matching_columns": True,
        "retain_intermediate_calculation_columns": False,
        "additional_columns_to_retain": [],
    }
