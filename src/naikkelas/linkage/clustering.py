"""Clusters from linked pairs, with cannot-link constraints (pure: no database).

Connected components turn a chain of near misses into one cluster: "Dede Supriatna" (NIK A)
links to "Warung Dede" (no NIK), which links to another "Dede Supriatna" (NIK B), and two
people become one business. Here edges are merged strongest first (a union-find), and a
merge is refused when it would put two records whose NIKs cannot belong to one person into
one cluster, or when it would grow a cluster past ``large`` records on an edge weaker than
``large_link`` (a business shows up in a handful of lists, not dozens). See ADR 0010.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz.distance import DamerauLevenshtein

__all__ = ["ClusterRules", "cluster", "niks_compatible"]


@dataclass(frozen=True)
class ClusterRules:
    """``large``: size above which only edges of at least ``large_link`` still merge
    (``None``: no limit)."""

    large: int | None = 8
    large_link: float = 0.99


def niks_compatible(a: str, b: str) -> bool:
    """Whether two NIKs (16 digits, or the 12-digit region + birth part that survives Excel
    damage) can be one person's: equal, one typo or swap apart, or the same region and
    birth date/sex (the serial unknown or mistyped), or at most two typos apart."""
    if a == b or a[:12] == b[:12]:
        return True
    if len(a) < 16 or len(b) < 16:
        a, b = a[:12], b[:12]
    # Typed twice by hand, a NIK collects a typo or two; two people's NIKs differ in more.
    return DamerauLevenshtein.distance(a, b) <= 2


class _Forest:
    def __init__(self, apart: Mapping[str, set[str]]) -> None:
        self.parent: dict[str, str] = {}
        self.size: dict[str, int] = {}
        self.niks: dict[str, list[str]] = {}
        self.members: dict[str, list[str]] = {}  # per root
        self.apart: dict[str, set[str]] = {}  # per root: records none of its members may join
        self._apart_of = apart

    def add(self, node: str, nik: str | None) -> None:
        if node not in self.parent:
            self.parent[node] = node
            self.size[node] = 1
            self.members[node] = [node]
            if nik:
                self.niks[node] = [nik]
            if node in self._apart_of:
                self.apart[node] = set(self._apart_of[node])

    def root(self, node: str) -> str:
        parent = self.parent
        top = node
        while parent[top] != top:
            top = parent[top]
        while parent[node] != top:  # path compression
            parent[node], node = top, parent[node]
        return top

    def compatible(self, a: str, b: str) -> bool:
        for one, other in ((a, b), (b, a)):
            forbidden = self.apart.get(one)
            if forbidden and any(m in forbidden for m in self.members[other]):
                return False
        left, right = self.niks.get(a), self.niks.get(b)
        if not left or not right:
            return True
        return all(niks_compatible(x, y) for x in left for y in right)

    def union(self, a: str, b: str) -> None:
        if self.size[a] < self.size[b]:
            a, b = b, a
        self.parent[b] = a
        self.size[a] += self.size.pop(b)
        self.members[a].extend(self.members.pop(b))
        if b in self.apart:
            self.apart.setdefault(a, set()).update(self.apart.pop(b))
        if b in self.niks:
            merged = self.niks.setdefault(a, [])
            merged.extend(n for n in self.niks.pop(b) if n not in merged)


def cluster(
    edges: Iterable[tuple[str, str, float]],
    *,
    niks: Mapping[str, str],
    rules: ClusterRules | None = None,
    fixed: Iterable[tuple[str, str]] = (),
    apart: Iterable[tuple[str, str]] = (),
) -> dict[str, str]:
    """Cluster ids of the records that end up in a cluster of two or more (record id ->
    the smallest record id of its cluster); records absent stay alone.

    ``edges`` are ``(left, right, probability)`` (any order: the strongest merge first);
    ``niks`` the NIK (or its 12-digit part) of the records that have one; ``fixed`` pairs are
    merged first without any check (e.g. the business clusters inside owner clusters);
    ``apart`` pairs (cannot-link) never end up in one cluster.
    """
    rules = rules or ClusterRules()
    kept_apart: dict[str, set[str]] = {}
    for left, right in apart:
        kept_apart.setdefault(left, set()).add(right)
        kept_apart.setdefault(right, set()).add(left)
    forest = _Forest(kept_apart)
    for left, right in fixed:
        forest.add(left, niks.get(left))
        forest.add(right, niks.get(right))
        a, b = forest.root(left), forest.root(right)
        if a != b:
            forest.union(a, b)
    # ties in record-id order: the same input gives the same clusters, whatever the row order
    for left, right, probability in sorted(edges, key=lambda e: (-e[2], e[0], e[1])):
        forest.add(left, niks.get(left))
        forest.add(right, niks.get(right))
        a, b = forest.root(left), forest.root(right)
        if a == b:
            continue
        if (
            rules.large is not None
            and forest.size[a] + forest.size[b] > rules.large
            and probability < rules.large_link
        ):
            continue
        if not forest.compatible(a, b):
            continue
        forest.union(a, b)
    smallest: dict[str, str] = {}
    for node in forest.parent:
        top = forest.root(node)
        if forest.size[top] > 1 and (top not in smallest or node < smallest[top]):
            smallest[top] = node
    return {
        node: smallest[forest.root(node)]
        for node in forest.parent
        if forest.size[forest.root(node)] > 1
    }
