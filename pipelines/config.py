"""Runtime configuration for nightly loads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class PipelineConfig:
    """Where the warehouse lives and the tunable rules of a load.

    Built by ``carelens.settings`` from ``CARELENS_*`` variables; tests build it directly.
    """

    warehouse_path: Path
    pseudonym_key: bytes
    """Secret key of the keyed hash that replaces NHS numbers; never written to the warehouse."""
    data_docs_dir: Path
    """Where the great-expectations Data Docs HTML of each run is written."""
    row_count_tolerance: float = 0.5
    """Largest relative change in a current table's row count against the last load (warning)."""
    freshness_days: int = 45
    """A provider whose latest export ends more than this many days before the run is stale."""
    occupancy_tolerance: float = 0.10
    """occupancy.csv and stays may differ by this share in a month before the contract warns."""
    late_dose_minutes: int = 60
    late_dose_minutes_time_critical: int = 30
    visit_late_minutes: int = 15
    """A completed home-care visit is late when checked in more than this many minutes after its
    scheduled start (``marts.visits_monthly``): a carelens default, not a national standard."""
    accounts_path: Path | None = None
    """The dashboard's accounts file, read-only: the quality targets set there are published
    into ``reference.quality_targets`` (``None``: none are)."""
    show_progress: bool = True
    checks_in_worker: bool = True
    """Run great-expectations in a worker process that imports it while the load runs (the
    nightly default); False runs it in this process, which is quicker when GX is already
    imported, as in a test session running many loads."""

    @property
    def build_path(self) -> Path:
        """The private copy a load writes before it is swapped into place."""
        return self.warehouse_path.with_name(f".{self.warehouse_path.name}.build")
