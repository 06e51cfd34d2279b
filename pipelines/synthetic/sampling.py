"""Vectorised sampling helpers: expanding counts, categorical draws and group picks."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def expand(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Repeat each parent ``counts[i]`` times.

    Returns:
        ``(parent, within)``: the parent index of every child and its position (0-based)
        among its parent's children.
    """
    counts = np.asarray(counts, dtype=np.int64)
    parent = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    within = np.arange(len(parent)) - np.repeat(starts, counts)
    return parent, within


def draw_categories(*, rng: np.random.Generator, weights: Sequence[float], size: int) -> np.ndarray:
    """Draw ``size`` category indices with the given (not necessarily normalised) weights."""
    p = np.asarray(weights, dtype=float)
    return rng.choice(len(p), size=size, p=p / p.sum())


def draw_rows(*, rng: np.random.Generator, probabilities: np.ndarray) -> np.ndarray:
    """Draw one category per row of a ``(n, k)`` probability matrix (rows need not sum to 1)."""
    cumulative = np.cumsum(probabilities, axis=1)
    u = rng.random(len(probabilities)) * cumulative[:, -1]
    return (u[:, None] >= cumulative).sum(axis=1)


class GroupIndex:
    """Rows sorted by an integer key, so a random member of any key's group can be picked."""

    def __init__(self, keys: np.ndarray) -> None:
        self.order = np.argsort(keys, kind="stable")
        self.sorted_keys = keys[self.order]

    def bounds(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Start (in sorted order) and size of each queried key's group."""
        left = np.searchsorted(self.sorted_keys, keys, side="left")
        right = np.searchsorted(self.sorted_keys, keys, side="right")
        return left, right - left

    def pick(self, *, rng: np.random.Generator, keys: np.ndarray) -> np.ndarray:
        """One random member (original row index) per queried key; -1 where the group is empty."""
        left, size = self.bounds(keys)
        offset = np.floor(rng.random(len(keys)) * size).astype(np.int64)
        position = np.minimum(left + offset, len(self.order) - 1)
        return np.where(size > 0, self.order[position] if len(self.order) else -1, -1)
