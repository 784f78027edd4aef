"""Human labels for the model's comparisons and levels (UI; Bahasa Indonesia, translated).

Keys are those of ``linkage.model`` (comparison names, level keys) plus ``null``/``else``.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

COMPARISON_LABELS: dict[str, Any] = {
    "business": _("Nama & sektor usaha"),
    "kind": _("Jenis usaha (dari nama)"),
    "owner_name": _("Nama pemilik"),
    "nik": _("NIK"),
    "phone": _("Nomor HP"),
    "address": _("Alamat"),
    "kelurahan": _("Kelurahan"),
    "nib": _("NIB"),
}

_COMMON: dict[str, Any] = {
    "null": _("tidak ada data di salah satu sisi"),
    "else": _("berbeda"),
}

LEVEL_LABELS: dict[tuple[str, str], Any] = {
    ("business", "owner_named_same_sector"): _("nama usaha = nama pemilik, sektor sama"),
    ("business", "owner_named"): _("nama usaha = nama pemilik"),
    ("business", "name_exact"): _("nama sama"),
    ("business", "name_close"): _("nama hampir sama"),
    ("business", "name_similar_same_sector"): _("nama mirip, sektor sama"),
    ("business", "name_similar"): _("nama mirip"),
    ("business", "name_close_other_sector"): _("nama hampir sama, sektor berbeda"),
    ("business", "no_name_same_sector"): _("tanpa nama, sektor sama"),
    ("business", "other_name_same_sector"): _("nama berbeda, sektor sama"),
    ("business", "other_name_unknown_sector"): _("nama berbeda, sektor tidak diketahui"),
    ("business", "else"): _("nama dan sektor berbeda"),
    ("kind", "shared"): _("sama"),
    ("kind", "else"): _("berbeda"),
    ("owner_name", "exact"): _("sama"),
    ("owner_name", "jw92"): _("hampir sama (salah ketik)"),
    ("owner_name", "subset"): _("satu nama bagian dari yang lain"),
    ("owner_name", "jw80"): _("mirip"),
    ("nik", "exact"): _("sama"),
    ("nik", "one_edit_same_birth"): _("beda satu angka, tanggal lahir sama"),
    ("nik", "same_birth_region"): _("wilayah dan tanggal lahir sama"),
    ("nik", "one_edit"): _("beda satu angka"),
    ("phone", "exact"): _("sama"),
    ("address", "street_house"): _("jalan dan nomor sama"),
    ("address", "street_rtrw"): _("jalan dan RT/RW sama"),
    ("address", "street"): _("jalan/kampung sama"),
    ("address", "rtrw"): _("hanya RT/RW sama"),
    ("kelurahan", "exact"): _("sama"),
    ("kelurahan", "same_kecamatan"): _("kecamatan sama"),
    ("nib", "exact"): _("sama"),
}


def comparison_label(comparison: str) -> Any:
    return COMPARISON_LABELS.get(comparison, comparison)


def level_label(comparison: str, level: str) -> Any:
    """The label of a comparison level, e.g. ``("nik", "exact")`` -> "sama"."""
    return LEVEL_LABELS.get((comparison, level)) or _COMMON.get(level, level)


def terms_for_display(explanation: dict[str, Any], model: str = "business") -> list[dict[str, Any]]:
    """The terms of one model in a stored explanation (``PairScore.as_dict()``), labelled,
    strongest evidence first: ``[{"comparison", "label", "level", "weight", "agrees"}]``."""
    terms = (explanation.get(model) or {}).get("terms") or []
    shown = [
        {
            "comparison": comparison_label(t["comparison"]),
            "label": level_label(t["comparison"], t["level"]),
            "level": t["level"],
            "weight": t["weight"],
            "agrees": t["weight"] > 0,
        }
        for t in terms
        if t.get("level") != "null"
    ]
    return sorted(shown, key=lambda t: abs(t["weight"]), reverse=True)
