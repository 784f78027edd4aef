"""Campaign targets: the city's estimate shared over kelurahan, adding up exactly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from naikkelas.fieldwork.targets import spread_targets


def test_proportional_to_the_register_by_largest_remainder() -> None:
    assert spread_targets(10, ["a", "b", "c"], {"a": 1, "b": 1, "c": 1}) == {"a": 4, "b": 3, "c": 3}
    assert spread_targets(11_000, ["a", "b"], {"a": 150, "b": 50}) == {"a": 8250, "b": 2750}
    # a kelurahan with nothing registered yet gets nothing until an officer sets it
    assert spread_targets(7, ["a", "b"], {"a": 3}) == {"a": 7, "b": 0}


def test_an_empty_register_spreads_evenly() -> None:
    assert spread_targets(11_000, [f"k{i:02d}" for i in range(67)], {})["k00"] in (164, 165)


def test_edges() -> None:
    assert spread_targets(5, [], {}) == {}
    assert spread_targets(0, ["a"], {"a": 2}) == {"a": 0}
    with pytest.raises(ValueError):
        spread_targets(-1, ["a"], {})


@given(
    total=st.integers(0, 50_000),
    weights=st.dictionaries(st.sampled_from("abcdefgh"), st.integers(0, 1000), min_size=1),
)
def test_targets_add_up_and_follow_the_weights(total: int, weights: dict[str, int]) -> None:
    codes = sorted(set(weights) | {"z"})
    result = spread_targets(total, codes, weights)
    assert sum(result.values()) == total
    assert set(result) == set(codes)
    heavy = sorted(codes, key=lambda c: weights.get(c, 0))
    # more weight never means a smaller target (up to the one seat of rounding)
    for low, high in zip(heavy, heavy[1:], strict=False):
        assert result[high] >= result[low] - 1
