"""Text normalisation shared by search and lookup (pure; no ORM)."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, strip accents and collapse whitespace: ``"  Emping  MELINJO "`` -> ``"emping melinjo"``."""
    if text.isascii():  # the usual case: nothing to decompose, and casefold() == lower()
        return _SPACES.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", ascii_text.casefold()).strip()


def compact_key(text: str) -> str:
    """Letters and digits only: spacing and punctuation never decide a match.

    ``"Lontar Baru"``, ``"lontarbaru"`` and ``"LONTAR-BARU"`` all give ``"lontarbaru"``.
    """
    return _NON_ALNUM.sub("", fold(text))


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())
