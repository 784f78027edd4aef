"""Each comparison level is written twice (DuckDB SQL for Splink, Python for the online
check): on the same pairs both must reach the same level."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from naikkelas.linkage.batch import connect, load_records
from naikkelas.linkage.features import FEATURE_COLUMNS, FeatureMaker
from naikkelas.linkage.model import comparisons_for, level_of, settings_for
from naikkelas.linkage.places import kelurahan_resolver

RECORDS: list[dict[str, Any]] = [
    {
        "owner_name": "Hj. Siti Aminah",
        "nik": "3673054508900001",
        "business_name": "Warung Bu Siti",
        "phone": "0812 1111 2222",
        "address": "Jl. Raya Serang No. 5 RT 02/RW 03",
        "kelurahan": "Cipare",
        "sector": "kuliner",
    },
    {
        "owner_name": "SITI AMINAH",
        "nik": "3673054508900010",
        "business_name": "WM Siti",
        "phone": "+62 812-1111-2222",
        "address": "Jalan Raya Serang no 5 rt.2 rw.3",
        "kelurahan": "Kel. Cipare",
        "sector": "Kuliner",
    },
    {
        "owner_name": "Siti Aminah",
        "nik": "3673054508900000",
        "business_name": "Siti Catering",
        "phone": "",
        "address": "Jl Raya Serang",
        "kelurahan": "Sumurpecung",
        "sector": "jasa",
    },
    {
        "owner_name": "Sity Aminah",
        "nik": "3673054580900001",
        "business_name": "Keripik Siti",
        "phone": "081211112223",
        "address": "RT 02/RW 03",
        "kelurahan": "Cipare",
        "sector": "kuliner",
    },
    {
        "owner_name": "Ahmad Fauzi",
        "nik": "3673061203850002",
        "business_name": "Toko Berkah Jaya",
        "phone": "0813 9999 2222",
        "address": "Kp. Cibogo RT 1/2",
        "kelurahan": "Kasemen",
        "sector": "perdagangan",
        "nib": "1234567890123",
    },
    {
        "owner_name": "Achmad Fauzi",
        "nik": "3673061203850020",
        "business_name": "Berkah Jaya",
        "phone": "0813 9999 2222",
        "address": "Kampung Cibogo rt 01 rw 02",
        "kelurahan": "kasemen",
        "sector": "perdagangan",
        "nib": "1234567890123",
    },
    {
        "owner_name": "Ahmad",
        "nik": "3673061203850002",
        "business_name": "Berkah Jaya Abadi",
        "phone": "",
        "address": "",
        "kelurahan": "",
        "sector": "",
    },
    {
        "owner_name": "Muhammad Rizki",
        "nik": "",
        "business_name": "Rizki Motor",
        "phone": "0877 1234 5678",
        "address": "Jl. Ahmad Yani No. 12",
        "kelurahan": "Cipare",
        "sector": "jasa",
    },
    {
        "owner_name": "Moch. Rizky",
        "nik": "3604011111900003",
        "business_name": "Bengkel Rizky Motor",
        "phone": "087712345678",
        "address": "Jln. A. Yani No 12",
        "kelurahan": "Cipare",
        "sector": "jasa",
    },
    {
        "owner_name": "Nur Hasanah",
        "nik": "3673064409920001",
        "business_name": "Batik Hasanah",
        "phone": "0812 5555 6666",
        "address": "Jl. Raya Serang No. 5 RT 02/RW 03",
        "kelurahan": "Cipare",
        "sector": "fesyen",
    },
]


@pytest.fixture(scope="module")
def rows() -> list[tuple[Any, ...]]:
    maker = FeatureMaker(place=kelurahan_resolver("36.73"))
    return [maker.row(record, f"r{i:02d}") for i, record in enumerate(RECORDS)]


@pytest.mark.parametrize("level", ["business", "owner"])
def test_sql_and_python_levels_agree(level: str, rows: list[tuple[Any, ...]]) -> None:
    from splink import DuckDBAPI, Linker

    con = connect(memory_limit="1GB", threads=1)
    load_records(con, rows)
    settings = settings_for(level)  # type: ignore[arg-type]
    settings["blocking_rules_to_generate_predictions"] = [{"blocking_rule": "1 = 1"}]
    settings["probability_two_random_records_match"] = 0.01
    linker = Linker(DuckDBAPI(connection=con).register("records"), settings, log_level=None)
    predicted = linker.inference.predict(warning_mode="never").as_record_list()
    comparisons = comparisons_for(level)  # type: ignore[arg-type]
    by_id = {row[0]: dict(zip(FEATURE_COLUMNS, row, strict=True)) for row in rows}
    assert len(predicted) == len(rows) * (len(rows) - 1) // 2
    seen: set[tuple[str, int]] = set()
    for pair in predicted:
        left, right = by_id[pair["record_id_l"]], by_id[pair["record_id_r"]]
        for comparison in comparisons:
            python_level = level_of(comparison, left, right)
            assert pair[f"gamma_{comparison.name}"] == python_level, (
                comparison.name,
                left,
                right,
            )
            seen.add((comparison.name, python_level))
    # The records exercise most levels of every comparison (not only null and else).
    for comparison in comparisons:
        reached = {gamma for name, gamma in seen if name == comparison.name}
        assert len(reached) >= min(3, len(comparison.levels) + 2) - (comparison.name == "nib")
    con.close()


def test_every_pair_once(rows: list[tuple[Any, ...]]) -> None:
    assert len(list(itertools.combinations(rows, 2))) == 45


def test_python_blocking_keys_pair_the_records_the_sql_rules_pair() -> None:
    from bench.linkage.generate import generate

    from naikkelas.linkage.model import BLOCKING_RULES, blocking_columns_sql, blocking_keys

    rows = _feature_rows(list(generate(400, seed=5)))
    con = connect(memory_limit="1GB", threads=1)
    load_records(con, rows)
    con.execute(
        f"CREATE TABLE keyed AS SELECT *, {blocking_columns_sql(capped=False)} FROM records"  # noqa: S608
    )
    condition = " OR ".join(f"coalesce({rule}, false)" for rule in BLOCKING_RULES)
    sql_pairs = set(
        con.execute(
            "SELECT l.record_id, r.record_id FROM keyed l JOIN keyed r "  # noqa: S608
            f"ON l.record_id < r.record_id AND ({condition})"
        ).fetchall()
    )
    keys = {row[0]: set(blocking_keys(row)) for row in rows}
    python_pairs = {(a, b) for a, b in itertools.combinations(sorted(keys), 2) if keys[a] & keys[b]}
    assert python_pairs == sql_pairs
    assert len(sql_pairs) > 50
    con.close()


def _feature_rows(records: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    from naikkelas.intake.values import known_sector

    maker = FeatureMaker(
        place=kelurahan_resolver("36.73"), sector=known_sector, sector_of_name=known_sector
    )
    return [maker.row(r, r["record_id"]) for r in records]


def _generated_and_sitis(
    n: int, seed: int, business_names: list[str], phones: int = 0
) -> list[tuple[Any, ...]]:
    """Generated records plus one "Siti" of Cipare per business name (the first ``phones``
    sharing a phone): owner + kelurahan shared past its cap (30)."""
    from bench.linkage.generate import generate

    sitis = [
        {
            "record_id": f"siti{i:02d}",
            "owner_name": "Siti",
            "business_name": name,
            "kelurahan": "Cipare",
            "phone": "0812 7777 0001" if i < phones else "",
        }
        for i, name in enumerate(business_names)
    ]
    return _feature_rows([*generate(n, seed=seed), *sitis])


def test_batch_blocking_finds_exactly_the_pairs_of_the_capped_rules() -> None:
    """``batch.block`` (one hash self-join) pairs what Splink's rules over the capped
    ``bk_*`` columns pair, caps included: 40 records of one "Siti" in one kelurahan share
    owner+kelurahan more often than its cap (30) allows, and only that key is dropped
    (without the sorted window over such a group, tested below)."""
    from naikkelas.linkage.batch import block
    from naikkelas.linkage.model import BLOCKING_RULES, blocking_columns_sql

    rows = _generated_and_sitis(600, 8, [f"Usaha {i}" for i in range(40)], phones=3)
    con = connect(memory_limit="1GB", threads=2)
    load_records(con, rows)
    con.execute(f"CREATE TABLE keyed AS SELECT *, {blocking_columns_sql()} FROM records")  # noqa: S608
    condition = " OR ".join(f"coalesce({rule}, false)" for rule in BLOCKING_RULES)
    by_rules = set(
        con.execute(
            "SELECT l.position, r.position FROM keyed l JOIN keyed r "  # noqa: S608
            f"ON l.position < r.position AND ({condition})"
        ).fetchall()
    )
    count = block(con, window=0)
    by_block = set(con.execute("SELECT join_key_l, join_key_r FROM blocked_pairs").fetchall())
    assert count == len(by_block)
    assert by_block == by_rules
    sitis = {
        p
        for (p,) in con.execute(
            "SELECT position FROM records WHERE record_id LIKE 'siti%'"
        ).fetchall()
    }
    siti_pairs = {(a, b) for a, b in by_block if a in sitis and b in sitis}
    assert len(siti_pairs) == 3  # only the three sharing a phone: owner+kelurahan is capped
    assert len(by_block) > 100
    con.close()


def test_a_group_over_its_cap_is_paired_within_a_sorted_window() -> None:
    """Above its cap a key's group is sorted by business then owner name and each record is
    paired with the next ``window`` ones: checked against a plain Python reference."""
    from naikkelas.linkage.batch import block
    from naikkelas.linkage.model import BLOCKING_KEYS, blocking_keys

    rows = _generated_and_sitis(
        300, 9, [f"Usaha {chr(ord('a') + i % 26)}{i // 26}" for i in range(45)]
    )
    con = connect(memory_limit="1GB", threads=2)
    load_records(con, rows)
    block(con, window=2)
    found = set(con.execute("SELECT join_key_l, join_key_r FROM blocked_pairs").fetchall())

    caps = {name: cap for name, _, cap in BLOCKING_KEYS}
    groups: dict[tuple[object, ...], list[int]] = {}
    for position, row in enumerate(rows, start=1):
        for key in blocking_keys(row):
            groups.setdefault(key, []).append(position)
    expected: set[tuple[int, int]] = set()
    for key, members in groups.items():
        if len(members) <= caps[str(key[0])]:
            expected |= set(itertools.combinations(members, 2))
            continue
        ordered = sorted(
            members,
            key=lambda p: (f"{rows[p - 1][2] or ''}|{rows[p - 1][1] or ''}", p),
        )
        for i, left in enumerate(ordered):
            for right in ordered[i + 1 : i + 3]:
                expected.add((min(left, right), max(left, right)))
    assert found == expected
    sitis = {p for p, row in enumerate(rows, start=1) if str(row[0]).startswith("siti")}
    siti_pairs = {(a, b) for a, b in found if a in sitis and b in sitis}
    assert 40 <= len(siti_pairs) < 100  # neighbours only, not 45 * 44 / 2 = 990
    con.close()


def test_comparison_vectors_in_duckdb_equal_the_python_levels(rows: list[tuple[Any, ...]]) -> None:
    from naikkelas.linkage.batch import comparison_vectors

    pairs = list(itertools.combinations(rows, 2))
    con = connect(memory_limit="512MB", threads=1)
    vectors = comparison_vectors(con, [a for a, _ in pairs], [b for _, b in pairs])
    comparisons = comparisons_for("business")
    for (a, b), vector in zip(pairs, vectors, strict=True):
        left = dict(zip(FEATURE_COLUMNS, a, strict=True))
        right = dict(zip(FEATURE_COLUMNS, b, strict=True))
        assert vector == tuple(level_of(c, left, right) for c in comparisons)
    con.close()


@pytest.mark.parametrize("level", ["business", "owner"])
def test_shipped_parameters_were_trained_on_this_model(level: str) -> None:
    """Splink runs the SQL stored in the parameter file: it must be the model's own (retrain
    with ``python -m bench.linkage.train`` after changing a comparison)."""
    from naikkelas.linkage.scoring import load_params

    shipped = load_params(level).splink_settings["comparisons"]  # type: ignore[arg-type]
    current = settings_for(level)["comparisons"]  # type: ignore[arg-type]

    def conditions(comparisons: Any) -> list[tuple[str, list[str]]]:
        return [
            (c["output_column_name"], [lv["sql_condition"] for lv in c["comparison_levels"]])
            for c in comparisons
        ]

    assert conditions(shipped) == conditions(current)
