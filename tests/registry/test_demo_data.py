"""Tests for naikkelas.registry.demo_data (pure: no database, no Django settings)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.id import nik as stdnum_nik
from stdnum.id import npwp as stdnum_npwp

from naikkelas.registry.demo_data import (
    SECTOR_CODES,
    DemoBusiness,
    DemoOwner,
    DemoRegister,
    generate_register,
)

KELURAHAN = (
    ("36.73.01.1002", "Cipare", "36.73.01"),
    ("36.73.02.1007", "Banten", "36.73.02"),
    ("36.73.06.1005", "Kalanganyar", "36.73.06"),
    ("36.73.05.1002", "Karundang", "36.73.05"),
)
KELURAHAN_CODES = {code for code, _, _ in KELURAHAN}
TODAY = date(2026, 1, 1)
MILIAR = 1_000_000_000
JUTA = 1_000_000

PHONE_RE = re.compile(r"^\+62(812|857)0000\d{4}$")
NIB_RE = re.compile(r"^9\d{12}$")
SPP_IRT_RE = re.compile(r"^\d{13}-\d{2}$")
HALAL_RE = re.compile(r"^ID36\d{15}$")
MD_RE = re.compile(r"^MD \d{12}$")
MEREK_RE = re.compile(r"^IDM\d{9}$")
MEMBER_RE = re.compile(r"^HPK-3673-\d{5}$")
KOTA_SERANG_NIK_REGIONS = {f"3673{k:02d}" for k in range(1, 7)}
HONORIFIC_RE = re.compile(r"^(H\.|Hj\.|Ibu|Bapak) |, |\b(S\.Pd|S\.E\.|SE|A\.Md)", re.IGNORECASE)


@pytest.fixture(scope="module")
def register() -> DemoRegister:
    return generate_register(businesses=3000, kelurahan=KELURAHAN, seed=7, today=TODAY)


def latest_omzet(business: DemoBusiness) -> int | None:
    return business.figures[-1].omzet


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - int((day.month, day.day) < (birth.month, birth.day))


def check_nik(owner: DemoOwner) -> None:
    nik = owner.nik
    assert nik is not None
    assert len(nik) == 16 and nik.isdigit(), nik
    assert 9000 <= int(nik[12:]) <= 9999, nik
    region = nik[:6]
    assert region in KOTA_SERANG_NIK_REGIONS or region.startswith("3604"), nik
    day = owner.birth_date.day + (40 if owner.sex == "P" else 0)
    expected = f"{day:02d}{owner.birth_date.month:02d}{owner.birth_date.year % 100:02d}"
    assert nik[6:12] == expected, (nik, owner.birth_date, owner.sex)
    assert stdnum_nik.is_valid(nik), nik


# --------------------------------------------------------------------------------------------
# Determinism and shape
# --------------------------------------------------------------------------------------------


def test_same_seed_gives_identical_register() -> None:
    first = generate_register(businesses=400, kelurahan=KELURAHAN, seed=11)
    second = generate_register(businesses=400, kelurahan=list(KELURAHAN), seed=11)
    assert first == second


def test_different_seed_gives_different_register() -> None:
    first = generate_register(businesses=200, kelurahan=KELURAHAN, seed=1)
    second = generate_register(businesses=200, kelurahan=KELURAHAN, seed=2)
    assert first.businesses != second.businesses
    assert [o.nik for o in first.owners] != [o.nik for o in second.owners]


def test_counts(register: DemoRegister) -> None:
    assert len(register.businesses) == 3000
    # ~4% of businesses belong to an owner who already has one; ~5% add a co-owner.
    assert 2700 <= len(register.owners) <= 3300
    assert [o.key for o in register.owners] == list(range(len(register.owners)))


def test_zero_businesses_and_bad_arguments() -> None:
    empty = generate_register(businesses=0, kelurahan=KELURAHAN)
    assert empty == DemoRegister(owners=(), businesses=())
    with pytest.raises(ValueError):
        generate_register(businesses=-1, kelurahan=KELURAHAN)
    with pytest.raises(ValueError):
        generate_register(businesses=10, kelurahan=[])


def test_some_owners_hold_two_businesses(register: DemoRegister) -> None:
    per_main_owner = Counter(b.owner_keys[0] for b in register.businesses)
    share = sum(1 for n in per_main_owner.values() if n >= 2) / len(register.owners)
    assert 0.02 <= share <= 0.07
    co_owned = sum(1 for b in register.businesses if len(b.owner_keys) > 1)
    assert 0.02 <= co_owned / len(register.businesses) <= 0.09


def test_owner_keys_refer_to_existing_owners(register: DemoRegister) -> None:
    used: set[int] = set()
    for business in register.businesses:
        assert business.owner_keys
        assert len(set(business.owner_keys)) == len(business.owner_keys)
        for key in business.owner_keys:
            assert 0 <= key < len(register.owners)
            used.add(key)
    assert used == set(range(len(register.owners)))  # nobody is left without a business


def test_kelurahan_codes_come_from_the_input(register: DemoRegister) -> None:
    codes = Counter(b.kelurahan_code for b in register.businesses)
    assert set(codes) == KELURAHAN_CODES
    # Kecamatan Serang (36.73.01) is the densest of the four.
    assert codes["36.73.01.1002"] == max(codes.values())


def test_unknown_kecamatan_still_works() -> None:
    reg = generate_register(businesses=50, kelurahan=[("99.99.99.1001", "Contoh", "99.99.99")])
    assert {b.kelurahan_code for b in reg.businesses} == {"99.99.99.1001"}


# --------------------------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------------------------


def test_niks_are_synthetic_consistent_and_unique(register: DemoRegister) -> None:
    niks = [o.nik for o in register.owners if o.nik is not None]
    assert len(niks) == len(set(niks))
    assert 0.78 <= len(niks) / len(register.owners) <= 0.92
    for owner in register.owners:
        if owner.nik is not None:
            check_nik(owner)
    regions = Counter(n[:4] for n in niks)
    assert 0.04 <= regions["3604"] / len(niks) <= 0.17  # Kabupaten Serang


def test_owners_are_20_to_70_years_old(register: DemoRegister) -> None:
    for owner in register.owners:
        assert 20 <= age_on(owner.birth_date, TODAY) <= 70, owner


def test_names_look_like_a_real_list(register: DemoRegister) -> None:
    names = [o.full_name for o in register.owners]
    assert all(name.strip() == name and name for name in names)
    titled = sum(1 for name in names if HONORIFIC_RE.search(name))
    assert 0.08 <= titled / len(names) <= 0.25
    for owner in register.owners:
        first = owner.full_name.split()[0].upper()
        if first in ("H.", "BAPAK", "TB."):
            assert owner.sex == "L", owner
        if first in ("HJ.", "IBU", "RATU"):
            assert owner.sex == "P", owner
    assert 0.4 <= sum(o.sex == "P" for o in register.owners) / len(names) <= 0.7


def test_phones_use_the_reserved_blocks(register: DemoRegister) -> None:
    owner_phones = [o.phone for o in register.owners if o.phone is not None]
    assert 0.72 <= len(owner_phones) / len(register.owners) <= 0.88
    for phone in owner_phones + [b.phone for b in register.businesses if b.phone]:
        assert PHONE_RE.match(phone), phone


# --------------------------------------------------------------------------------------------
# Businesses
# --------------------------------------------------------------------------------------------


def test_mostly_mikro(register: DemoRegister) -> None:
    omzets = sorted(o for b in register.businesses if (o := latest_omzet(b)) is not None)
    assert sum(o <= 2 * MILIAR for o in omzets) / len(omzets) >= 0.97
    median = omzets[len(omzets) // 2]
    assert 40 * JUTA <= median <= 130 * JUTA
    assert 0.02 <= sum(o > 500 * JUTA for o in omzets) / len(omzets) <= 0.08


def test_figures_are_round_consecutive_and_recent(register: DemoRegister) -> None:
    one_sided = 0
    for business in register.businesses:
        years = [f.year for f in business.figures]
        assert 1 <= len(years) <= 3
        assert years == list(range(years[0], years[0] + len(years)))
        assert years[-1] in (2024, 2025)
        assert years[0] >= business.established_year
        for figure in business.figures:
            assert figure.omzet is not None or figure.modal is not None
            for amount in (figure.omzet, figure.modal):
                assert amount is None or (amount > 0 and amount % 1000 == 0)
            assert figure.workers is None or figure.workers >= 1
            one_sided += (figure.omzet is None) or (figure.modal is None)
    assert one_sided > 0


def test_sectors_and_kbli(register: DemoRegister) -> None:
    sectors = Counter(b.sector for b in register.businesses)
    assert set(sectors) <= set(SECTOR_CODES)
    assert sectors.most_common(1)[0][0] == "kuliner"
    for business in register.businesses:
        assert business.kbli_code == "" or re.fullmatch(r"\d{5}", business.kbli_code)
        assert business.name and business.products and business.address


def test_legal_forms_mostly_perorangan(register: DemoRegister) -> None:
    forms = Counter(b.legal_form for b in register.businesses)
    assert forms["PERORANGAN"] / len(register.businesses) >= 0.8
    for business in register.businesses:
        if business.legal_form in ("CV", "PT", "UD") and not business.name.startswith(
            ("Koperasi", "KSU")
        ):
            prefix = "PT" if business.legal_form == "PT" else business.legal_form
            assert business.name.startswith(prefix + " "), business.name


def test_coordinates_inside_kota_serang(register: DemoRegister) -> None:
    located = [b for b in register.businesses if b.latitude is not None]
    assert 0.4 <= len(located) / len(register.businesses) <= 0.6
    for business in register.businesses:
        assert (business.latitude is None) == (business.longitude is None)
    for business in located:
        assert business.latitude is not None and business.longitude is not None
        assert -6.19 <= business.latitude <= -6.05
        assert 106.08 <= business.longitude <= 106.24


def test_nib_and_npwp(register: DemoRegister) -> None:
    owners = register.owners
    nibs = [b.nib for b in register.businesses if b.nib is not None]
    assert len(nibs) == len(set(nibs))
    assert 0.25 <= len(nibs) / len(register.businesses) <= 0.5
    for business in register.businesses:
        assert (business.nib is None) == (business.nib_issued_on is None)
        if business.nib is not None:
            assert NIB_RE.match(business.nib)
            assert business.nib_issued_on is not None
            assert business.nib_issued_on.year >= business.established_year
            assert business.nib_issued_on < TODAY
        if business.npwp is None:
            continue
        assert stdnum_npwp.is_valid(business.npwp), business.npwp
        assert len(business.npwp) == 16
        if business.legal_form in ("CV", "PT"):
            assert business.npwp.startswith("0")
        if not business.npwp.startswith("0"):  # an individual's NPWP is the owner's NIK
            assert business.npwp == owners[business.owner_keys[0]].nik
    with_npwp = sum(b.npwp is not None for b in register.businesses)
    assert 0.08 <= with_npwp / len(register.businesses) <= 0.25


def test_permits(register: DemoRegister) -> None:
    kuliner = [b for b in register.businesses if b.sector == "kuliner"]
    spp_irt = sum(any(p.kind == "SPP_IRT" for p in b.permits) for b in kuliner)
    halal = sum(any(p.kind == "HALAL" for p in b.permits) for b in kuliner)
    assert 0.12 <= spp_irt / len(kuliner) <= 0.3
    assert 0.08 <= halal / len(kuliner) <= 0.25
    for business in register.businesses:
        for permit in business.permits:
            assert permit.issued_on.year >= business.established_year
            assert permit.issued_on < TODAY
            assert permit.expires_on is None or permit.expires_on > permit.issued_on
            if permit.kind == "SPP_IRT":
                assert SPP_IRT_RE.match(permit.number), permit
                assert permit.expires_on is not None
                assert permit.expires_on.year - permit.issued_on.year == 5
                assert int(permit.number[-2:]) == permit.expires_on.year % 100
                assert permit.number[3:7] == "3673"
            elif permit.kind == "HALAL":
                assert HALAL_RE.match(permit.number), permit
                assert permit.detail in ("self-declare", "reguler")
                assert permit.number[-4:] == permit.issued_on.strftime("%m%y")
                if permit.detail == "self-declare":
                    assert permit.expires_on is None
            elif permit.kind == "BPOM_MD":
                assert MD_RE.match(permit.number), permit
            elif permit.kind == "MEREK":
                assert MEREK_RE.match(permit.number), permit
        if any(
            p.kind in ("SPP_IRT", "HALAL") and p.issued_on >= date(2021, 8, 4)
            for p in business.permits
        ):
            assert business.nib is not None  # OSS-RBA permits need an NIB


def test_channels(register: DemoRegister) -> None:
    kinds = Counter(c.kind for b in register.businesses for c in b.channels)
    assert kinds["MARKETPLACE"] and kinds["MEDIA_SOSIAL"] and kinds["PASAR_TRADISIONAL"]
    for business in register.businesses:
        for channel in business.channels:
            assert channel.name
            assert channel.url == "" or channel.url.startswith("https://")
        if any(c.kind == "RITEL_MODERN" for c in business.channels):
            assert business.sector == "kuliner"
    fesyen = [b for b in register.businesses if b.sector == "fesyen"]
    jasa = [b for b in register.businesses if b.sector == "jasa"]

    def on_marketplace(group: list[DemoBusiness]) -> float:
        return sum(any(c.kind == "MARKETPLACE" for c in b.channels) for b in group) / len(group)

    assert on_marketplace(fesyen) > on_marketplace(jasa)


def test_binaan_and_members(register: DemoRegister) -> None:
    businesses = register.businesses
    binaan = [b for b in businesses if b.is_binaan]
    assert 0.04 <= len(binaan) / len(businesses) <= 0.13
    for business in businesses:
        assert (business.binaan_since is not None) == business.is_binaan
        assert (business.member_number is None) == (business.member_since is None)
        if business.member_number is not None:
            assert MEMBER_RE.match(business.member_number)
    rate = {
        sector: sum(b.is_binaan for b in businesses if b.sector == sector)
        / max(1, sum(b.sector == sector for b in businesses))
        for sector in ("fesyen", "kriya", "perdagangan")
    }
    assert rate["fesyen"] > rate["perdagangan"] and rate["kriya"] > rate["perdagangan"]
    members = [b.member_number for b in businesses if b.member_number is not None]
    assert len(members) == len(set(members))
    assert 0.01 <= len(members) / len(businesses) <= 0.06


def test_full_size_register_has_a_realistic_tail() -> None:
    reg = generate_register(businesses=11_000, kelurahan=KELURAHAN)
    omzets = [o for b in reg.businesses if (o := latest_omzet(b)) is not None]
    kecil = sum(2 * MILIAR < o <= 15 * MILIAR for o in omzets)
    menengah = sum(o > 15 * MILIAR for o in omzets)
    assert 40 <= kecil <= 200
    assert 1 <= menengah <= 15
    assert sum(o <= 2 * MILIAR for o in omzets) / len(omzets) >= 0.9
    niks = [o.nik for o in reg.owners if o.nik is not None]
    assert len(niks) == len(set(niks))


# --------------------------------------------------------------------------------------------
# Properties over many seeds
# --------------------------------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32), n=st.integers(min_value=1, max_value=60))
def test_invariants_hold_for_any_seed(seed: int, n: int) -> None:
    reg = generate_register(businesses=n, kelurahan=KELURAHAN, seed=seed, today=TODAY)
    assert len(reg.businesses) == n
    niks = [o.nik for o in reg.owners if o.nik is not None]
    assert len(niks) == len(set(niks))
    for owner in reg.owners:
        assert 20 <= age_on(owner.birth_date, TODAY) <= 70
        if owner.nik is not None:
            check_nik(owner)
        assert owner.phone is None or PHONE_RE.match(owner.phone)
    for business in reg.businesses:
        assert business.kelurahan_code in KELURAHAN_CODES
        assert all(0 <= k < len(reg.owners) for k in business.owner_keys)
        assert business.sector in SECTOR_CODES
        assert 1995 <= business.established_year <= 2025
        if business.legal_form in ("CV", "PT") and business.npwp is not None:
            assert stdnum_npwp.is_valid(business.npwp)
