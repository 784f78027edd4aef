"""Kelurahan names and codes to codes, for linkage features (pure: no Django, no ORM).

Reads the packaged Kemendagri catalogue (``regions.catalogue``), restricted to one
kota/kabupaten (the deployment's ``NAIKKELAS_AREA_CODE``): kelurahan names repeat across
Indonesia, inside one regency they are (nearly) unique. A name the catalogue does not know
exactly is accepted when one candidate is clearly closest (typos, "Kel." prefixes).
"""

from __future__ import annotations

from functools import cache

from naikkelas.regions.catalogue import iter_catalogue
from naikkelas.regions.lookup import Candidate, NameIndex

__all__ = ["FUZZY_ACCEPT", "kelurahan_resolver"]

FUZZY_ACCEPT = 88.0  # the best suggestion's score needed to accept a misspelt name


class _Resolver:
    def __init__(self, area_code: str) -> None:
        prefix = area_code.rstrip(".") + "."
        self._index = NameIndex(
            Candidate(row.code, row.name, row.parent_code)
            for row in iter_catalogue()
            if row.level == 4 and row.code.startswith(prefix)
        )
        self._answers: dict[str, str | None] = {}

    def __call__(self, text: str) -> str | None:
        try:
            return self._answers[text]
        except KeyError:
            pass
        resolution = self._index.resolve(text)
        code = resolution.code
        if code is None and resolution.suggestions and not resolution.ambiguous:
            best = resolution.suggestions[0]
            runner_up = resolution.suggestions[1].score if len(resolution.suggestions) > 1 else 0
            if best.score >= FUZZY_ACCEPT and best.score - runner_up >= 5:
                code = best.code
        answer = code.replace(".", "") if code else None
        if len(self._answers) < 100_000:
            self._answers[text] = answer
        return answer


@cache
def kelurahan_resolver(area_code: str) -> _Resolver:
    """A callable: kelurahan text or code -> 10-digit code (``"3673061001"``) or ``None``."""
    return _Resolver(area_code)
