"""Tests for the synthetic record-linkage benchmark generator (bench/linkage/generate.py).

Pure: no database. Uses the normaliser only to check that the injected errors are ones it
partly, but not fully, undoes.
"""

from __future__ import annotations

import csv
import gzip
import re
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest
from bench.linkage import generate as gen
from bench.linkage.generate import (
    COLUMNS,
    SOURCES,
    Household,
    generate,
    iter_households,
    true_pairs,
    write_csv,
)

from naikkelas.linkage.normalise import nik_parts, nik_similarity, person_name

N = 5000
SEED = 3673


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return list(generate(N, seed=SEED))


@pytest.fixture(scope="module")
def households() -> list[Household]:
    return list(iter_households(N, seed=SEED))


def _digits(text: str) -> str:
    return re.sub(r"[\s.\-]", "", text)


# --- shape -----------------------------------------------------------------------------------


def test_exact_row_count_columns_and_unique_ids(rows: list[dict[str, str]]) -> None:
    assert len(rows) == N
    assert all(tuple(row) == COLUMNS for row in rows)
    assert all(isinstance(v, str) for row in rows for v in row.values())
    assert len({row["record_id"] for row in rows}) == N
    assert {row["source"] for row in rows} == set(SOURCES)


@pytest.mark.parametrize("n", [0, 1, 2, 7, 333])
def test_small_counts_are_exact(n: int) -> None:
    assert len(list(generate(n, seed=1))) == n


def test_deterministic_for_a_seed() -> None:
    assert list(generate(1000, seed=11)) == list(generate(1000, seed=11))
    assert list(generate(1000, seed=11)) != list(generate(1000, seed=12))


def test_shuffled_and_no_entity_adjacent(rows: list[dict[str, str]]) -> None:
    for before, after in zip(rows, rows[1:], strict=False):
        assert before["true_owner_id"] != after["true_owner_id"]
        assert before["true_business_id"] != after["true_business_id"]
    # Not in generation order: business ids do not increase along the file.
    ids = [int(row["true_business_id"][1:]) for row in rows]
    assert sum(a < b for a, b in zip(ids, ids[1:], strict=False)) < 0.6 * N


def test_bucketed_shuffle_gives_the_same_records(monkeypatch: pytest.MonkeyPatch) -> None:
    """The spill-to-disk path (used above BUCKET_SIZE records) only changes the order."""
    in_memory = list(generate(2000, seed=5))
    monkeypatch.setattr(gen, "BUCKET_SIZE", 450)
    bucketed = list(generate(2000, seed=5))

    def strip(rs: list[dict[str, str]]) -> Counter[tuple[str, ...]]:
        return Counter(tuple(v for k, v in r.items() if k != "record_id") for r in rs)

    assert strip(bucketed) == strip(in_memory)
    assert [r["true_business_id"] for r in bucketed] != [r["true_business_id"] for r in in_memory]
    for before, after in zip(bucketed, bucketed[1:], strict=False):
        assert before["true_owner_id"] != after["true_owner_id"]


# --- ground truth ----------------------------------------------------------------------------


def test_ground_truth_consistent(rows: list[dict[str, str]], households: list[Household]) -> None:
    owner_of: dict[str, str] = {}
    for row in rows:
        assert (
            owner_of.setdefault(row["true_business_id"], row["true_owner_id"])
            == row["true_owner_id"]
        )
    truth = {b.business_id: o.owner_id for h in households for o in h.owners for b in o.businesses}
    assert owner_of == truth
    copies = Counter(row["true_business_id"] for row in rows)
    assert copies == {
        b.business_id: len(b.sources) for h in households for o in h.owners for b in o.businesses
    }
    assert Counter(row["source"] for row in rows) == Counter(
        s for h in households for o in h.owners for b in o.businesses for s in b.sources
    )


def test_owners_with_several_businesses(households: list[Household]) -> None:
    owners = [o for h in households for o in h.owners]
    multi = [o for o in owners if len(o.businesses) >= 2]
    assert 0.07 < len(multi) / len(owners) < 0.17
    for owner in multi:
        sectors = [b.sector for b in owner.businesses]
        assert len(set(sectors)) == len(sectors)
        assert len({b.name for b in owner.businesses}) == len(owner.businesses)
    # Hard negative: same owner, other business, same phone and address.
    assert any(
        len({(b.phone, b.location) for b in o.businesses}) < len(o.businesses) for o in multi
    )


