"""Targets of the census campaign per kelurahan (pure: no Django).

The city's estimate of its UMKM (about 11,000 for Kota Serang, product.md) is spread over
the kelurahan in proportion to the businesses the register already holds there -- where
enumerators already found many, more are expected -- by the largest-remainder method, so the
targets add up to the estimate exactly. An empty register spreads it evenly. Officers can
overwrite any kelurahan's target; those stay as entered.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

__all__ = ["spread_targets"]


def spread_targets(total: int, codes: Sequence[str], weights: Mapping[str, int]) -> dict[str, int]:
    """``total`` shared over ``codes`` in proportion to ``weights`` (missing = 0), largest
    remainders first (ties by code); evenly when every weight is 0."""
    if total < 0:
        raise ValueError("the total cannot be negative")
    if not codes:
        return {}
    weight = {code: max(0, int(weights.get(code, 0))) for code in codes}
    mass = sum(weight.values())
    if mass == 0:
        weight = dict.fromkeys(codes, 1)
        mass = len(codes)
    shares = {code: total * weight[code] / mass for code in codes}
    result = {code: int(share) for code, share in shares.items()}
    left = total - sum(result.values())
    by_remainder = sorted(codes, key=lambda code: (-(shares[code] - result[code]), code))
    for code in by_remainder[:left]:
        result[code] += 1
    return result
