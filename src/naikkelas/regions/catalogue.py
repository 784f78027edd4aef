"""The packaged Kemendagri kode wilayah (read from ``regions/data``; no ORM).

Source, licence and processing notes: ``regions/data/SOURCE.md``.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

# Kepmendagri 300.2.2-2138/2025 as amended by 300.2.2-2430/2025.
CATALOGUE_VERSION = "kepmendagri-300.2.2-2138-2025"

LEVEL_BY_LENGTH = {2: 1, 5: 2, 8: 3, 13: 4}


@dataclass(frozen=True, slots=True)
class CatalogueRow:
    code: str  # dotted official form: "36", "36.73", "36.73.06", "36.73.06.1005"
    name: str
    level: int  # 1 provinsi, 2 kabupaten/kota, 3 kecamatan, 4 desa/kelurahan

    @property
    def parent_code(self) -> str | None:
        return self.code.rsplit(".", 1)[0] if "." in self.code else None


def iter_catalogue() -> Iterator[CatalogueRow]:
    data = resources.files("naikkelas.regions") / "data" / "wilayah_indonesia.csv.gz"
    with data.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8", newline="") as text:
        for row in csv.DictReader(text):
            code = row["kode"]
            yield CatalogueRow(code=code, name=row["nama"], level=LEVEL_BY_LENGTH[len(code)])


@cache
def postal_codes() -> dict[str, str]:
    """Postal code per kelurahan of Kota Serang (UNVERIFIED hint, never a key)."""
    data = resources.files("naikkelas.regions") / "data" / "kota_serang_3673_kodepos.csv"
    with data.open("rb") as raw:
        reader = csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
        return {row["kode"]: row["kodepos"] for row in reader}


@cache
def kecamatan_digit_codes() -> frozenset[str]:
    """Every kecamatan as its 6-digit form: what a NIK starts with."""
    return frozenset(row.code.replace(".", "") for row in iter_catalogue() if row.level == 3)
