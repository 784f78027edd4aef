"""Fill a fresh database with a synthetic province-sized register (prints figures, asserts nothing).

    NAIKKELAS_DATA_DIR=$(mktemp -d) .venv/bin/python -m bench.scale.generate --businesses 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_scale NAIKKELAS_DATA_DIR=$(mktemp -d) \\
        .venv/bin/python -m bench.scale.generate                      # 1,000,000 businesses

The database is migrated, the regions of the deployment area are loaded (``NAIKKELAS_AREA_CODE``,
``36`` = all of Banten unless set), then the register is generated in chunks by the project's
own synthetic generator (``registry.demo_data.generate_register``) and written with
``core.bulk_write.bulk_insert`` (COPY on PostgreSQL, executemany on SQLite):

* owners (about 4% with several businesses, 5% of businesses with a co-owner);
* businesses with NIB, status (about 3% closed), a mix of sources and registration dates over
  five years;
* yearly figures with history (1 to 6 years: omzet, modal, workers, size class by
  ``registry.classification.classify``), permits (SPP-IRT, halal, BPOM, SNI, merek with dates),
  market channels and Hipmikindo memberships;
* an aid ledger (``programs.AidRecord``, 2019 to today, binaan businesses more often), kendala
  (2023 to today, with statuses, responses and resolution times) and market data (storefronts,
  products, retail and online listings, packaging upgrades) for some binaan businesses.

Everything is synthetic: NIK serials 9000-9999, phones ``+62 8xx 0000 xxxxx`` (the ``0000``
marker of ADR 0005, with 5-digit tails so that a million owners get distinct numbers), NIB
starting with 9. The generator refuses a database that already holds businesses.
Deterministic for a given ``(businesses, chunk, seed)`` apart from the primary keys (UUID7).
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bench.scale._env import database_size, describe_database, django_setup

SEED = 3673
CHUNK = 50_000
# Mobile prefixes used for the synthetic numbers; the subscriber part always starts 0000.
PHONE_PREFIXES = (
    "811", "812", "813", "821", "822", "823", "852", "853", "855", "856", "857", "858", "859",
    "877", "878", "881", "882", "883", "895", "896", "897", "898", "899",
)  # fmt: skip
SOURCES = (("import", 45), ("odk", 25), ("manual", 15), ("self", 10), ("api", 5))
AID_KINDS = (
    ("pelatihan", (500_000, 750_000, 1_000_000)),
    ("kemasan", (1_000_000, 1_500_000, 2_000_000)),
    ("halal", (300_000, 650_000)),
    ("ecommerce", (750_000, 1_000_000)),
    ("ritel", (1_500_000, 2_500_000)),
)
RETAILERS = {"Indomaret": "indomaret", "Alfamart": "alfamart", "Alfamidi": "alfamidi"}
PLATFORMS = {
    "Shopee": "shopee",
    "Tokopedia": "tokopedia",
    "TikTok Shop": "tiktok",
    "Lazada": "lazada",
}
KENDALA_TITLES = {
    "perizinan": "Pengurusan izin usaha belum selesai",
    "permodalan": "Butuh tambahan modal usaha",
    "pemasaran": "Penjualan menurun, butuh akses pasar",
    "bahan-baku": "Harga bahan baku naik",
    "kemasan": "Kemasan belum layak untuk ritel",
    "sdm-pelatihan": "Butuh pelatihan pembukuan",
    "teknologi-digital": "Belum bisa berjualan online",
    "pajak": "Bingung cara lapor pajak UMKM",
    "lainnya": "Kendala lain",
}
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _aware(day: date, seconds: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(seconds=seconds)


def _rand_date(rng: random.Random, start: date, end: date) -> date:
    if end <= start:
        return start
    return start + timedelta(days=int(rng.random() * ((end - start).days + 1)))


def _round_reported(value: float) -> int:
    """Round the way owners report figures (to a few significant digits)."""
    step = 10_000 if value < 1e7 else 100_000 if value < 1e8 else 1_000_000 if value < 1e9 else 1e7
    return int(max(step, round(value / step) * step))


def _pick(rng: random.Random, weighted: Iterable[tuple[Any, int]]) -> Any:
    items = list(weighted)
    total = sum(w for _, w in items)
    r = rng.random() * total
    for item, weight in items:
        r -= weight
        if r < 0:
            return item
    return items[-1][0]


class Loader:
    """Turns the demo generator's businesses into rows and writes them; keeps identifiers
    unique across chunks (NIK, NIB, phone, member number, tracking code)."""

    def __init__(self, *, seed: int, today: date, area: str) -> None:
        self.rng = random.Random(seed * 7 + 1)
        self.seed = seed
        self.today = today
        self.area = area
        self.niks: set[str] = set()
        self.nibs: set[str] = set()
        self.codes: set[str] = set()
        self.phone_serial = 0
        self.member_serial = 0
        self.rows: Counter[str] = Counter()
        self.seconds: Counter[str] = Counter()
        self.notes: Counter[str] = Counter()
        self.programmes: dict[str, Any] = {}
        self.categories: list[tuple[Any, str]] = []
        self.user_id: int | None = None
        self.first_registration = date(today.year - 5, 1, 1)

    # -- identifiers ---------------------------------------------------------------------------

    def phone(self) -> str:
        """A new distinct synthetic number ``+62 8xx 0000 xxxxx`` (2.3 million available)."""
        n = self.phone_serial
        self.phone_serial += 1
        prefix = PHONE_PREFIXES[n % len(PHONE_PREFIXES)]
        block = n // len(PHONE_PREFIXES)
        if block >= 100_000:
            raise RuntimeError("synthetic phone numbers exhausted")
        tail = (block * 7919 + 12345) % 100_000  # a permutation of the 5-digit tails
        return f"+62{prefix}0000{tail:05d}"

    def tracking_code(self) -> str:
        while True:
            body = "".join(self.rng.choice(CODE_ALPHABET) for _ in range(8))
            code = f"K{body[:4]}-{body[4:]}"
            if code not in self.codes:
                self.codes.add(code)
                return code

    # -- writing -------------------------------------------------------------------------------

    def write(self, model: Any, rows: list[Mapping[str, Any]]) -> None:
        from naikkelas.core.bulk_write import bulk_insert

        if not rows:
            return
        started = time.perf_counter()
        bulk_insert(model, rows)
        self.seconds[model._meta.label] += time.perf_counter() - started
        self.rows[model._meta.label] += len(rows)

    # -- reference data ------------------------------------------------------------------------

    def reference(self) -> None:
        from naikkelas.accounts.models import Role, User
        from naikkelas.accounts.services import user_create
        from naikkelas.kendala.models import KendalaCategory
        from naikkelas.kendala.services import kendala_categories_load
        from naikkelas.programs.models import Programme
        from naikkelas.registry.services import sector_catalogue_load

        sector_catalogue_load()
        kendala_categories_load()
        self.categories = list(KendalaCategory.objects.values_list("id", "code"))
        user = User.objects.filter(username="bench").first() or user_create(
            username="bench", password="Bench-12345!", role=Role.DINAS, full_name="Bench Officer"
        )
        self.user_id = user.pk
        names = {
            "pelatihan": "Pelatihan Manajemen Usaha",
            "kemasan": "Bantuan Kemasan Siap Ritel",
            "halal": "Fasilitasi Halal Self-Declare",
            "ecommerce": "Onboarding E-commerce",
            "ritel": "Kurasi Ritel Modern",
        }
        rows = []
        for kind, name in names.items():
            pk = Programme._meta.pk.default()
            self.programmes[kind] = pk
            rows.append({"id": pk, "name": name, "kind": kind, "organiser": "dinas"})
        self.write(Programme, rows)

    # -- one chunk -----------------------------------------------------------------------------

    def chunk(self, register: Any, chunk_index: int) -> None:  # noqa: C901 (one pass, many tables)
        from django.db import transaction

        from naikkelas.core.ids import new_id
        from naikkelas.core.text import compact_key
        from naikkelas.kendala.models import Kendala
        from naikkelas.market.models import Listing, PackagingUpgrade, Product, Storefront
        from naikkelas.programs.models import AidRecord
        from naikkelas.registry.classification import classify
        from naikkelas.registry.models import (
            Business,
            BusinessOwner,
            MarketChannel,
            Membership,
            Owner,
            Permit,
            YearlyFigure,
        )

        rng = self.rng
        today = self.today
        span = (today - self.first_registration).days
        owner_ids: dict[int, Any] = {}
        owner_phone: dict[int, str] = {}
        owner_rows: list[dict[str, Any]] = []
        for o in register.owners:
            nik = o.nik
            if nik is not None and nik in self.niks:
                nik = None  # the same synthetic NIK drawn in an earlier chunk
                self.notes["owner NIK dropped (drawn twice across chunks)"] += 1
            if nik is not None:
                self.niks.add(nik)
            pk = new_id()
            owner_ids[o.key] = pk
            phone = self.phone() if o.phone else ""
            owner_phone[o.key] = phone
            registered = self.first_registration + timedelta(days=int(rng.random() * span))
            owner_rows.append(
                {
                    "id": pk,
                    "full_name": o.full_name,
                    "name_key": compact_key(o.full_name),
                    "nik": nik,
                    "sex": o.sex,
                    "birth_date": o.birth_date,
                    "phone": phone,
                    "address": o.address,
                    "source": "import",
                    "created_at": _aware(registered, 8 * 3600),
                    "updated_at": _aware(registered, 8 * 3600),
                }
            )
        demo_owner_phone = {o.key: o.phone for o in register.owners}

        businesses: list[dict[str, Any]] = []
        links: list[dict[str, Any]] = []
        figures: list[dict[str, Any]] = []
        permits: list[dict[str, Any]] = []
        channels: list[dict[str, Any]] = []
        members: list[dict[str, Any]] = []
        aid: list[dict[str, Any]] = []
        kendala: list[dict[str, Any]] = []
        storefronts: list[dict[str, Any]] = []
        products: list[dict[str, Any]] = []
        upgrades: list[dict[str, Any]] = []
        listings: list[dict[str, Any]] = []

        for demo in register.businesses:
            pk = new_id()
            kecamatan = demo.kelurahan_code.rsplit(".", 1)[0]
            main_key = demo.owner_keys[0]
            if demo.phone is None:
                phone = ""
            elif demo.phone == demo_owner_phone[main_key] and owner_phone[main_key]:
                phone = owner_phone[main_key]
            else:
                phone = self.phone()
            nib = demo.nib if demo.nib and demo.nib not in self.nibs else None
            if nib:
                self.nibs.add(nib)
            registered = self.first_registration + timedelta(days=int(rng.random() * span))
            created = _aware(registered, int(rng.random() * 86400))
            status, closed_on, closed_reason = "active", None, ""
            if rng.random() < 0.03:
                status = "closed"
                closed_on = _rand_date(rng, max(registered, date(2023, 1, 1)), today)
                closed_reason = "Usaha berhenti (data sintetis)"

            # Figures: the generator's last one to three years, extended back to six.
            history = list(demo.figures)
            wanted = _pick(rng, ((1, 15), (2, 20), (3, 20), (4, 20), (5, 15), (6, 10)))
            oldest = history[0]
            omzet = float(oldest.omzet or 0) or None
            modal = float(oldest.modal or 0) or None
            year = oldest.year
            extra = []
            while len(history) + len(extra) < wanted and year - 1 >= max(
                demo.established_year, 2015
            ):
                year -= 1
                shrink = math.exp(rng.gauss(0.06, 0.15))
                omzet = omzet / shrink if omzet else None
                modal = modal / shrink if modal else None
                workers = oldest.workers
                if workers and workers > 2 and rng.random() < 0.3:
                    workers -= 1
                if omzet is None and modal is None and workers is None:
                    break
                extra.append(
                    (
                        year,
                        _round_reported(omzet) if omzet else None,
                        _round_reported(modal) if modal else None,
                        workers,
                    )
                )
            rows = [*reversed(extra), *((f.year, f.omzet, f.modal, f.workers) for f in history)]
            size_class, size_year = "", None
            for year, omzet_v, modal_v, workers_v in rows:
                result = classify(year=year, omzet=omzet_v, modal=modal_v)
                figures.append(
                    {
                        "business_id": pk,
                        "year": year,
                        "omzet": omzet_v,
                        "modal": modal_v,
                        "workers": workers_v,
                        "size_class": result.size_class.value if result else "",
                        "size_class_basis": result.basis.value if result else "",
                        "rule_id": result.rule.id if result else "",
                    }
                )
                if result is not None:
                    size_class, size_year = result.size_class.value, year

            businesses.append(
                {
                    "id": pk,
                    "created_at": created,
                    "updated_at": created,
                    "name": demo.name,
                    "name_key": compact_key(demo.name),
                    "legal_form": demo.legal_form,
                    "sector_id": demo.sector,
                    "kbli_code": demo.kbli_code,
                    "products": demo.products,
                    "kecamatan_id": kecamatan,
                    "desa_kelurahan_id": demo.kelurahan_code,
                    "address": demo.address,
                    "latitude": demo.latitude,
                    "longitude": demo.longitude,
                    "phone": phone,
                    "established_year": demo.established_year,
                    "nib": nib,
                    "nib_issued_on": demo.nib_issued_on if nib else None,
                    "npwp": demo.npwp or "",
                    "size_class": size_class,
                    "size_class_year": size_year,
                    "is_binaan": demo.is_binaan,
                    "binaan_since": demo.binaan_since if demo.is_binaan else None,
                    "status": status,
                    "closed_on": closed_on,
                    "closed_reason": closed_reason,
                    "source": _pick(rng, SOURCES),
                    "source_ref": f"bench scale seed {self.seed}",
                }
            )
            for index, key in enumerate(demo.owner_keys):
                links.append(
                    {
                        "business_id": pk,
                        "owner_id": owner_ids[key],
                        "role": "pemilik" if index == 0 else "pemilik_bersama",
                    }
                )
            seen_permits = set()
            for p in demo.permits:
                if (p.kind, p.number) in seen_permits:
                    continue
                seen_permits.add((p.kind, p.number))
                permits.append(
                    {
                        "business_id": pk,
                        "kind": p.kind,
                        "number": p.number,
                        "issued_on": p.issued_on,
                        "expires_on": p.expires_on,
                        "detail": p.detail,
                    }
                )
            unique_channels = {(c.kind, c.name): c for c in demo.channels}
            for c in unique_channels.values():
                channels.append({"business_id": pk, "kind": c.kind, "name": c.name, "url": c.url})
            if demo.member_number:
                self.member_serial += 1
                members.append(
                    {
                        "business_id": pk,
                        "number": f"HPK-{self.area.replace('.', '')}-{self.member_serial:07d}",
                        "since": demo.member_since,
                        "status": "aktif" if rng.random() < 0.9 else "tidak_aktif",
                    }
                )

            # Aid ledger: binaan businesses far more often, some helped several times.
            if rng.random() < (0.12 if demo.is_binaan else 0.015):
                times = _pick(rng, ((1, 70), (2, 20), (3, 10)))
                for _ in range(times):
                    kind, values = AID_KINDS[int(rng.random() * len(AID_KINDS))]
                    received = _rand_date(rng, date(2019, 1, 1), today - timedelta(days=1))
                    aid.append(
                        {
                            "business_id": pk,
                            "kind": kind,
                            "programme_id": self.programmes[kind],
                            "description": f"Bantuan {kind} {received.year} (sintetis)",
                            "provider": "Diskopukmperindag",
                            "value": values[int(rng.random() * len(values))],
                            "received_on": received,
                        }
                    )

            # Kendala: about 3% of businesses reported one (2023 to today).
            if rng.random() < 0.03:
                kendala.append(
                    self._kendala_row(
                        business_id=pk,
                        kecamatan=kecamatan,
                        kelurahan=demo.kelurahan_code,
                        sector=demo.sector,
                    )
                )

            # Market: storefronts, products and listings of binaan businesses that sell there.
            if demo.is_binaan:
                retail = [RETAILERS.get(c.name, "lainnya") for c in unique_channels.values()
                          if c.kind == "RITEL_MODERN"]  # fmt: skip
                online = [PLATFORMS[c.name] for c in unique_channels.values()
                          if c.kind == "MARKETPLACE" and c.name in PLATFORMS]  # fmt: skip
                if retail or online or rng.random() < 0.1:
                    published = rng.random() < 0.6
                    storefronts.append(
                        {
                            "business_id": pk,
                            "display_name": demo.name,
                            "whatsapp": phone,
                            "published": published,
                            "consent_at": created if published else None,
                            "consent_note": "data sintetis",
                        }
                    )
                    for n in range(1 + int(rng.random() * 3)):
                        product_id = new_id()
                        products.append(
                            {
                                "id": product_id,
                                "business_id": pk,
                                "name": f"{demo.products[:120]} {n + 1}".strip(),
                                "price": 5_000 * (1 + int(rng.random() * 60)),
                                "unit": "pcs",
                                "packaging_status": _pick(
                                    rng,
                                    (
                                        ("polos", 3),
                                        ("label", 4),
                                        ("full_colour", 2),
                                        ("siap_ritel", 1),
                                    ),
                                ),
                            }
                        )
                        if rng.random() < 0.2:
                            upgrades.append(
                                {
                                    "product_id": product_id,
                                    "from_status": "label",
                                    "to_status": "full_colour",
                                    "done_on": _rand_date(rng, date(2022, 1, 1), today),
                                    "description": "Cetak kemasan full colour (sintetis)",
                                }
                            )
                    for retailer in dict.fromkeys(retail):
                        listings.append(
                            {
                                "business_id": pk,
                                "kind": "retail",
                                "retailer": retailer,
                                "region": "Banten",
                                "since": _rand_date(rng, date(2021, 1, 1), today),
                                "status": _pick(
                                    rng, (("listed", 8), ("curation", 1), ("stopped", 1))
                                ),
                            }
                        )
                    for platform in dict.fromkeys(online):
                        listings.append(
                            {
                                "business_id": pk,
                                "kind": "online",
                                "platform": platform,
                                "since": _rand_date(rng, date(2020, 1, 1), today),
                                "status": _pick(rng, (("listed", 9), ("stopped", 1))),
                            }
                        )

        # Reports by people without a registered business (public page, forum): 10% more.
        for _ in range(len(kendala) // 10):
            demo = register.businesses[int(rng.random() * len(register.businesses))]
            kendala.append(
                self._kendala_row(
                    business_id=None,
                    kecamatan=demo.kelurahan_code.rsplit(".", 1)[0],
                    kelurahan=demo.kelurahan_code,
                    sector=demo.sector,
                )
            )

        with transaction.atomic():
            self.write(Owner, owner_rows)
            self.write(Business, businesses)
            self.write(BusinessOwner, links)
            self.write(YearlyFigure, figures)
            self.write(Permit, permits)
            self.write(MarketChannel, channels)
            self.write(Membership, members)
            self.write(AidRecord, aid)
            self.write(Kendala, kendala)
            self.write(Storefront, storefronts)
            self.write(Product, products)
            self.write(PackagingUpgrade, upgrades)
            self.write(Listing, listings)

    def _kendala_row(
        self, *, business_id: Any, kecamatan: str, kelurahan: str, sector: str
    ) -> dict[str, Any]:
        rng = self.rng
        today = self.today
        reported = _rand_date(rng, date(2023, 1, 1), today)
        created = _aware(reported, int(rng.random() * 86400))
        category_id, code = self.categories[int(rng.random() * len(self.categories))]
        age = (today - reported).days
        r = rng.random()
        if age > 90:
            status = "selesai" if r < 0.7 else "tidak_dapat" if r < 0.8 else "ditindaklanjuti"
        else:
            status = (
                "baru"
                if r < 0.3
                else "ditelaah"
                if r < 0.5
                else "ditindaklanjuti"
                if r < 0.7
                else "selesai"
                if r < 0.95
                else "tidak_dapat"
            )
        closed_at = responded_at = None
        response = ""
        if status in ("selesai", "tidak_dapat"):
            days = min(rng.expovariate(1 / 25), max(age - 0.01, 0))
            closed_at = responded_at = created + timedelta(days=days)
            response = "Sudah ditindaklanjuti petugas (sintetis)."
        elif status == "ditindaklanjuti" and rng.random() < 0.5:
            responded_at = created + timedelta(days=min(rng.expovariate(1 / 10), max(age, 0)))
            response = "Sedang diproses (sintetis)."
        row: dict[str, Any] = {
            "created_at": created,
            "updated_at": closed_at or created,
            "tracking_code": self.tracking_code(),
            "channel": "petugas" if business_id else _pick(rng, (("publik", 3), ("forum", 2))),
            "business_id": business_id,
            "kecamatan_id": kecamatan,
            "desa_kelurahan_id": kelurahan,
            "sector_id": sector,
            "category_id": category_id,
            "title": KENDALA_TITLES.get(code, "Kendala usaha"),
            "description": "Uraian kendala (data sintetis).",
            "status": status,
            "response": response,
            "responded_at": responded_at,
            "target_date": reported + timedelta(days=30),
            "closed_at": closed_at,
        }
        if business_id is None:
            row["reporter_name"] = "Pelapor Sintetis"
            row["reporter_phone"] = self.phone()
        return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--businesses", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=CHUNK)
    parser.add_argument("--seed", type=int, default=SEED)
    options = parser.parse_args()

    django_setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from naikkelas.regions.models import Region
    from naikkelas.regions.selectors import desa_kelurahan_list
    from naikkelas.regions.services import region_catalogue_load
    from naikkelas.registry.demo_data import generate_register
    from naikkelas.registry.models import Business

    area = settings.NAIKKELAS_AREA_CODE
    print(f"database: {describe_database()}")
    print(f"area: {area}; businesses: {options.businesses:,}; chunk {options.chunk:,}")
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    if Business.objects.exists():
        print("refusing: the database already holds businesses (use a fresh one)")
        sys.exit(2)
    region_catalogue_load(within=(area,))
    kelurahan = [(r.code, r.name, r.parent_id or "") for r in desa_kelurahan_list()]
    per_kabupaten = Counter(code[:5] for code, _, _ in kelurahan)
    names = dict(Region.objects.filter(code__in=list(per_kabupaten)).values_list("code", "name"))
    print(
        f"regions: {len(kelurahan):,} desa/kelurahan in "
        f"{len({k for _, _, k in kelurahan}):,} kecamatan of {len(per_kabupaten)} kabupaten/kota: "
        + ", ".join(f"{names.get(c, c)} {n}" for c, n in sorted(per_kabupaten.items()))
    )
    if not kelurahan:
        print("no desa/kelurahan in the area: check NAIKKELAS_AREA_CODE")
        sys.exit(2)
    today = timezone.localdate()
    loader = Loader(seed=options.seed, today=today, area=area)
    loader.reference()
    print(
        f"set-up (migrate, regions, sectors, categories, user): {time.perf_counter() - started:.1f} s"
    )

    generate_seconds = 0.0
    done = 0
    index = 0
    load_started = time.perf_counter()
    while done < options.businesses:
        n = min(options.chunk, options.businesses - done)
        t0 = time.perf_counter()
        register = generate_register(
            businesses=n, kelurahan=kelurahan, seed=options.seed * 1000 + index, today=today
        )
        generate_seconds += time.perf_counter() - t0
        loader.chunk(register, index)
        del register
        done += n
        index += 1
        elapsed = time.perf_counter() - load_started
        print(
            f"  {done:>10,} businesses  {elapsed:7.1f} s  ({done / elapsed:,.0f} businesses/s)",
            flush=True,
        )
    load_seconds = time.perf_counter() - load_started
    write_seconds = sum(loader.seconds.values())

    t0 = time.perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        finish = "VACUUM ANALYZE"
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        finish = "ANALYZE"
    finish_seconds = time.perf_counter() - t0
    total = time.perf_counter() - started
    all_rows = sum(loader.rows.values())

    print()
    print(f"{'table':<28}{'rows':>12}{'write s':>10}{'rows/s':>12}")
    for label, rows in loader.rows.most_common():
        seconds = loader.seconds[label]
        print(f"{label:<28}{rows:>12,}{seconds:>10.1f}{rows / seconds if seconds else 0:>12,.0f}")
    print(f"{'all':<28}{all_rows:>12,}{write_seconds:>10.1f}{all_rows / write_seconds:>12,.0f}")
    print()
    print(f"generate (registry.demo_data, pure Python): {generate_seconds:8.1f} s")
    print(
        f"convert (rows, classify, history):          "
        f"{load_seconds - generate_seconds - write_seconds:8.1f} s"
    )
    print(f"write (bulk_insert):                         {write_seconds:8.1f} s")
    print(f"{finish + ':':<44}{finish_seconds:8.1f} s")
    print(
        f"total: {total:.1f} s for {options.businesses:,} businesses "
        f"({all_rows:,} rows, {all_rows / total:,.0f} rows/s overall); "
        f"database size {database_size()}"
    )
    for note, n in loader.notes.items():
        print(f"note: {n:,} {note}")
    print(
        "phones issued: "
        f"{loader.phone_serial:,}; NIB: {len(loader.nibs):,}; NIK: {len(loader.niks):,}; "
        f"kendala codes: {len(loader.codes):,}"
    )


if __name__ == "__main__":
    main()
