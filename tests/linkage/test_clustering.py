"""Clusters from linked pairs with cannot-link constraints (pure)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from naikkelas.linkage.clustering import ClusterRules, _greedy, cluster, niks_compatible

NIK_A = "3673052303649734"
NIK_B = "3673051108809080"


def test_a_chain_through_a_record_without_nik_does_not_join_two_people() -> None:
    # a-x is stronger than x-b: a and x merge first, then b cannot join
    edges = [("a", "x", 0.99), ("x", "b", 0.97)]
    result = cluster(edges, niks={"a": NIK_A, "b": NIK_B})
    assert result == {"a": "a", "x": "a"}


def test_compatible_niks_merge() -> None:
    typo = NIK_A[:14] + NIK_A[15] + NIK_A[14]  # two digits swapped
    edges = [("a", "b", 0.96), ("b", "c", 0.96)]
    result = cluster(edges, niks={"a": NIK_A, "b": typo, "c": NIK_A[:12]})
    assert set(result) == {"a", "b", "c"}
    assert set(result.values()) == {"a"}


def test_strongest_edges_merge_first() -> None:
    # x could join a (NIK A) or b (NIK B): the stronger evidence wins
    edges = [("x", "b", 0.96), ("a", "x", 0.999), ("a", "b", 0.95)]
    result = cluster(edges, niks={"a": NIK_A, "b": NIK_B})
    assert result == {"a": "a", "x": "a"}


def test_large_clusters_take_only_sure_edges() -> None:
    edges = [(f"r{i}", f"r{i + 1}", 0.999 if i < 3 else 0.96) for i in range(6)]
    result = cluster(edges, niks={}, rules=ClusterRules(large=4, large_link=0.99))
    # r3-r4 would make five: refused; r4, r5, r6 still form their own cluster
    assert result == {
        **dict.fromkeys(["r0", "r1", "r2", "r3"], "r0"),
        "r4": "r4",
        "r5": "r4",
        "r6": "r4",
    }
    unlimited = cluster(edges, niks={}, rules=ClusterRules(large=None))
    assert len(unlimited) == 7


def test_fixed_pairs_merge_first_and_carry_their_niks() -> None:
    result = cluster([("c", "b", 0.99)], niks={"a": NIK_A, "c": NIK_B}, fixed=[("a", "b")])
    assert result == {"a": "a", "b": "a"}


def test_records_alone_are_left_out() -> None:
    assert cluster([], niks={}) == {}


def test_niks_compatible() -> None:
    assert niks_compatible(NIK_A, NIK_A)
    assert niks_compatible(NIK_A, NIK_A[:12])  # Excel kept region and birth only
    assert niks_compatible(NIK_A, NIK_A[:-1] + "0")  # one typo in the serial
    assert niks_compatible(NIK_A, NIK_A[:7] + "4" + NIK_A[8:])  # one typo in the birth date
    assert niks_compatible(NIK_A, NIK_A[:7] + "4" + NIK_A[8:15] + "0")  # two typos
    assert not niks_compatible(NIK_A, NIK_A[:7] + "4" + NIK_A[8:13] + "000")  # three
    assert not niks_compatible(NIK_A, NIK_B)
    assert not niks_compatible(NIK_A[:12], NIK_B[:12])


def test_cannot_link_pairs_stay_apart_even_through_others() -> None:
    # one owner's records: x and y are surely two businesses; z looks like both
    edges = [("x", "z", 0.9), ("z", "y", 0.8)]
    result = cluster(edges, niks={}, apart=[("x", "y")])
    assert result == {"x": "x", "z": "x"}


def test_cannot_link_carries_over_merged_clusters() -> None:
    edges = [("a", "b", 0.99), ("c", "d", 0.98), ("b", "c", 0.97)]
    assert len(cluster(edges, niks={})) == 4
    assert cluster(edges, niks={}, apart=[("a", "d")]) == {"a": "a", "b": "a", "c": "c", "d": "c"}


def test_the_same_links_in_any_order_give_the_same_clusters() -> None:
    # equal probabilities: which merge comes first decides who x joins
    edges = [("a", "x", 0.97), ("x", "b", 0.97)]
    niks = {"a": NIK_A, "b": NIK_B}
    assert cluster(edges, niks=niks) == cluster(list(reversed(edges)), niks=niks)


@settings(max_examples=300, deadline=None)
@given(
    edges=st.lists(
        st.tuples(
            st.integers(0, 14), st.integers(0, 14), st.sampled_from([0.95, 0.97, 0.99, 0.999])
        ).filter(lambda e: e[0] != e[1]),
        max_size=30,
    ),
    nik_of=st.dictionaries(st.integers(0, 14), st.sampled_from([NIK_A, NIK_B, NIK_A[:12]])),
    apart=st.lists(st.tuples(st.integers(0, 14), st.integers(0, 14)), max_size=3),
    fixed=st.lists(st.tuples(st.integers(0, 14), st.integers(0, 14)), max_size=3),
    large=st.sampled_from([None, 3, 8]),
)
def test_components_taken_whole_equal_the_full_merge(
    edges: list[tuple[int, int, float]],
    nik_of: dict[int, str],
    apart: list[tuple[int, int]],
    fixed: list[tuple[int, int]],
    large: int | None,
) -> None:
    """The shortcut (a component nothing can split is one cluster) changes no outcome."""
    rules = ClusterRules(large=large)
    kept_apart: dict[int, set[int]] = {}
    for left, right in apart:
        kept_apart.setdefault(left, set()).add(right)
        kept_apart.setdefault(right, set()).add(left)
    fast = cluster(edges, niks=nik_of, rules=rules, fixed=fixed, apart=apart)
    full = _greedy(edges, niks=nik_of, rules=rules, fixed=fixed, kept_apart=kept_apart)
    assert fast == full
