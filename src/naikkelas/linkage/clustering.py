"""Clusters from linked pairs, with cannot-link constraints (pure: no database).

Connected components turn a chain of near misses into one cluster: "Dede Supriatna" (NIK A)
links to "Warung Dede" (no NIK), which links to another "Dede Supriatna" (NIK B), and two
people become one business. Here edges are merged strongest first (a union-find), and a
merge is refused when it would put two records whose NIKs cannot belong to one person into
one cluster, or when it would grow a cluster past ``large`` records on an edge weaker than
``large_link`` (a business shows up in a handful of lists, not dozens). See ADR 0010.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import numpy as np
from rapidfuzz.distance import DamerauLevenshtein
from scipy.sparse import coo_array
from scipy.sparse.csgraph import connected_components

__all__ = ["ClusterRules", "cluster", "cluster_array", "niks_compatible"]


class _Orderable(Protocol):
    def __lt__(self, other: Any, /) -> bool: ...


Node = TypeVar("Node", bound=_Orderable)  # a record id of cluster(): str, int ...


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


class _Forest:  # over record numbers (cluster() maps any ids to them)
    def __init__(self, apart: Mapping[int, set[int]]) -> None:
        self.parent: dict[int, int] = {}
        self.size: dict[int, int] = {}
        self.niks: dict[int, list[str]] = {}
        self.members: dict[int, list[int]] = {}  # per root
        self.apart: dict[int, set[int]] = {}  # per root: records none of its members may join
        self._apart_of = apart

    def add(self, node: int, nik: str | None) -> None:
        if node not in self.parent:
            self.parent[node] = node
            self.size[node] = 1
            self.members[node] = [node]
            if nik:
                self.niks[node] = [nik]
            if node in self._apart_of:
                self.apart[node] = set(self._apart_of[node])

    def root(self, node: int) -> int:
        parent = self.parent
        top = node
        while parent[top] != top:
            top = parent[top]
        while parent[node] != top:  # path compression
            parent[node], node = top, parent[node]
        return top

    def compatible(self, a: int, b: int) -> bool:
        for one, other in ((a, b), (b, a)):
            forbidden = self.apart.get(one)
            if forbidden and any(m in forbidden for m in self.members[other]):
                return False
        left, right = self.niks.get(a), self.niks.get(b)
        if not left or not right:
            return True
        return all(niks_compatible(x, y) for x in left for y in right)

    def union(self, a: int, b: int) -> None:
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
    edges: Iterable[tuple[int, int, float]],
    *,
    niks: Mapping[int, str],
    rules: ClusterRules,
    fixed: Iterable[tuple[int, int]],
    kept_apart: Mapping[int, set[int]],
) -> dict[int, int]:
    """The constrained merge itself (see :func:`cluster`), over all the edges given."""
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
    smallest: dict[int, int] = {}
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


def _niks_fit(found: set[str]) -> bool:
    ordered = sorted(found)
    return all(niks_compatible(x, y) for i, x in enumerate(ordered) for y in ordered[i + 1 :])


def cluster_array(
    left: np.ndarray,
    right: np.ndarray,
    probability: np.ndarray,
    *,
    nodes: int,
    niks: tuple[np.ndarray, Sequence[str]],
    rules: ClusterRules,
    fixed: tuple[np.ndarray, np.ndarray] | None = None,
    apart: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """:func:`cluster` on records numbered ``0 .. nodes - 1`` in record-id order, in arrays:
    edges ``(left[i], right[i], probability[i])``, ``niks`` as (record numbers, NIKs),
    ``fixed`` and ``apart`` as (left, right) arrays. Returns each record's cluster: the
    smallest number in it (its own when alone).

    Most connected components contain nothing a rule could refuse (no two NIKs of different
    people, no cannot-link pair, no more records than ``large``): they are clusters as they
    are, found by SciPy's connected components; only the rest go through the merge,
    strongest edge first.
    """
    empty = np.zeros(0, dtype=np.int64)
    fixed_left, fixed_right = fixed if fixed is not None else (empty, empty)
    apart_left, apart_right = apart if apart is not None else (empty, empty)
    ends_left = np.concatenate([fixed_left, left]).astype(np.int64)
    ends_right = np.concatenate([fixed_right, right]).astype(np.int64)
    graph = coo_array(
        (np.ones(len(ends_left), dtype=np.int8), (ends_left, ends_right)), shape=(nodes, nodes)
    )
    _, labels = connected_components(graph, directed=False)
    sizes = np.bincount(labels)
    limit = _CHECKED if rules.large is None else min(_CHECKED, rules.large)
    hard = sizes > limit
    # a cannot-link pair inside a component
    same = labels[apart_left] == labels[apart_right]
    hard[labels[apart_left[same]]] = True
    # two or more different NIKs in a component: do they fit together?
    nik_nodes, nik_values = niks
    if len(nik_nodes):
        values, codes = np.unique(np.asarray(nik_values, dtype=object), return_inverse=True)
        # distinct (component, NIK) pairs as one int64 key, sorted: components in runs
        keys = np.unique(labels[nik_nodes].astype(np.int64) * len(values) + codes.reshape(-1))
        components, nik_codes = np.divmod(keys, len(values))
        starts = np.flatnonzero(np.r_[True, components[1:] != components[:-1]])
        ends = np.r_[starts[1:], len(components)]
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
            label = int(components[start])
            if end - start > 1 and not hard[label]:
                hard[label] = not _niks_fit({str(values[c]) for c in nik_codes[start:end]})
    # the smallest record of each component (np.unique: first index of each label)
    _, first = np.unique(labels, return_index=True)
    result = np.where(hard[labels], np.arange(nodes), first[labels])
    if hard.any():
        is_hard = hard[labels]
        edge_hard = is_hard[left]
        kept_apart: dict[int, set[int]] = {}
        for a, b in zip(apart_left[same].tolist(), apart_right[same].tolist(), strict=True):
            kept_apart.setdefault(a, set()).add(b)
            kept_apart.setdefault(b, set()).add(a)
        hard_niks = {
            node: str(nik)
            for node, nik in zip(nik_nodes.tolist(), nik_values, strict=True)
            if is_hard[node]
        }
        fixed_hard = is_hard[fixed_left]
        merged = _greedy(
            zip(
                left[edge_hard].tolist(),
                right[edge_hard].tolist(),
                probability[edge_hard].tolist(),
                strict=True,
            ),
            niks=hard_niks,
            rules=rules,
            fixed=zip(
                fixed_left[fixed_hard].tolist(), fixed_right[fixed_hard].tolist(), strict=True
            ),
            kept_apart=kept_apart,
        )
        if merged:
            result[np.fromiter(merged.keys(), dtype=np.int64, count=len(merged))] = np.fromiter(
                merged.values(), dtype=np.int64, count=len(merged)
            )
    return result


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
    orderable. (The batch calls :func:`cluster_array` with numbers.)
    """
    edges = list(edges)
    fixed = list(fixed)
    nodes = sorted({n for e in edges for n in e[:2]} | {n for f in fixed for n in f})
    if not nodes:
        return {}
    index = {node: i for i, node in enumerate(nodes)}  # in node order: min index = min node

    def pairs(found: Iterable[tuple[Node, Node]]) -> tuple[np.ndarray, np.ndarray]:
        kept = [(index[a], index[b]) for a, b in found if a in index and b in index]
        return (
            np.array([a for a, _ in kept], dtype=np.int64),
            np.array([b for _, b in kept], dtype=np.int64),
        )

    known = [(index[node], nik) for node, nik in niks.items() if node in index]
    result = cluster_array(
        np.array([index[e[0]] for e in edges], dtype=np.int64),
        np.array([index[e[1]] for e in edges], dtype=np.int64),
        np.array([e[2] for e in edges], dtype=np.float64),
        nodes=len(nodes),
        niks=(np.array([i for i, _ in known], dtype=np.int64), [nik for _, nik in known]),
        rules=rules or ClusterRules(),
        fixed=pairs(fixed),
        apart=pairs(apart),
    )
    sizes = np.bincount(result, minlength=len(nodes))
    return {nodes[i]: nodes[head] for i, head in enumerate(result.tolist()) if sizes[head] > 1}
