"""Tolerant region-name lookup (pure) against the real Kota Serang list."""

from __future__ import annotations

import pytest

from naikkelas.regions.lookup import Candidate, NameIndex, name_key


def kota_serang() -> NameIndex:
    from naikkelas.regions.catalogue import iter_catalogue

    return NameIndex(
        Candidate(row.code, row.name, row.parent_code)
        for row in iter_catalogue()
        if row.level == 4 and row.code.startswith("36.73.")
    )


INDEX = kota_serang()


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("Kalanganyar", "36.73.06.1005"),
        ("Kalang Anyar", "36.73.06.1005"),
        ("KEL. KALANG ANYAR", "36.73.06.1005"),
        ("kelurahan kalanganyar", "36.73.06.1005"),
        ("Kepuren", "36.73.03.1009"),
        ("Kapuren", "36.73.03.1009"),
        ("Lontar Baru", "36.73.01.1009"),
        ("lontarbaru", "36.73.01.1009"),
        ("Banjaragung", "36.73.05.1004"),
        ("Curugmanis", "36.73.04.1009"),
        ("KP. PAGERAGUNG", "36.73.03.1007"),
        ("Ds. Pager Agung", "36.73.03.1007"),
        ("Masjid Priyayi", "36.73.02.1002"),
        ("  sumur   pecung ", "36.73.01.1003"),
    ],
)
def test_variants_resolve_to_the_kemendagri_code(query: str, code: str) -> None:
    assert INDEX.resolve(query).code == code


def test_same_name_in_two_kecamatan_is_ambiguous_until_narrowed() -> None:
    result = INDEX.resolve("Sukawana")
    assert result.code is None
    assert result.ambiguous
    assert {s.code for s in result.suggestions} == {"36.73.01.1008", "36.73.04.1007"}
    assert INDEX.resolve("Sukawana", within="36.73.04").code == "36.73.04.1007"


def test_unknown_name_gives_suggestions() -> None:
    result = INDEX.resolve("Kalangayar")
    assert result.code is None
    assert result.suggestions[0].code == "36.73.06.1005"


def test_nonsense_gives_nothing() -> None:
    result = INDEX.resolve("zzzqqq")
    assert result.code is None
    assert result.suggestions == ()


def test_name_key_ignores_prefix_case_spacing_and_old_spelling() -> None:
    assert name_key("Kel. Tjipare") == name_key("CIPARE")
    assert name_key("Desa  Sawah-Luhur") == "sawahluhur"


def test_answers_are_remembered_per_question() -> None:
    index = kota_serang()
    first = index.resolve("Kalang Anyar")
    assert index.resolve("Kalang Anyar") is first
    assert index.resolve("Kalang Anyar", within="36.73.01").code is None  # another question
    assert index.resolve("Kalang Anyar", within="36.73.06").code == "36.73.06.1005"
