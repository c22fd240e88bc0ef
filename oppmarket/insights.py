"""What the marketplace did over a period, as plain figures: participation, equal
access, the release ledger, hours unlocked, core work, skills gained.

Pure functions over plain values; `oppmarket.market` counts the rows and hands them
here, and `oppmarket simulate` uses the same measures on its generated organisation."""

from __future__ import annotations

from collections.abc import Iterable


def gini(counts: Iterable[float]) -> float:
    """The Gini coefficient of non-negative amounts (engagements per person, say):
    0 when everyone has the same, approaching 1 when one person has everything.
    0 for no people, for one person, and when nobody has anything."""
    values = sorted(float(c) for c in counts)
    if any(v < 0 for v in values):
        raise ValueError("gini needs amounts of zero or more")
    n = len(values)
    total = sum(values)
    if n < 2 or total == 0:
        return 0.0
    # Mean absolute difference over twice the mean, in its sorted closed form.
    weighted = sum((2 * i - n + 1) * v for i, v in enumerate(values))
    return weighted / (n * total)
