"""LongSelect writes the same options as Django's Select (groups, selection, escaping)."""

from __future__ import annotations

import re

from django import forms

from naikkelas.core.widgets import LongSelect

CHOICES = [
    ("", "Semua"),
    ("Kasemen", [("36.73.02.1001", "Kasemen"), ("36.73.02.1007", 'Banten "Lama" <&>')]),
    ("Taktakan", [("36.73.06.1005", "Taktakan")]),
]


def options(html: str) -> list[tuple[str, bool, str]]:
    return [
        (value, bool(selected), label)
        for value, selected, label in re.findall(
            r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html
        )
    ]


def test_same_options_selection_and_escaping_as_django_select() -> None:
    for value in ("", "36.73.02.1007"):
        ours = LongSelect(choices=CHOICES).render("kel", value, attrs={"id": "id_kel"})
        django = forms.Select(choices=CHOICES).render("kel", value, attrs={"id": "id_kel"})
        assert options(ours) == options(django.replace("\n", ""))
        assert ours.count("<optgroup") == 2
        assert 'id="id_kel"' in ours and 'name="kel"' in ours
    assert "&lt;&amp;&gt;" in ours and "<&>" not in ours
    assert ("36.73.02.1007", True, "Banten &quot;Lama&quot; &lt;&amp;&gt;") in options(ours)
