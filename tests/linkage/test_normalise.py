"""Table tests for naikkelas.linkage.normalise (pure: no database, no Django settings).

All names, addresses and phone numbers are synthetic. NIKs are built from a region code,
a birth date (women: day + 40) and a serial of 9000 or above.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from naikkelas.linkage.normalise import (
    Address,
    BusinessName,
    NikParts,
    business_key,
    business_kind,
    business_name,
    name_key,
    name_tokens,
    nik_parts,
    nik_similarity,
    nik_strong_evidence,
    parse_address,
    person_name,
    phone_e164,
)

# A woman born 12 May 1985, registered in Taktakan (36.73.06), serial 9001.
NIK_P = "3673065205859001"

# --------------------------------------------------------------------------------------------
# Person names
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # case, accents, spacing
        ("  SITI   aminah ", "siti aminah"),
        ("Siti Améliá", "siti amelia"),
        ("Ma'ruf Hidayat", "maruf hidayat"),
        ("Nur-Aini", "nur aini"),
        # prefix honorifics and titles, with and without dots
        ("Hj. Siti Aminah, S.Pd.", "siti aminah"),
        ("H. Dedi Kurniawan", "dedi kurniawan"),
        ("Hj Enok Rukmini", "enok rukmini"),
        ("Bpk. Asep Saepudin", "asep saepudin"),
        ("Bapak Asep Saepudin", "asep saepudin"),
        ("Ibu Iyah", "iyah"),
        ("Bu Iyah", "iyah"),
        ("Ny. Euis Komariah", "euis komariah"),
        ("Teh Euis", "euis"),
        ("Ust. Jajang Nurjaman", "jajang nurjaman"),
        ("K.H. Abdul Ghofur", "abdul ghofur"),
        ("Prof. Dr. Ir. H. Dedi Kurniawan", "dedi kurniawan"),
        ("Dra. Hj. Siti Aminah, S.Pd., M.Pd.", "siti aminah"),
        ("drg. Rina Marlina", "rina marlina"),
        ("Hj.Siti Aminah", "siti aminah"),
        # suffix degrees in many spellings
        ("Budi Santoso, S.E.", "budi santoso"),
        ("Budi Santoso SE", "budi santoso"),
        ("Budi Santoso S.E", "budi santoso"),
        ("Rina Marlina, Amd", "rina marlina"),
        ("Rina Marlina A.Md.Kom", "rina marlina"),
        ("Dedi Kurniawan, S.T., M.T.", "dedi kurniawan"),
        ("Neneng Hasanah S.Pd.I", "neneng hasanah"),
        ("Neneng Hasanah S. Pd", "neneng hasanah"),
        ("Yanti Susanti, S.K.M., M.Kes.", "yanti susanti"),
        ("Agus Salim, S.Sos", "agus salim"),
        ("dr. Rini Sp.P(K)", "rini"),
        # never strip down to nothing; name-like undotted "degrees" stay
        ("Ibu S.Pd.", "ibu"),
        ("Hj.", "hj"),
        ("Lie Mei", "lie mei"),
        ("Lie, M.E.I.", "lie"),
        ("Tan Se Hong", "tan se hong"),
        # old spelling (§8.1)
        ("Soekarni", "sukarni"),
        ("Djoko Santoso", "joko santoso"),
        ("Tjahjono", "cahyono"),
        ("Sjamsudin", "syamsudin"),
        ("Chairul Anwar", "khairul anwar"),
        ("Njoman Sudarsa", "nyoman sudarsa"),
        ("Soenjoto", "sunyoto"),
        ("Wahjoe Soerjadi", "wahyu suryadi"),
        ("Sandjaja", "sanjaya"),
        ("Pandji Asmara", "panji asmara"),
        ("Hadji Oedin", "udin"),
        ("Ny. Tjitjih", "cicih"),
        # j -> y only in tokens written in old spelling
        ("Joko Santoso", "joko santoso"),
        ("Panji Asmara", "panji asmara"),
        ("Sujono", "sujono"),
        ("Wahjudi", "wahjudi"),
        ("Jusuf Hamdani", "jusuf hamdani"),
        ("Joesoef Hamdani", "yusuf hamdani"),
        # Muhammad and Ahmad variants
        ("Muhammad Rizki", "muhammad rizki"),
        ("Muhamad Rizki", "muhammad rizki"),
        ("Mohammad Rizki", "muhammad rizki"),
        ("Mohamad Rizki", "muhammad rizki"),
        ("Muhammed Rizki", "muhammad rizki"),
        ("Mochammad Rizki", "muhammad rizki"),
        ("Moch. Rizki", "muhammad rizki"),
        ("Moh. Rizki", "muhammad rizki"),
        ("Muh Rizki", "muhammad rizki"),
        ("Mhd. Rizki", "muhammad rizki"),
        ("M. Rizki", "muhammad rizki"),
        ("H. M. Rizki", "muhammad rizki"),
        ("Rizki M.", "rizki m"),
        ("M", "m"),
        ("Achmad Fauzi", "ahmad fauzi"),
        ("Akhmad Fauzi", "ahmad fauzi"),
        # Sundanese kin terms as salutations (Banten lists); never the last token
        ("Mak Elis", "elis"),
        ("Mang Syarif Fauzy", "syarif fauzy"),
        ("Ceu Iyah Rohayati", "iyah rohayati"),
        ("Abah Ujang", "ujang"),
        ("Mamang Dadang", "dadang"),
        ("Abah", "abah"),
        ("Umi Kalsum", "umi kalsum"),  # a given name, not a salutation
        # degrees beyond the §8.2 lists
        ("Saadah Aisah, S. Ak", "saadah aisah"),
        ("Yulia, A.Md.Keb.", "yulia"),
        ("Rina A.Md.Kep", "rina"),
        # lineage particles: particle dropped, father's name kept
        ("Ahmad bin Usman", "ahmad usman"),
        ("Siti Binti Salim", "siti salim"),
        # empty and junk
        ("", ""),
        ("   ", ""),
        ("...", ""),
    ],
)
def test_person_name(raw: str, expected: str) -> None:
    assert person_name(raw) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Hj. Siti Aminah, S.Pd.", "SITI AMINAH"),
        ("Moch. Soedjono", "Muhammad Sujono"),
        ("Wahjudi", "Wahyudi"),  # mixed old spelling: only the key's j/y collapse catches it
        ("Jusuf Hamdani", "Yusuf Hamdani"),
        ("Aminah Siti", "Siti Aminah"),
        ("Bpk. Tjetjep Soepriatna", "Cecep Supriatna"),
    ],
)
def test_name_key_matches_variants(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ahmad bin Usman", "Ahmad bin Salim"),
        ("Siti Aminah", "Siti Aisyah"),
        ("Dedi Kurniawan", "Dedi"),
    ],
)
def test_name_key_keeps_different_people_apart(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)


def test_name_tokens_order_and_key_sorting() -> None:
    assert name_tokens("Hj. Siti Aminah, S.Pd.") == ("siti", "aminah")
    assert name_key("Hj. Siti Aminah, S.Pd.") == "aminah siti"
    assert name_tokens("") == ()


# --------------------------------------------------------------------------------------------
# Business names
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "core", "forms", "legal_form"),
    [
        ("Warung Makan Bu Iyah", "iyah", ("warung makan",), None),
        ("UD. Sumber Rezeki", "sumber rezeki", ("ud",), "ud"),
        ("U.D. Sumber Rezeki", "sumber rezeki", ("ud",), "ud"),
        ("Toko Kue Hj. Enok", "kue enok", ("toko",), None),
        ("PT. Maju Jaya Tbk", "maju jaya", ("pt", "tbk"), "pt"),
        ("P.T. Maju Jaya", "maju jaya", ("pt",), "pt"),
        ("CV Sinar Abadi", "sinar abadi", ("cv",), "cv"),
        ("Sinar Abadi, C.V.", "sinar abadi", ("cv",), "cv"),
        ("Kedai Kopi Teh Euis", "kopi teh euis", ("kedai",), None),
        ("Dapur Mamah Ela", "mamah ela", ("dapur",), None),
        ("RM Sederhana", "sederhana", ("rumah makan",), None),
        ("Rumah Makan Sederhana", "sederhana", ("rumah makan",), None),
        ("Koperasi Mekar Sari", "mekar sari", ("koperasi",), "koperasi"),
        ("Toko UD Berkah", "berkah", ("toko", "ud"), "ud"),
        ("Toko Mas Sinar", "mas sinar", ("toko",), None),
        ("Sate H. Ali", "sate ali", (), None),
        ("Keripik Soekaesih", "keripik sukaesih", (), None),
        ("Warung Makan", "makan", ("warung",), None),
        ("Toko", "toko", (), None),
        ("Bakso Toko Lama", "bakso toko lama", (), None),
        ("Tk. Mekar Sari", "mekar sari", ("toko",), None),
        # a form word one typing error off (six letters or more, first letter right)
        ("Watung Nasi Bu Siti", "nasi siti", ("warung",), None),
        ("Warugn Mamang Iwan", "iwan", ("warung",), None),
        ("Koonveksi Iwan", "iwan", ("konveksi",), None),
        ("Wartung Sari", "sari", ("warung",), None),
        ("Tooko Sari", "tooko sari", (), None),  # too short to tell from a name
        ("", "", (), None),
    ],
)
def test_business_name(raw: str, core: str, forms: tuple[str, ...], legal_form: str | None) -> None:
    result = business_name(raw)
    assert result == BusinessName(core=core, forms=forms)
    assert result.legal_form == legal_form
    assert result.form == " ".join(forms)


@pytest.mark.parametrize(
    ("raw", "key", "kind"),
    [
        ("Warung Nasi Uduk Bu Siti", "siti", "nasi uduk"),
        ("Motor Sumber Rezeky", "sumber rezeki", "motor"),
        ("Bengkel Motor Barokah Jaya", "berkah jaya", "bengkel motor"),
        ("Warung Makan Bu Iyah", "iyah", "nasi"),  # an eatery: "makan" and "nasi" are one kind
        ("Hijab Kerudung Jilbab Rina", "rina", "hijab"),
        ("Tailor Bu Ani", "ani", "jahit"),
        ("Mebel Wahyuni", "wahyuni", "mebel"),
        ("Londri Berkah", "berkah", "laundry"),
        ("Laundri Berkah", "berkah", "laundry"),
        ("Toko Kue", "kue", "kue"),
        ("Toko Sembako Mang Ujang", "ujang", "sembako"),
        ("UD. Sinar Jaya", "sinar jaya", ""),
        ("Kedai Bu Ani", "ani", ""),
        ("Pangkas Rambut Kang Asep", "rambut asep", "barbershop"),
        ("Kripik Singkong Ceu Popon", "singkong popon", "keripik"),
        ("Hirdoponik Berkah", "berkah", "hidroponik"),
        ("Kerupk Udang Bu Enok", "udang enok", "kerupuk"),
        ("Berkah Laundy", "berkah", "laundry"),
        ("Butik Susana", "susana", "butik"),  # not "busana": the first letter differs
        ("Sepatu Sandi", "sandi", "sepatu"),
        ("", "", ""),
    ],
)
def test_business_key_and_kind(raw: str, key: str, kind: str) -> None:
    assert business_key(raw) == key
    assert business_kind(raw) == kind


def test_one_owners_two_businesses_differ_in_kind_only() -> None:
    assert business_key("Salon Bu Mulyani") == business_key("Kue Bu Mulyani")
    assert business_kind("Salon Bu Mulyani") != business_kind("Kue Bu Mulyani")


def test_pt_and_cv_share_a_core_but_not_a_legal_form() -> None:
    pt = business_name("PT Sinar Abadi")
    cv = business_name("CV. Sinar Abadi")
    assert pt.core == cv.core == "sinar abadi"
    assert pt.legal_form != cv.legal_form


# --------------------------------------------------------------------------------------------
# Addresses
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "Jl. Raya Serang No. 5A RT 02/RW 03 Kel. Cipare",
            Address(street="jalan raya serang", number="5a", rt="002", rw="003", rest="kel cipare"),
        ),
        (
            "Jln Ahmad Yani no 5 rt.2 rw.3",
            Address(street="jalan ahmad yani", number="5", rt="002", rw="003"),
        ),
        (
            "JALAN Ahmad Yani Nomor 12-B",
            Address(street="jalan ahmad yani", number="12b"),
        ),
        (
            "Kp. Cibogo RT/RW 002/003 Kel. Kalanganyar Kec. Taktakan",
            Address(kampung="cibogo", rt="002", rw="003", rest="kel kalanganyar kec taktakan"),
        ),
        (
            "Kmp Cibogo rt/rw: 2/3",
            Address(kampung="cibogo", rt="002", rw="003"),
        ),
        (
            "Kampung Sawah Luhur RT 4",
            Address(kampung="sawah luhur", rt="004"),
        ),
        (
            "Lingk. Kebon Jahe RW 05 RT 01",
            Address(kampung="kebon jahe", rt="001", rw="005"),
        ),
        (
            "Link. Kebon Jahe 02/03",
            Address(kampung="kebon jahe", rt="002", rw="003"),
        ),
        (
            "Perum Bumi Serang Indah Blok C2 No. 15, RT/RW 002/003",
            Address(perumahan="bumi serang indah", blok="c2", number="15", rt="002", rw="003"),
        ),
        (
            "Komplek Griya Asri Blk. AA-12 rt02rw03",
            Address(perumahan="griya asri", blok="aa12", rt="002", rw="003"),
        ),
        (
            "Jl.Kota Baru no.7 RT 02/03",
            Address(street="jalan kota baru", number="7", rt="002", rw="003"),
        ),
        (
            "Jalan Melati Gg. Mawar, Kota Serang",
            Address(street="jalan melati", gang="mawar", rest="kota serang"),
        ),
        (
            "Jl. Raya Cilegon Km. 4, Ds. Kiara",
            Address(street="jalan raya cilegon km 4", rest="ds kiara"),
        ),
        (
            "Cibogo RT 000/RW 003",
            Address(rw="003", rest="cibogo"),
        ),
        ("", Address()),
    ],
)
def test_parse_address(raw: str, expected: Address) -> None:
    assert parse_address(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "RT 02/RW 03",
        "rt.2 rw.3",
        "RT/RW 002/003",
        "RT 02 / 03",
        "rw 03 rt 02",
        "rt02rw03",
        "Kp. Cibogo 02/03",
        "RT. 002 RW. 003",
    ],
)
def test_rt_rw_in_any_form(raw: str) -> None:
    address = parse_address(raw)
    assert (address.rt, address.rw) == ("002", "003")


def test_bare_pair_in_the_middle_is_not_rt_rw() -> None:
    address = parse_address("Kp. Cibogo 12/3 Kel. Cipare")
    assert (address.rt, address.rw) == (None, None)


# --------------------------------------------------------------------------------------------
# NIK
# --------------------------------------------------------------------------------------------


def test_nik_parts_woman() -> None:
    assert nik_parts("3673 0652 0585 9001") == NikParts(
        nik=NIK_P,
        province="36",
        regency="3673",
        district="367306",
        birth_day=12,
        birth_month=5,
        birth_year=85,
        sex="P",
        serial="9001",
    )


def test_nik_parts_man() -> None:
    parts = nik_parts("3673.0612.0585.9002")
    assert parts is not None
    assert (parts.birth_day, parts.sex, parts.serial) == (12, "L", "9002")


@pytest.mark.parametrize("raw", ["", "367306520585900", "36730652058590011", "36730652O5859001"])
def test_nik_parts_rejects_non_niks(raw: str) -> None:
    assert nik_parts(raw) is None


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        (NIK_P, NIK_P, "exact"),
        (NIK_P, "3673 0652 0585 9001", "exact"),
        (NIK_P, "3673065205859002", "one_typo"),
        (NIK_P, "3673065205859007", "one_typo"),
        (NIK_P, "3673065205859010", "transposition"),  # "01" -> "10"
        (NIK_P, "3673062505859001", "transposition"),  # "52" -> "25"
        (NIK_P, "3673065205859100", "different"),  # two digits changed, not swapped
        (NIK_P, "3673065205851009", "different"),  # non-adjacent swap
        (NIK_P, "3604011203909123", "different"),
        (NIK_P, "", "missing"),
        ("367306520585900", NIK_P, "missing"),
    ],
)
def test_nik_similarity(a: str, b: str, level: str) -> None:
    assert nik_similarity(a, b) == level
    assert nik_similarity(b, a) == level


@pytest.mark.parametrize(
    ("b", "birth_date_agree", "sex_agree", "strong"),
    [
        (NIK_P, False, False, True),
        ("3673065205859002", True, True, True),
        ("3673065205859010", True, True, True),
        ("3673065205859002", False, True, False),
        ("3673065205859002", True, False, False),
        ("3673065205859010", True, False, False),
        ("3673065205859100", True, True, False),
        ("", True, True, False),
    ],
)
def test_nik_strong_evidence(b: str, birth_date_agree: bool, sex_agree: bool, strong: bool) -> None:
    assert (
        nik_strong_evidence(NIK_P, b, birth_date_agree=birth_date_agree, sex_agree=sex_agree)
        is strong
    )


# --------------------------------------------------------------------------------------------
# Phones
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("(0254) 123456", "+62254123456"),
        ("bukan nomor", None),
        ("", None),
        (None, None),
        (8.12345e10, None),
    ],
)
def test_phone_e164(raw: str | float | None, expected: str | None) -> None:
    assert phone_e164(raw) == expected


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------

# Letters that exercise the rules (digraphs, honorific and degree letters, dots, commas).
_NAMEISH = st.text(alphabet="abcdehijkmnopstuy .,'-", max_size=40)


@given(st.one_of(st.text(max_size=60), _NAMEISH))
def test_person_name_is_idempotent(text: str) -> None:
    once = person_name(text)
    assert person_name(once) == once


@given(st.one_of(st.text(max_size=60), _NAMEISH))
def test_name_key_is_stable_under_renormalisation(text: str) -> None:
    assert name_key(person_name(text)) == name_key(text)


@given(st.one_of(st.text(max_size=60), _NAMEISH))
def test_business_core_is_a_fixed_point(text: str) -> None:
    core = business_name(text).core
    assert business_name(core).core == core


@given(st.text(max_size=80))
def test_address_parser_is_total_and_rt_rw_are_three_digits(text: str) -> None:
    address = parse_address(text)
    for value in (address.rt, address.rw):
        assert value is None or (len(value) == 3 and value.isdigit() and value != "000")


@given(st.text(alphabet="0123456789", min_size=16, max_size=16), st.integers(0, 14))
def test_adjacent_swap_is_strong_only_with_agreeing_facts(nik: str, i: int) -> None:
    swapped = nik[:i] + nik[i + 1] + nik[i] + nik[i + 2 :]
    expected = "exact" if swapped == nik else "transposition"
    assert nik_similarity(nik, swapped) == expected
    assert nik_strong_evidence(nik, swapped, birth_date_agree=True, sex_agree=True)
    if swapped != nik:
        assert not nik_strong_evidence(nik, swapped, birth_date_agree=True, sex_agree=False)
