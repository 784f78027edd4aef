"""The categories a new deployment starts with (the data migration copies this list; officers
change them later on the categories page). Names are marked for translation and shown through
``{% translate category.name %}``, like sector names."""

from __future__ import annotations

from django.utils.translation import gettext_noop

DEFAULT_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("perizinan", gettext_noop("Perizinan (NIB, PIRT, halal, BPOM)")),
    ("permodalan", gettext_noop("Permodalan")),
    ("pemasaran", gettext_noop("Pemasaran")),
    ("bahan-baku", gettext_noop("Bahan baku")),
    ("kemasan", gettext_noop("Kemasan")),
    ("sdm-pelatihan", gettext_noop("SDM dan pelatihan")),
    ("teknologi-digital", gettext_noop("Teknologi dan digital")),
    ("pajak", gettext_noop("Pajak")),
    ("lainnya", gettext_noop("Lainnya")),
)
