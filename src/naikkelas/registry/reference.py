"""Sectors used by the office, with example KBLI 2020 codes (reference data, versioned)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

SECTORS_VERSION = "2026-1"

# (code, name, description, example KBLI 2020 codes)
SECTORS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        "kuliner",
        gettext_noop("Kuliner"),
        gettext_noop("Makanan dan minuman olahan, warung makan, katering"),
        ("10794", "10750", "10710", "10792", "11040", "56101", "56102", "56210"),
    ),
    (
        "fesyen",
        gettext_noop("Fesyen"),
        gettext_noop("Pakaian jadi, batik, konveksi, kerudung, alas kaki"),
        ("14111", "14120", "13134", "15201", "13912"),
    ),
    (
        "kriya",
        gettext_noop("Kriya"),
        gettext_noop("Kerajinan tangan: anyaman, gerabah, ukiran, aksesori"),
        ("16291", "23932", "32909", "32119", "25931"),
    ),
    (
        "jasa",
        gettext_noop("Jasa"),
        gettext_noop("Laundry, salon, bengkel, percetakan, jasa lainnya"),
        ("96200", "96111", "45201", "18111", "95230"),
    ),
    (
        "perdagangan",
        gettext_noop("Perdagangan"),
        gettext_noop("Toko kelontong, warung sembako, grosir, penjualan daring"),
        ("47111", "47112", "47191", "47911", "46311"),
    ),
    (
        "pertanian",
        gettext_noop("Pertanian & perikanan"),
        gettext_noop("Budidaya ikan, hortikultura, peternakan skala kecil"),
        ("03221", "01139", "01461", "03222"),
    ),
    (
        "lainnya",
        gettext_noop("Lainnya"),
        gettext_noop("Usaha lain yang belum masuk kelompok di atas"),
        (),
    ),
)
