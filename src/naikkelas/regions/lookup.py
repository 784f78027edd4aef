"""Tolerant lookup of region names (pure; no ORM).

People write "Kel. Kalang Anyar", "KALANGANYAR", "Ds Pager Agung" or "Kepuren"; the register
needs the Kemendagri code. Names are compared on a key that ignores case, spacing, punctuation,
administrative prefixes and old spelling; a few known variants map onto the official name.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from naikkelas.core.text import compact_key, fold

# Administrative words written before a name. Longest first so "kelurahan" wins over "kel".
_PREFIXES = (
    "kelurahan",
    "kecamatan",
    "kabupaten",
    "provinsi",
    "kampung",
    "desa",
    "kota",
    "kel",
    "kec",
    "kab",
    "kp",
    "ds",
)
_PREFIX_RE = re.compile(r"^(?:(?:" + "|".join(_PREFIXES) + r")\b[.\s]*)+")

# Old (pre-1972) spelling collapsed onto the current one. Only the bigrams that never occur in
# current spelling: "nj"/"sj" are left alone because Panjang and Masjid are written so today.
_OLD_SPELLING = (("oe", "u"), ("dj", "j"), ("tj", "c"))

# Variants seen in third-party lists, as name keys: variant -> official name key.
KNOWN_VARIANTS: dict[str, str] = {
    "kepuren": "kapuren",
    "masjidpriyayi": "mesjidpriyayi",
}

SUGGESTION_CUTOFF = 72.0


def name_key(text: str) -> str:
    """The comparison key of a region name: ``"Kel. Kalang Anyar"`` -> ``"kalanganyar"``."""
    folded = _PREFIX_RE.sub("", fold(text)).strip()
    key = compact_key(folded)
    for old, new in _OLD_SPELLING:
        key = key.replace(old, new)
    return KNOWN_VARIANTS.get(key, key)


@dataclass(frozen=True, slots=True)
class Candidate:
    code: str
    name: str
    parent_code: str | None = None


@dataclass(frozen=True, slots=True)
class Suggestion:
    code: str
    name: str
    parent_code: str | None
    score: float


@dataclass(frozen=True, slots=True)
class Resolution:
    code: str | None
    suggestions: tuple[Suggestion, ...] = ()

    @property
    def ambiguous(self) -> bool:
        """True when the name exists under several parents (Sukawana in Serang and Curug)."""
        return self.code is None and len(self.suggestions) > 1 and self.suggestions[0].score == 100


ANSWERS_KEPT = 50_000


class NameIndex:
    """An index of candidate regions, queried by name (optionally within one parent)."""

    def __init__(self, candidates: Iterable[Candidate]) -> None:
        self._candidates = tuple(candidates)
        self._by_key: dict[str, list[Candidate]] = defaultdict(list)
        for candidate in self._candidates:
            self._by_key[name_key(candidate.name)].append(candidate)
        self._keys = list(self._by_key)
        self._by_code = {c.code.replace(".", ""): c for c in self._candidates}
        # An import asks for the same few dozen names 100,000 times; answers never change.
        self._answers: dict[tuple[str, str | None, int], Resolution] = {}

    def get(self, code: str) -> Candidate | None:
        """A candidate by its Kemendagri code, dotted (36.73.01.1002) or not (3673011002)."""
        return self._by_code.get(code.strip().replace(".", ""))

    def resolve(self, query: str, *, within: str | None = None, limit: int = 5) -> Resolution:
        """The one region ``query`` names (by name or code), or suggestions when it is unknown
        or ambiguous. Answers are remembered per index (they are immutable)."""
        asked = (query, within, limit)
        answer = self._answers.get(asked)
        if answer is None:
            answer = self._resolve(query, within=within, limit=limit)
            if len(self._answers) < ANSWERS_KEPT:
                self._answers[asked] = answer
        return answer

    def _resolve(self, query: str, *, within: str | None, limit: int) -> Resolution:
        by_code = self.get(query) if query.strip().replace(".", "").isdigit() else None
        if by_code is not None and (within is None or by_code.parent_code == within):
            return Resolution(code=by_code.code)
        key = name_key(query)
        if not key:
            return Resolution(code=None)
        exact = [c for c in self._by_key.get(key, ()) if within is None or c.parent_code == within]
        if len(exact) == 1:
            return Resolution(code=exact[0].code)
        if exact:
            return Resolution(
                code=None,
                suggestions=tuple(Suggestion(c.code, c.name, c.parent_code, 100.0) for c in exact),
            )
        return Resolution(code=None, suggestions=self._suggest(key, within=within, limit=limit))

    def _suggest(self, key: str, *, within: str | None, limit: int) -> tuple[Suggestion, ...]:
        found: list[Suggestion] = []
        for match_key, score, _index in process.extract(
            key, self._keys, scorer=fuzz.ratio, limit=limit * 3, score_cutoff=SUGGESTION_CUTOFF
        ):
            for candidate in self._by_key[match_key]:
                if within is None or candidate.parent_code == within:
                    found.append(
                        Suggestion(
                            candidate.code, candidate.name, candidate.parent_code, float(score)
                        )
                    )
        found.sort(key=lambda s: (-s.score, s.code))
        return tuple(found[:limit])