def test_households_share_address_not_owner(
    rows: list[dict[str, str]], households: list[Household]
) -> None:
    couples = [h for h in households if len(h.owners) == 2]
    assert 0.03 < len(couples) / len(households) < 0.10
    for h in couples:
        a, b = h.owners
        assert a.owner_id != b.owner_id and a.nik != b.nik and a.sex != b.sex
        assert a.home == b.home
        assert a.businesses[0].location == b.businesses[0].location == a.home
    assert sum(h.owners[0].businesses[0].phone == h.owners[1].businesses[0].phone for h in couples)
    # In the records: the same address string under two different owners of one household.
    household_of = {o.owner_id: h.household_id for h in couples for o in h.owners}
    seen: dict[tuple[int, str], set[str]] = defaultdict(set)
    for row in rows:
        hid = household_of.get(row["true_owner_id"])
        if hid is not None and row["address"]:
            seen[hid, row["address"].lower()].add(row["true_owner_id"])
    assert any(len(owners) == 2 for owners in seen.values())


def test_true_pairs(rows: list[dict[str, str]]) -> None:
    toy = [
        {"true_business_id": "B1", "true_owner_id": "O1"},
        {"true_business_id": "B1", "true_owner_id": "O1"},
        {"true_business_id": "B1", "true_owner_id": "O1"},
        {"true_business_id": "B2", "true_owner_id": "O1"},
        {"true_business_id": "B3", "true_owner_id": "O2"},
    ]
    assert true_pairs(toy) == (3, 6)
    business_pairs, owner_pairs = true_pairs(rows)
    assert 0 < business_pairs < owner_pairs


def test_copies_per_business(rows: list[dict[str, str]]) -> None:
    per_business = Counter(Counter(row["true_business_id"] for row in rows).values())
    total = sum(per_business.values())
    assert 0.42 < per_business[1] / total < 0.58
    assert 0.19 < per_business[2] / total < 0.31
    assert 0.10 < per_business[3] / total < 0.20
    assert 0.06 < sum(per_business[k] for k in (4, 5, 6)) / total < 0.14
    assert max(per_business) <= 6


# --- identifiers -----------------------------------------------------------------------------


def test_owner_niks_encode_sex_and_birth_date(households: list[Household]) -> None:
    owners = [o for h in households for o in h.owners]
    assert len({o.nik for o in owners}) == len(owners)
    migrants = 0
    for owner in owners:
        parts = nik_parts(owner.nik)
        assert parts is not None
        assert parts.sex == owner.sex
        assert (parts.birth_day, parts.birth_month) == (
            owner.birth_date.day,
            owner.birth_date.month,
        )
        assert parts.birth_year == owner.birth_date.year % 100
        assert 9000 <= int(parts.serial) <= 9999  # ADR 0005 synthetic range
        assert parts.province in ("36", "31")
        migrants += parts.regency != "3673"
        assert date(1940, 1, 1) < owner.birth_date < date(2008, 1, 1)
        assert re.fullmatch(r"8\d\d0000\d{4,5}", owner.phone)
    assert 0.09 < migrants / len(owners) < 0.21


def test_intact_niks_match_their_owner(
    rows: list[dict[str, str]], households: list[Household]
) -> None:
    owners = {o.owner_id: o for h in households for o in h.owners}
    spouse_nik = {
        o.owner_id: other.nik for h in households for o in h.owners for other in h.owners
        if other is not o
    }  # fmt: skip
    present = [row for row in rows if row["nik"]]
    intact = 0
    for row in present:
        owner = owners[row["true_owner_id"]]
        digits = _digits(row["nik"])
        if digits == owner.nik:
            intact += 1
            parts = nik_parts(row["nik"])
            assert parts is not None and parts.sex == owner.sex
            assert parts.birth_day == owner.birth_date.day
        elif digits != spouse_nik.get(owner.owner_id):
            # Damaged: Excel, typo, swap, lost digit -- never a different valid person.
            similarity = nik_similarity(row["nik"], owner.nik)
            assert similarity in ("one_typo", "transposition", "missing", "different")
            if len(digits) == 16 and digits.isdigit():
                assert digits[12] == "9" or digits[12:] == "0000"
    assert 0.75 < intact / len(present) < 0.93


