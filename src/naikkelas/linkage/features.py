"""One record in, one row of matching features out (pure: no Django, no ORM).

The linkage model (``linkage.model``) compares records only through these features, so the
batch engine (DuckDB SQL) and the online scorer (Python) see exactly the same values.

Input records use the canonical columns of the ``link`` command and of the register:
``record_id, owner_name, nik, business_name, phone, address, kelurahan, sector`` and,
optionally, ``nib``. Places and sectors are resolved by callables the caller passes in
(``PlaceResolver``/``SectorResolver``): the register already holds codes, a spreadsheet holds
names, and this module stays free of both the ORM and the intake parsers.

Raw values repeat a lot (the same kelurahan 10,000 times, common owner names, the same
phone in a household), so :class:`FeatureMaker` remembers each column's answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from naikkelas.core.text import fold
from naikkelas.linkage.normalise import (
    business_key_and_kind,
    business_name,
    parse_address,
    person_name,
    phone_e164,
)

__all__ = [
    "FEATURE_COLUMNS",
    "FeatureMaker",
    "PlaceResolver",
    "SectorResolver",
    "clean_nik",
]

# The order of a feature row (a tuple); also the DuckDB table's columns.
FEATURE_COLUMNS: tuple[str, ...] = (
    "record_id",
    "owner_name",  # person_name(): honorifics, titles, old spelling, Muhammad folded
    "business_name",  # business_key(): no form words (Toko, UD ...), kind words (Nasi ...)
    "nik",  # 16 digits, or None
    "nik12",  # region + birth date/sex part of a 16-digit NIK (survives Excel damage)
    "phone",  # E.164 digits without "+", or None
    "street",  # the main address line: street, else perumahan, kampung or gang
    "house",  # house number or blok
    "rtrw",  # "002/003"; RT or RW alone as "002/" or "/003"
    "kelurahan",  # 10-digit Kemendagri code, or None
    "kecamatan",  # 6-digit code, or None
    "sector",  # sector code (or folded text when unknown)
    "nib",  # 13 digits, or None
    "kind",  # business_kind(): what the business sells or does ("nasi uduk"), or None
)

# "kel. bendung", "kelurahan cipare", "desa sukajaya" inside an address, up to a comma or a
# following kecamatan/kota label.
_PLACE_IN_ADDRESS = re.compile(
    r"(?<![a-z])(?:kelurahan|kel|desa|ds)\.?\s+([a-z][a-z .'-]*?)\s*(?:,|$|(?<![a-z])(?:kec|kecamatan|kota|kab)\b)"
)

# A kelurahan/desa/kecamatan/kota label after some other words of an address.
_PLACE_AFTER_PLACE = re.compile(r"\s(?:kelurahan|kel|desa|ds|kecamatan|kec|kota|kabupaten|kab)\b")

_MISSING = object()

PlaceResolver = Callable[[str], str | None]
"""Kelurahan text or code -> 10-digit kelurahan code (``"3673061001"``), or ``None``."""

SectorResolver = Callable[[str], str | None]
"""Sector text or code -> a sector code, or ``None`` when unknown."""


def _text(value: Any) -> str:
    if type(value) is str:  # the common case first: a million cells pass here
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN from a spreadsheet library
            return ""
        if value.is_integer():
            return str(int(value))
    return str(value).strip()


def clean_nik(raw: str) -> str | None:
    """A 16-digit NIK, tolerating spaces, dots and dashes; ``None`` otherwise.

    A NIK whose serial is ``0000`` is Excel damage (a 16-digit number keeps 15 significant
    digits), not a NIK: it still yields :func:`nik12` but no ``nik``.
    """
    text = raw.strip()
    if text.endswith(".0"):  # read back from a float cell
        text = text[:-2]
    # "'3673..." is Excel's text marker; spaces, dots and dashes group the digits.
    compact = "".join(ch for ch in text if ch not in " .-'`\u2019")
    if len(compact) != 16 or not (compact.isascii() and compact.isdigit()):
        return None
    return compact


def _same_words(left: str, right: str) -> bool:
    return left == right or sorted(left.split()) == sorted(right.split())


def _digits_only(raw: str) -> str:
    return "".join(ch for ch in raw if ch.isdigit())


@dataclass
class FeatureMaker:
    """Turns records into feature rows, remembering answers per column (values repeat).

    ``place`` and ``sector`` resolve the kelurahan and sector columns; without them the
    folded text is used as it is (still comparable between records of one file).
    ``sector_of_name`` (optional) fills a blank sector from the business name.
    """

    place: PlaceResolver | None = None
    sector: SectorResolver | None = None
    # Infers a sector from the business name when the sector is blank ("Nasi Uduk Bu Siti"
    # -> kuliner); must return a known sector code or None.
    sector_of_name: SectorResolver | None = None
    _memo: dict[str, dict[str, Any]] = field(default_factory=dict, init=False, repr=False)

    def _remember(self, column: str, raw: str, make: Callable[[str], Any]) -> Any:
        memo = self._memo.get(column)
        if memo is None:
            memo = self._memo[column] = {}
        value = memo.get(raw, _MISSING)
        if value is _MISSING:
            value = memo[raw] = make(raw)
            if len(memo) > 500_000:  # bound the memory of a huge file with unique values
                memo.clear()
        return value

    def _owner(self, raw: str) -> str | None:
        return person_name(raw) or None

    def _business(self, raw: str) -> tuple[str | None, str | None]:
        key, kind = business_key_and_kind(raw)
        return key or None, kind or None

    def _phone(self, raw: str) -> str | None:
        value = phone_e164(raw)
        return value.lstrip("+") if value else None

    def _address(self, raw: str) -> tuple[str | None, str | None, str | None]:
        parts = parse_address(raw)
        main = parts.street or parts.perumahan or parts.kampung or parts.gang
        if main is None and parts.rest:
            # "Sukawana RT 8 RW 2 Kel. Sukawana": the unlabelled place, not the kelurahan
            # (or kecamatan, kota) written after it
            after = _PLACE_AFTER_PLACE.search(parts.rest)
            main = parts.rest[: after.start()] if after else parts.rest
        house = parts.number or parts.blok
        rtrw = f"{parts.rt or ''}/{parts.rw or ''}" if (parts.rt or parts.rw) else None
        return main or None, house, rtrw

    def _place(self, raw: str) -> str | None:
        if self.place is not None:
            code = self.place(raw)
            return code.replace(".", "") if code else None
        return fold(raw) or None

    def _address_place(self, raw: str) -> str | None:
        match = _PLACE_IN_ADDRESS.search(fold(raw))
        if match is None or self.place is None:
            return None
        return self._place(match.group(1).strip())

    def _sector_of_name(self, raw: str) -> str | None:
        # Form words ("Toko", "Warung") are left out: a warung sells food or groceries.
        core = business_name(raw).core
        return self.sector_of_name(core) if core and self.sector_of_name else None

    def _sector(self, raw: str) -> str | None:
        if self.sector is not None:
            return self.sector(raw)
        return fold(raw) or None

    def row(self, record: Mapping[str, Any], record_id: str) -> tuple[Any, ...]:
        """The feature row of one record (see :data:`FEATURE_COLUMNS`)."""
        owner = _text(record.get("owner_name"))
        business = _text(record.get("business_name"))
        nik_raw = _text(record.get("nik"))
        phone = _text(record.get("phone"))
        address = _text(record.get("address"))
        kelurahan = _text(record.get("kelurahan"))
        sector = _text(record.get("sector"))
        nib = _digits_only(_text(record.get("nib")))

        nik = clean_nik(nik_raw) if nik_raw else None
        nik12 = nik[:12] if nik else None
        if nik is not None and nik.endswith("0000"):
            nik = None  # Excel damage: keep the reliable region + birth part only
        street, house, rtrw = (
            self._remember("address", address, self._address) if address else (None,) * 3
        )
        kel = self._remember("kelurahan", kelurahan, self._place) if kelurahan else None
        if kel is None and address:
            # "Kp. Pabuaran RT 04/RW 02 Kel. Bendung": the kelurahan written in the address.
            kel = self._remember("address_place", address, self._address_place)
        sector_code = self._remember("sector", sector, self._sector) if sector else None
        if sector_code is None and business and self.sector_of_name is not None:
            # "Nasi Uduk Bu Siti" says kuliner: the sector a blank column leaves unknown.
            sector_code = self._remember("sector_of_name", business, self._sector_of_name)
        business_key, kind = (
            self._remember("business", business, self._business) if business else (None, None)
        )
        owner_name = self._remember("owner", owner, self._owner) if owner else None
        if (
            business_key is not None
            and owner_name is not None
            and _same_words(business_key, owner_name)
        ):
            # Lists that put the owner's name in the business column ("Siti Aminah" for
            # "Siti Aminah"): it says which owner, not which of her businesses.
            business_key = None
        return (
            record_id,
            owner_name,
            business_key,
            nik,
            nik12,
            self._remember("phone", phone, self._phone) if phone else None,
            street,
            house,
            rtrw,
            kel,
            kel[:6] if kel and kel.isdigit() and len(kel) == 10 else None,
            sector_code,
            nib if len(nib) == 13 else None,
            kind,
        )

    def rows(self, records: Iterable[Mapping[str, Any]]) -> Iterator[tuple[Any, ...]]:
        """Feature rows; ``record_id`` from the record, else its 1-based position."""
        for position, record in enumerate(records, start=1):
            record_id = _text(record.get("record_id")) or str(position)
            yield self.row(record, record_id)
