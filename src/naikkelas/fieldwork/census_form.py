"""The census form (*formulir pendataan UMKM*) as XLSForm data (pure: no Django, no ORM).

This module is the readable source of the form enumerators fill in ODK Collect or
KoboCollect: :func:`census_definition` returns the XLSForm sheets (``survey``, ``choices``,
``settings``) as lists of rows, which pyxform turns into the XForm the OpenRosa server
serves (``services.forms``) and which ``naikkelas manage census_form --xlsx`` writes out as
a spreadsheet for anyone who edits forms in Excel.

Question names are the intake pipeline's canonical fields (``intake.headers``: owner_name,
nik, phone, business_name, sector, desa_kelurahan ...), so a submission becomes a staged row
the same validation, linkage and quarantine handle as a row of an imported sheet.

Labels are Bahasa Indonesia with an English translation (Collect shows the phone's
language when the form has it). Places are a cascading select: kecamatan, then the
kelurahan of that kecamatan (``choice_filter``), from the Kemendagri codes of the
deployment's area. The NIK and phone constraints follow domain-facts §2.1 and §2.4; the
server validates again (a form is only the first line).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = [
    "CENSUS_FORM_ID",
    "CONSENT_YES",
    "PERMITS",
    "census_definition",
]

CENSUS_FORM_ID = "pendataan_umkm"
CONSENT_YES = "ya"
ID, EN = "label::Indonesia (id)", "label::English (en)"
HINT_ID, HINT_EN = "hint::Indonesia (id)", "hint::English (en)"
CMSG_ID, CMSG_EN = "constraint_message::Indonesia (id)", "constraint_message::English (en)"

# Permits an owner may hold (names as the intake fields that record them).
PERMITS: tuple[tuple[str, str, str], ...] = (
    ("nib", "NIB (OSS)", "NIB (OSS business number)"),
    ("pirt", "SPP-IRT / P-IRT", "SPP-IRT (home food production)"),
    ("halal", "Sertifikat halal", "Halal certificate"),
    ("bpom_md", "Izin edar BPOM MD", "BPOM MD registration"),
    ("npwp", "NPWP", "Tax number (NPWP)"),
)

CONSENT_TEXT_ID = (
    "Data Bapak/Ibu dan usaha Bapak/Ibu dicatat oleh Dinas Koperasi, UKM, Perindustrian dan "
    "Perdagangan bersama Hipmikindo untuk pendataan UMKM dan penyaluran pelatihan serta "
    "bantuan secara merata (UU 27/2022 tentang Pelindungan Data Pribadi). NIK dan nomor HP "
    "tidak dibagikan kepada pihak lain. Bapak/Ibu dapat melihat, memperbaiki atau meminta "
    "penghapusan data kapan saja melalui petugas atau kantor Dinas."
)
CONSENT_TEXT_EN = (
    "Your data and your business's data are recorded by the city's SME office together with "
    "Hipmikindo to register UMKM and share training and aid evenly (Law 27/2022 on Personal "
    "Data Protection). NIK and phone number are not shared with anyone else. You may see, "
    "correct or ask to delete your data at any time through the officer or the office."
)

_NIK_REGEX = "^[0-9]{16}$"
# Indonesian mobile numbers as typed: 08..., 628..., +628...; 9 to 13 digits after the 8.
_PHONE_REGEX = "^(\\+62|62|0)8[0-9]{8,12}$"
_NIB_REGEX = "^[0-9]{13}$"


def _row(
    kind: str, name: str, label_id: str = "", label_en: str = "", **more: str
) -> dict[str, str]:
    row = {"type": kind, "name": name}
    if label_id:
        row[ID] = label_id
        row[EN] = label_en or label_id
    row.update({key: value for key, value in more.items() if value})
    return row


def _hint(text_id: str, text_en: str) -> dict[str, str]:
    return {HINT_ID: text_id, HINT_EN: text_en}


def _message(text_id: str, text_en: str) -> dict[str, str]:
    return {CMSG_ID: text_id, CMSG_EN: text_en}


def _survey() -> list[dict[str, str]]:
    given = f"${{consent}} = '{CONSENT_YES}'"
    return [
        _row("start", "start"),
        _row("end", "end"),
        _row("today", "today"),
        _row("deviceid", "deviceid"),
        _row("note", "consent_note", CONSENT_TEXT_ID, CONSENT_TEXT_EN),
        _row(
            "select_one yes_no",
            "consent",
            "Apakah pemilik usaha setuju datanya dicatat?",
            "Does the owner agree that the data are recorded?",
            required="yes",
        ),
        _row(
            "note",
            "no_consent_note",
            "Tanpa persetujuan, tidak ada data yang dicatat. Simpan formulir ini apa adanya.",
            "Without consent nothing is recorded. Save this form as it is.",
            relevant="${consent} = 'tidak'",
        ),
        _row("begin_group", "owner", "Pemilik usaha", "Owner", relevant=given),
        _row("text", "owner_name", "Nama pemilik", "Owner's name", required="yes"),
        {
            **_row(
                "text",
                "nik",
                "NIK (16 digit, dari KTP)",
                "NIK (16 digits, from the ID card)",
                constraint=f"regex(., '{_NIK_REGEX}')",
            ),
            **_hint("Kosongkan bila pemilik tidak bersedia.", "Leave empty if the owner declines."),
            **_message("NIK harus 16 angka.", "The NIK has 16 digits."),
        },
        _row("select_one sex", "sex", "Jenis kelamin", "Sex"),
        _row("date", "birth_date", "Tanggal lahir", "Date of birth"),
        {
            **_row(
                "text",
                "phone",
                "Nomor HP/WhatsApp",
                "Mobile/WhatsApp number",
                constraint=f"regex(., '{_PHONE_REGEX}')",
            ),
            **_message(
                "Nomor HP diawali 08 atau +628, 10 sampai 15 angka.",
                "A mobile number starts with 08 or +628, 10 to 15 digits.",
            ),
        },
        _row("end_group", "owner_end"),
        _row("begin_group", "business", "Usaha", "Business", relevant=given),
        _row("text", "business_name", "Nama usaha", "Business name", required="yes"),
        _row("select_one sector", "sector", "Sektor usaha", "Sector", required="yes"),
        _row("text", "products", "Produk utama", "Main products"),
        _row(
            "integer",
            "omzet_month",
            "Omzet rata-rata per bulan (Rp)",
            "Average turnover per month (Rp)",
            constraint=". >= 0",
        ),
        _row(
            "integer",
            "workers",
            "Jumlah tenaga kerja (termasuk pemilik)",
            "Number of workers (owner included)",
            constraint=". >= 0 and . < 1000",
        ),
        _row(
            "select_multiple permit",
            "permits",
            "Izin dan sertifikat yang sudah dimiliki",
            "Permits and certificates held",
        ),
        {
            **_row(
                "text",
                "nib",
                "Nomor NIB",
                "NIB number",
                relevant="selected(${permits}, 'nib')",
                constraint=f"regex(., '{_NIB_REGEX}')",
            ),
            **_message("NIB harus 13 angka.", "The NIB has 13 digits."),
        },
        _row("end_group", "business_end"),
        _row("begin_group", "place", "Lokasi usaha", "Location", relevant=given),
        _row("select_one kecamatan", "kecamatan", "Kecamatan", "Kecamatan", required="yes"),
        _row(
            "select_one kelurahan",
            "desa_kelurahan",
            "Kelurahan/desa",
            "Kelurahan/desa",
            required="yes",
            choice_filter="kecamatan = ${kecamatan}",
        ),
        _row("text", "address", "Alamat usaha (jalan, kampung, nomor)", "Business address"),
        _row("integer", "rt", "RT", "RT", constraint=". > 0 and . < 1000"),
        _row("integer", "rw", "RW", "RW", constraint=". > 0 and . < 1000"),
        _row("geopoint", "coordinates", "Titik lokasi (GPS)", "Location (GPS)"),
        _row(
            "image",
            "photo_place",
            "Foto tempat usaha",
            "Photo of the business place",
            parameters="max-pixels=1024",
        ),
        _row(
            "image",
            "photo_product",
            "Foto produk",
            "Photo of the products",
            parameters="max-pixels=1024",
        ),
        _row("text", "notes", "Catatan petugas", "Enumerator's notes"),
        _row("end_group", "place_end"),
    ]


def _choice(list_name: str, name: str, label_id: str, label_en: str = "", **more: str) -> dict:
    return {"list_name": list_name, "name": name, ID: label_id, EN: label_en or label_id, **more}


def census_definition(
    *,
    version: str,
    title: str,
    kecamatan: Sequence[tuple[str, str]],
    kelurahan: Sequence[tuple[str, str, str]],
    sectors: Sequence[tuple[str, str]],
) -> dict[str, list[dict[str, Any]]]:
    """The census form's XLSForm sheets for pyxform's ``convert`` (a dict of sheets).

    ``kecamatan``: (code, name); ``kelurahan``: (code, name, kecamatan code); ``sectors``:
    (code, name) -- the deployment's places and the register's sector catalogue. ``version``
    must grow with every change of the form (OpenRosa metadata; Collect keys forms by it).
    """
    if not kecamatan or not kelurahan or not sectors:
        raise ValueError("the census form needs kecamatan, kelurahan and sectors")
    choices: list[dict[str, Any]] = [
        _choice("yes_no", CONSENT_YES, "Ya, setuju", "Yes, agrees"),
        _choice("yes_no", "tidak", "Tidak", "No"),
        _choice("sex", "L", "Laki-laki", "Male"),
        _choice("sex", "P", "Perempuan", "Female"),
    ]
    choices += [_choice("sector", code, name) for code, name in sectors]
    choices += [_choice("permit", code, label_id, label_en) for code, label_id, label_en in PERMITS]
    choices += [_choice("kecamatan", code, name) for code, name in kecamatan]
    choices += [
        _choice("kelurahan", code, name, kecamatan=parent) for code, name, parent in kelurahan
    ]
    settings = {
        "form_id": CENSUS_FORM_ID,
        "version": version,
        "form_title": title,
        "default_language": "Indonesia (id)",
        "instance_name": "concat(${business_name}, ' - ', ${owner_name})",
    }
    return {"survey": _survey(), "choices": choices, "settings": [settings]}
