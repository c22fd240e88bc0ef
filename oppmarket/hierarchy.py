"""Trees of people (who reports to whom) and of departments (which sits under which):
the one check that a new parent keeps the tree a tree."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def cycle_through(child: K, new_parent: K | None, parent_of: Callable[[K], K | None]) -> list[K] | None:
    """The loop that giving `child` the parent `new_parent` would close, as the chain
    from `new_parent` up to `child` ([new_parent, ..., child]); None when there is none.
    `parent_of` reads the current parent of a node (None at a root). A loop already in
    the data (it should not be there) stops the walk rather than hanging it."""
    if new_parent is None:
        return None
    chain: list[K] = []
    seen: set[K] = set()
    node: K | None = new_parent
    while node is not None and node not in seen:
        chain.append(node)
        if node == child:
            return chain
        seen.add(node)
        node = parent_of(node)
    return None


def loop_words(chain: list[str]) -> str:
    """'a → b → a': a loop named for a message."""
    return " → ".join([*chain, chain[0]]) if chain else ""