def test_nik_damage_kinds_present(rows: list[dict[str, str]]) -> None:
    niks = [row["nik"] for row in rows if row["nik"]]
    assert any(re.fullmatch(r"\d[.,]\d+E\+15", v) for v in niks)  # 3.67306E+15
    assert any(re.fullmatch(r"\d{12,15}0", v) for v in niks)  # trailing zeros
    assert any(" " in v or "." in v and "E" not in v for v in niks)
    assert any(v.startswith("'") for v in niks)


# --- error rates -----------------------------------------------------------------------------


def _blank(rows: list[dict[str, str]], column: str) -> float:
    return sum(not row[column] for row in rows) / len(rows)


def test_blank_rates(rows: list[dict[str, str]]) -> None:
    assert 0.25 < _blank(rows, "nik") < 0.45
    assert 0.17 < _blank(rows, "phone") < 0.32
    assert 0.06 < _blank(rows, "kelurahan") < 0.16
    assert 0.06 < _blank(rows, "sector") < 0.18
    assert _blank(rows, "business_name") < 0.04
    assert _blank(rows, "address") < 0.08
    assert _blank(rows, "owner_name") == 0


def test_field_variants_present(rows: list[dict[str, str]]) -> None:
    names = [row["owner_name"] for row in rows]
    assert any(n.isupper() for n in names) and any(n.islower() for n in names)
    assert any(re.match(r"(?i)(ibu|bu|ny\.|bpk\.?|bapak|hj?\.?) ", n) for n in names)
    assert any(re.search(r"(?i)s\.?\s?pd|s\.e\.|a\.?md", n) for n in names)
    assert any(re.match(r"(?i)(moch|moh|muh|m)\.? ", n) for n in names)
    assert any(re.search(r"(?i)oe|dj|tj", n) for n in names)
    phones = [row["phone"] for row in rows if row["phone"]]
    assert any(p.startswith("+62") for p in phones) and any(p.startswith("08") for p in phones)
    assert any(p.startswith("62") for p in phones) and any(p.startswith("8") for p in phones)
    addresses = [row["address"] for row in rows]
    assert any("RT/RW" in a for a in addresses) and any("rt." in a for a in addresses)
    assert any(re.search(r"\d{2}/\d{2}$", a) for a in addresses)
    kelurahan = [row["kelurahan"] for row in rows]
    assert any(re.fullmatch(r"36\.73\.0\d\.1\d{3}", k) for k in kelurahan)
    assert any(re.fullmatch(r"36730\d1\d{3}", k) for k in kelurahan)
    assert any(k.startswith(("Kel. ", "Kelurahan ")) for k in kelurahan)
    sectors = Counter(row["sector"] for row in rows)
    assert sectors["kuliner"] and sectors["Kuliner"] and sectors["Makanan & Minuman"]


def test_normaliser_undoes_some_but_not_all_name_errors(rows: list[dict[str, str]]) -> None:
    by_business: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        by_business[row["true_business_id"]].append(row["owner_name"])
    raw_equal = normalised_equal = pairs = 0
    for names in by_business.values():
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                pairs += 1
                raw_equal += a == b
                normalised_equal += person_name(a) == person_name(b)
    assert raw_equal / pairs < 0.35
    assert 0.5 < normalised_equal / pairs < 0.85


def test_old_spelling() -> None:
    assert gen._old_spelling("Yusuf", gen._OLD_FULL) == "Joesoef"
    assert gen._old_spelling("Cucu Juju", gen._OLD_FULL) == "Tjoetjoe Djoedjoe"
    assert gen._old_spelling("Syarif Khodijah", gen._OLD_FULL) == "Sjarif Chodidjah"
    assert gen._old_spelling("Suharti", gen._OLD_U) == "Soeharti"
    assert gen._old_spelling("Wahyudi", gen._OLD_Y) == "Wahjudi"
    assert person_name("Joesoef") == "yusuf"


# --- output ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["bench.csv", "bench.csv.gz"])
def test_write_csv_and_cli(tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / name
    assert gen.main(["--records", "400", "--seed", "9", "--out", str(path)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "records=400 " in captured.err and captured.err.count("\n") == 1
    opener = gzip.open if name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        written = list(csv.DictReader(handle))
    assert written == list(generate(400, seed=9))
    summary = write_csv(tmp_path / "again.csv", 400, 9)
    assert summary.records == 400
    assert (summary.business_pairs, summary.owner_pairs) == true_pairs(written)
    assert summary.businesses == len({r["true_business_id"] for r in written})
