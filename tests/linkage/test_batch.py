"""End-to-end batch linkage of a small fixture with known truth (``naikkelas link``)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from naikkelas.cli import main
from naikkelas.intake.link_file import link_file
from naikkelas.linkage.batch import RESULT_COLUMNS, Thresholds

HEADER = ["ID", "Nama Pemilik", "NIK", "Nama Usaha", "No HP", "Alamat", "Kelurahan", "Sektor"]
# (id, owner, nik, business, phone, address, kelurahan, sector, true business, true owner)
ROWS = [
    (
        "a1",
        "Hj. Siti Aminah",
        "3673054508909001",
        "Warung Makan Bu Siti",
        "0812 0000 1001",
        "Jl. Raya Serang No. 5 RT 02/RW 03",
        "Cipare",
        "Kuliner",
        "B1",
        "O1",
    ),
    (
        "a2",
        "SITI AMINAH, S.Pd",
        "3673 0545 0890 9001",
        "WM Siti",
        "+62 812-0000-1001",
        "Jalan Raya Serang no 5 rt.2 rw.3",
        "Kel. Cipare",
        "kuliner",
        "B1",
        "O1",
    ),
    (
        "a3",
        "Siti Aminah",
        "",
        "Warung Bu Siti",
        "081200001001",
        "Jl Raya Serang 5",
        "cipare",
        "",
        "B1",
        "O1",
    ),
    # the same owner's other business: same NIK, phone and address, other name and sector
    (
        "a4",
        "Siti Aminah",
        "3673054508909001",
        "Batik Aminah Collection",
        "0812 0000 1001",
        "Jl. Raya Serang No. 5 RT 02/RW 03",
        "Cipare",
        "Fesyen",
        "B2",
        "O1",
    ),
    # her husband: same address and phone, his own business
    (
        "h1",
        "H. Ahmad Fauzi",
        "3673051203809002",
        "Bengkel Motor Fauzi",
        "0812 0000 1001",
        "Jl. Raya Serang No. 5 RT 02/RW 03",
        "Cipare",
        "Jasa",
        "B3",
        "O2",
    ),
    (
        "h2",
        "Achmad Fauzi",
        "3673051203809002",
        "Fauzi Motor",
        "",
        "Jl. Raya Serang No 5",
        "Cipare",
        "jasa",
        "B3",
        "O2",
    ),
    # an unrelated business with a common name elsewhere
    (
        "x1",
        "Nur Hasanah",
        "3673064409929003",
        "Keripik Hasanah",
        "0857 0000 2002",
        "Kp. Cibogo RT 1/2",
        "Kasemen",
        "Kuliner",
        "B4",
        "O3",
    ),
    (
        "x2",
        "Nur Hasanah",
        "",
        "Kripik Hasanah",
        "085700002002",
        "Kampung Cibogo rt 01 rw 02",
        "kasemen",
        "kuliner",
        "B4",
        "O3",
    ),
    (
        "y1",
        "Dedi Supriadi",
        "3673020101909004",
        "Toko Sembako Berkah",
        "0813 0000 3003",
        "Jl. Ahmad Yani No. 12",
        "Sumurpecung",
        "Perdagangan",
        "B5",
        "O4",
    ),
]


@pytest.fixture
def listing(tmp_path: Path) -> Path:
    path = tmp_path / "daftar.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(row[:8] for row in ROWS)
    return path


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _groups(rows: list[dict[str, str]], column: str) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for row in rows:
        groups.setdefault(row[column], set()).add(row["record_id"])
    return {frozenset(g) for g in groups.values()}


def _truth(index: int) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for row in ROWS:
        groups.setdefault(row[index], set()).add(row[0])
    return {frozenset(g) for g in groups.values()}


def test_clusters_match_the_truth_at_both_levels(listing: Path, tmp_path: Path) -> None:
    out = tmp_path / "hasil.csv"
    review = tmp_path / "tinjau.csv"
    summary = link_file(listing, out, review_out=review, memory_limit="1GB")
    rows = _read(out)
    assert list(rows[0]) == list(RESULT_COLUMNS)
    assert [r["record_id"] for r in rows] == [row[0] for row in ROWS]  # input order kept
    assert _groups(rows, "cluster_id") == _truth(8)
    assert _groups(rows, "owner_cluster_id") == _truth(9)
    assert summary.records == len(ROWS)
    assert summary.businesses == 5 and summary.owners == 4
    assert set(summary.columns) >= {"owner_name", "nik", "business_name", "phone", "kelurahan"}
    by_id = {r["record_id"]: r for r in rows}
    assert by_id["a2"]["decision"] == "linked"
    assert float(by_id["a2"]["match_probability"]) >= Thresholds().link
    assert "owner_name=exact" in by_id["a2"]["match_reason"]
    assert by_id["y1"]["decision"] == "new"
    assert by_id["y1"]["match_reason"] == ""
    assert review.exists()


def test_cli_writes_the_output_and_a_summary(
    listing: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "hasil.csv"
    main(["link", str(listing), "--out", str(out), "--memory-limit", "1GB"])
    assert "9 baris -> 5 usaha, 4 pemilik" in capsys.readouterr().err
    assert len(_read(out)) == len(ROWS)
    # a sorted window over over-cap groups only adds candidates: the same answer here
    windowed = tmp_path / "hasil-window.csv"
    main(["link", str(listing), "--out", str(windowed), "--memory-limit", "1GB", "--window", "2"])
    assert "9 baris -> 5 usaha, 4 pemilik" in capsys.readouterr().err
    assert _groups(_read(windowed), "cluster_id") == _truth(8)


def test_cli_reports_a_file_without_headers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "kosong.csv"
    path.write_text("1,2,3\n4,5,6\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        main(["link", str(path), "--out", str(tmp_path / "o.csv")])
    assert exited.value.code == 2
    assert "judul kolom" in capsys.readouterr().err


def test_cli_reports_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["link", str(tmp_path / "none.xlsx"), "--out", str(tmp_path / "o.csv")])
    assert exited.value.code == 2
    assert "naikkelas link:" in capsys.readouterr().err


def test_scoring_in_parts_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """A large run scores its candidate pairs a few million at a time: the same results
    as scoring them all at once (here: parts of 40 pairs)."""
    from bench.linkage.generate import generate

    from naikkelas.intake.values import known_sector
    from naikkelas.linkage import batch
    from naikkelas.linkage.features import FeatureMaker
    from naikkelas.linkage.places import kelurahan_resolver

    maker = FeatureMaker(
        place=kelurahan_resolver("36.73"), sector=known_sector, sector_of_name=known_sector
    )
    rows = [maker.row(r, r["record_id"]) for r in generate(500, seed=21)]

    def run() -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
        con = batch.connect(memory_limit="1GB", threads=2)
        batch.load_records(con, rows)
        outcome = batch.link(con)
        results = list(outcome.iter_results())
        review = sorted(tuple(pair.values()) for pair in outcome.iter_review_pairs())
        con.close()
        return results, review

    whole = run()
    monkeypatch.setattr(batch, "_PAIRS_PER_PART", 40)
    parts = run()
    assert parts == whole
    assert any(row[4] == "linked" for row in whole[0])


def _clusters_of(pairs: list[tuple[int, int, float, float]], thresholds: Thresholds) -> list[int]:
    """Business clusters (by ordinal) of records 1..4 given scored pairs (l, r, bp, op)."""
    from naikkelas.linkage import batch

    con = batch.connect(memory_limit="512MB", threads=1)
    con.execute(
        "CREATE TABLE records AS SELECT 'r' || i AS record_id, NULL::VARCHAR AS nik, "
        "NULL::VARCHAR AS nik12, i::BIGINT AS position FROM range(1, 5) t(i)"
    )
    con.execute(
        "CREATE TABLE records_ids AS SELECT record_id, position, position AS ordinal FROM records"
    )
    con.execute("CREATE TABLE scored (ord_l BIGINT, ord_r BIGINT, bp DOUBLE, op DOUBLE)")
    con.executemany("INSERT INTO scored VALUES (?, ?, ?, ?)", pairs)
    batch.cluster_business(con, thresholds)
    found = con.execute("SELECT cluster_ordinal FROM business_clusters ORDER BY ordinal").fetchall()
    con.close()
    return [row[0] for row in found]


def test_a_doubtful_pair_of_one_owner_does_not_split_a_business() -> None:
    """Records 1-2-3 of one business, linked in a chain; 1 and 3 look like one owner's two
    businesses only because one list gave a wrong sector (business probability 0.3): they
    stay together. A pair surely of two businesses (0.05) stays apart."""
    chain = [(1, 2, 0.99, 0.99), (2, 3, 0.99, 0.99), (1, 3, 0.30, 0.99)]
    assert _clusters_of(chain, Thresholds()) == [1, 1, 1, 4]
    # with the band up to the review threshold constraining, the chain is cut
    assert _clusters_of(chain, Thresholds(apart=0.5)) != [1, 1, 1, 4]
    sure = [(1, 2, 0.99, 0.99), (2, 3, 0.99, 0.99), (1, 3, 0.05, 0.99)]
    assert _clusters_of(sure, Thresholds()) != [1, 1, 1, 4]


def test_thresholds_keep_apart_at_or_below_review() -> None:
    assert Thresholds().apart == 0.15
    assert Thresholds(review=0.1).apart == 0.1
    with pytest.raises(ValueError, match="apart"):
        Thresholds(apart=1.5)
