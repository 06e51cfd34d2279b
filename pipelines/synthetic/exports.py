"""The export schedule: which packages each provider sends and which days each one carries."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipelines.synthetic import clock
from pipelines.synthetic.world import NEVER, World

_KEY = 1_000_000


@dataclass(frozen=True, slots=True)
class ExportPlan:
    """All packages, index ``e``, ordered by provider then period."""

    provider: np.ndarray
    extract_from: np.ndarray
    extract_to: np.ndarray
    extract_id: list[str]
    generated_at: list[str]
    first_export: np.ndarray
    """First export index of each provider; -1 for providers that never export."""
    last_export: np.ndarray
    """Last export index of each provider; -1 for providers that never export."""

    @property
    def count(self) -> int:
        """Number of packages."""
        return len(self.provider)

    def name(self, *, export: int, provider_id: str) -> str:
        """Package name ``<provider_id>_<extract_to>_<extract_id>`` (spec section 1)."""
        return f"{provider_id}_{clock.day_date(self.extract_to[export])}_{self.extract_id[export]}"

    def locate(self, *, provider: np.ndarray, day: np.ndarray) -> np.ndarray:
        """The export carrying each (provider, day); -1 where no export covers it."""
        if self.count == 0:
            return np.full(len(day), -1, dtype=np.int64)
        ends = self.provider * _KEY + self.extract_to
        position = np.searchsorted(ends, provider * _KEY + day, side="left")
        clipped = np.minimum(position, self.count - 1)
        found = (
            (position < self.count)
            & (self.provider[clipped] == provider)
            & (self.extract_from[clipped] <= day)
        )
        return np.where(found, clipped, -1)


def monthly_plan(
    *, rng: np.random.Generator, world: World, first_day: int, last_day: int
) -> ExportPlan:
    """Monthly exports from each provider's go-live month to the period end.

    The first export starts at the period start: it also carries the history typed up from
    paper, so before/after comparisons are possible.
    """
    first_month, last_month = (int(m) for m in clock.month_key(np.array([first_day, last_day])))
    rows: list[tuple[int, int, int, str, str]] = []
    for p in range(world.provider_count):
        if world.provider_go_live_class[p] == NEVER:
            continue
        live_month = int(clock.month_key(np.array([world.provider_go_live_day[p]]))[0])
        months = np.arange(max(first_month, live_month), last_month + 1)
        starts = clock.month_start_day(months)
        ends = np.minimum(clock.month_start_day(months + 1) - 1, last_day)
        starts[0] = first_day
        first_id = int(rng.integers(1, 300))
        for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
            rows.append((p, int(start), int(end), f"{first_id + i:04d}", _generated_at(rng, end)))
    return _plan(rows=rows, providers=world.provider_count)


def night_plan(*, rng: np.random.Generator, world: World, day: int) -> ExportPlan:
    """One daily export per provider covering ``day`` only."""
    extract_id = f"{(day - clock.day_number(clock.day_date(0).replace(year=2020))) % 10_000:04d}"
    rows = [(p, day, day, extract_id, _generated_at(rng, day)) for p in range(world.provider_count)]
    return _plan(rows=rows, providers=world.provider_count)


def _generated_at(rng: np.random.Generator, extract_to: int) -> str:
    """Next day 02:1x UTC: when a supplier's nightly job produces the export."""
    minute, second = int(rng.integers(10, 20)), int(rng.integers(0, 60))
    return f"{clock.day_date(extract_to + 1)}T02:{minute:02d}:{second:02d}Z"


def _plan(*, rows: list[tuple[int, int, int, str, str]], providers: int) -> ExportPlan:
    provider = np.array([r[0] for r in rows], dtype=np.int64)
    first = np.full(providers, -1, dtype=np.int64)
    last = np.full(providers, -1, dtype=np.int64)
    for index in range(len(rows) - 1, -1, -1):
        first[provider[index]] = index
    for index in range(len(rows)):
        last[provider[index]] = index
    return ExportPlan(
        provider=provider,
        extract_from=np.array([r[1] for r in rows], dtype=np.int64),
        extract_to=np.array([r[2] for r in rows], dtype=np.int64),
        extract_id=[r[3] for r in rows],
        generated_at=[r[4] for r in rows],
        first_export=first,
        last_export=last,
    )
