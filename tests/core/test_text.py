"""Text folding: the ASCII shortcut must agree with the full Unicode path."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from naikkelas.core.text import compact_key, fold


def _fold_unicode(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", ascii_text.casefold()).strip()


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_shortcut_is_the_same_fold(text: str) -> None:
    assert fold(text) == _fold_unicode(text)


def test_accents_and_spacing() -> None:
    assert fold("  Emping  MELINJO ") == "emping melinjo"
    assert fold("Café\u00a0Kopi") == "cafe kopi"
    assert compact_key("LONTAR-BARU") == compact_key("Lontar Baru") == "lontarbaru"
