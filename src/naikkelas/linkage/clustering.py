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
from typing import Any, Generic, Protocol, TypeVar

from rapidfuzz.distance import DamerauLevenshtein

__all__ = ["ClusterRules", "cluster", "niks_compatible"]


class _Orderable(Protocol):
    def __lt__(self, other: Any, /) -> bool: ...


Node = TypeVar("Node", bound=_Orderable)  # a record id: str, or int in record-id order


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


class _Forest(Generic[Node]):
    def __init__(self, apart: Mapping[Node, set[Node]]) -> None:
        self.parent: dict[Node, Node] = {}
        self.size: dict[Node, int] = {}
        self.niks: dict[Node, list[str]] = {}
        self.members: dict[Node, list[Node]] = {}  # per root
        self.apart: dict[Node, set[Node]] = {}  # per root: records none of its members may join
        self._apart_of = apart

    def add(self, node: Node, nik: str | None) -> None:
        if node not in self.parent:
            self.parent[node] = node
            self.size[node] = 1
            self.members[node] = [node]
            if nik:
                self.niks[node] = [nik]
            if node in self._apart_of:
                self.apart[node] = set(self._apart_of[node])

    def root(self, node: Node) -> Node:
        parent = self.parent
        top = node
        while parent[top] != top:
            top = parent[top]
        while parent[node] != top:  # path compression
            parent[node], node = top, parent[node]
        return top

    def compatible(self, a: Node, b: Node) -> bool:
        for one, other in ((a, b), (b, a)):
            forbidden = self.apart.get(one)
            if forbidden and any(m in forbidden for m in self.members[other]):
                return False
        left, right = self.niks.get(a), self.niks.get(b)
        if not left or not right:
            return True
        return all(niks_compatible(x, y) for x in left for y in right)

    def union(self, a: Node, b: Node) -> None:
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


def _greedy(
    edges: Iterable[tuple[Node, Node, float]],
    *,
    niks: Mapping[Node, str],
    rules: ClusterRules,
    fixed: Iterable[tuple[Node, Node]],
    kept_apart: Mapping[Node, set[Node]],
) -> dict[Node, Node]:
    """The constrained merge itself (see :func:`cluster`), over all the edges given."""
    forest: _Forest[Node] = _Forest(kept_apart)
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
    smallest: dict[Node, Node] = {}
    for node in forest.parent:
        top = forest.root(node)
        if forest.size[top] > 1 and (top not in smallest or node < smallest[top]):
            smallest[top] = node
    return {
        node: smallest[forest.root(node)]
        for node in forest.parent
        if forest.size[forest.root(node)] > 1
    }


# A component up to this size whose NIKs all fit together is taken whole without the merge;
# above it the merge decides (checking every pair of NIKs grows with the square).
_CHECKED = 64


def _unconstrained(
    members: list[Node],
    *,
    niks: Mapping[Node, str],
    rules: ClusterRules,
    kept_apart: Mapping[Node, set[Node]],
) -> bool:
    """Whether no rule can refuse a merge inside this connected component: then the
    constrained merge would join it whole."""
    if len(members) > _CHECKED or (rules.large is not None and len(members) > rules.large):
        return False
    inside = set(members)
    if any(kept_apart.get(node, _NONE) & inside for node in members):
        return False
    found = sorted({niks[node] for node in members if node in niks})
    return all(niks_compatible(x, y) for i, x in enumerate(found) for y in found[i + 1 :])


_NONE: frozenset[Any] = frozenset()


def cluster(
    edges: Iterable[tuple[Node, Node, float]],
    *,
    niks: Mapping[Node, str],
    rules: ClusterRules | None = None,
    fixed: Iterable[tuple[Node, Node]] = (),
    apart: Iterable[tuple[Node, Node]] = (),
) -> dict[Node, Node]:
    """Cluster ids of the records that end up in a cluster of two or more (record id ->
    the smallest record id of its cluster); records absent stay alone.

    ``edges`` are ``(left, right, probability)`` (any order: the strongest merge first);
    ``niks`` the NIK (or its 12-digit part) of the records that have one; ``fixed`` pairs are
    merged first without any check (e.g. the business clusters inside owner clusters);
    ``apart`` pairs (cannot-link) never end up in one cluster. Record ids are anything
    orderable (the batch passes integers in record-id order).

    Most connected components contain nothing a rule could refuse (no two NIKs of different
    people, no cannot-link pair, small): they are clusters as they are, found by a plain
    union-find; only the rest go through the merge, strongest edge first.
    """
    rules = rules or ClusterRules()
    edges = list(edges)
    fixed = list(fixed)
    kept_apart: dict[Node, set[Node]] = {}
    for left, right in apart:
        kept_apart.setdefault(left, set()).add(right)
        kept_apart.setdefault(right, set()).add(left)
    parent: dict[Node, Node] = {}

    def root(node: Node) -> Node:
        top = parent.setdefault(node, node)
        while parent[top] != top:
            parent[top] = parent[parent[top]]  # path halving
            top = parent[top]
        return top

    for left, right in [*fixed, *((e[0], e[1]) for e in edges)]:
        a, b = root(left), root(right)
        if a != b:
            parent[max(a, b)] = min(a, b)
    components: dict[Node, list[Node]] = {}
    for node in parent:
        components.setdefault(root(node), []).append(node)
    result: dict[Node, Node] = {}
    hard: set[Node] = set()
    for top, members in components.items():
        if len(members) < 2:
            continue
        if _unconstrained(members, niks=niks, rules=rules, kept_apart=kept_apart):
            smallest = min(members)
            result.update(dict.fromkeys(members, smallest))
        else:
            hard.add(top)
    if hard:
        result.update(
            _greedy(
                [e for e in edges if root(e[0]) in hard],
                niks=niks,
                rules=rules,
                fixed=[f for f in fixed if root(f[0]) in hard],
                kept_apart=kept_apart,
            )
        )
    return result
