"""The providers, locations and ICBs a loaded warehouse knows, read once for the users commands.

The CLI is the composition root, so it may read the warehouse directly; the web app never reads
it except through ``dashboards.queries``.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Organisations:
    """The locations of ``core.locations``: for each, its provider and ICB.

    Attributes:
        locations: ``location_id -> (provider_id, icb_code or None)``.
    """

    locations: dict[str, tuple[str, str | None]]

    @property
    def providers(self) -> frozenset[str]:
        """Every provider with a location."""
        return frozenset(provider for provider, _ in self.locations.values())

    @property
    def icb_codes(self) -> frozenset[str]:
        """Every ICB a location is in."""
        return frozenset(icb for _, icb in self.locations.values() if icb)

    def provider_of(self, location_id: str) -> str | None:
        """The provider a location belongs to, or ``None`` if the location is not loaded."""
        entry = self.locations.get(location_id)
        return entry[0] if entry else None

    def largest_provider(self) -> str | None:
        """The provider with the most locations (the lowest id among equals), or ``None``."""
        counts = Counter(provider for provider, _ in self.locations.values())
        if not counts:
            return None
        return min(counts, key=lambda provider: (-counts[provider], provider))

    def icb_of_provider(self, provider_id: str) -> str | None:
        """The ICB most of a provider's locations are in (the lowest code among equals)."""
        counts = Counter(
            icb for provider, icb in self.locations.values() if provider == provider_id and icb
        )
        if not counts:
            return None
        return min(counts, key=lambda icb: (-counts[icb], icb))


def read_organisations(warehouse_path: Path) -> Organisations | None:
    """The organisations of a loaded warehouse, read read-only; ``None`` if there is none yet.

    A missing file, a warehouse without ``core.locations`` or one that cannot be opened (a load
    holding it) all give ``None``: the caller then cannot check scopes against the data.
    """
    import duckdb  # here, not at the top: only the users commands need it (quick --help)

    if not warehouse_path.is_file():
        return None
    try:
        with duckdb.connect(str(warehouse_path), read_only=True) as connection:
            rows = connection.execute(
                "select location_id, provider_id, icb_code from core.locations"
            ).fetchall()
    except duckdb.Error as error:
        logger.info("cannot read organisations from %s: %s", warehouse_path, error)
        return None
    return Organisations(locations={location: (provider, icb) for location, provider, icb in rows})
