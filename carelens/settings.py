"""Settings: the only place that reads the environment (CARELENS_* variables)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pipelines.config import PipelineConfig

DEFAULT_WAREHOUSE = Path("data/carelens.duckdb")


class SettingsError(Exception):
    """A setting is missing or malformed."""


def _number(env: Mapping[str, str], name: str, default: float, *, low: float, high: float) -> float:
    """A numeric variable within [low, high], or the default when unset."""
    text = env.get(name)
    if text is None or not text.strip():
        return default
    try:
        value = float(text)
    except ValueError:
        raise SettingsError(f"{name}={text!r} is not a number") from None
    if not low <= value <= high:
        raise SettingsError(f"{name}={text!r} must be between {low:g} and {high:g}")
    return value


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the commands need, resolved from the environment once."""

    warehouse_path: Path
    pseudonym_key_file: Path
    pseudonym_key_env: str | None
    late_dose_minutes: int = 60
    """CARELENS_LATE_DOSE_MINUTES: a given dose is late after this (spec 4, eMAR)."""
    late_dose_minutes_time_critical: int = 30
    """CARELENS_LATE_DOSE_MINUTES_TIME_CRITICAL: the same for time-critical medicines."""
    row_count_tolerance: float = 0.5
    """CARELENS_ROW_COUNT_TOLERANCE: table-check warning on row-count change against last load."""
    freshness_days: int = 45
    """CARELENS_FRESHNESS_DAYS: table-check warning when a provider's latest export is older."""
    occupancy_tolerance: float = 0.10
    """CARELENS_OCCUPANCY_TOLERANCE: occupancy.csv and stays may differ by this share a month."""

    @classmethod
    def from_env(cls, env: Mapping[str, str], *, warehouse: Path | None = None) -> Settings:
        """Build settings from a mapping (os.environ in the CLI, a dict in tests)."""
        warehouse_path = warehouse or Path(env.get("CARELENS_WAREHOUSE", str(DEFAULT_WAREHOUSE)))
        key_file = Path(
            env.get("CARELENS_PSEUDONYM_KEY_FILE", str(warehouse_path.parent / "pseudonym.key"))
        )
        return cls(
            warehouse_path=warehouse_path,
            pseudonym_key_file=key_file,
            pseudonym_key_env=env.get("CARELENS_PSEUDONYM_KEY"),
            late_dose_minutes=int(
                _number(env, "CARELENS_LATE_DOSE_MINUTES", 60, low=1, high=24 * 60)
            ),
            late_dose_minutes_time_critical=int(
                _number(env, "CARELENS_LATE_DOSE_MINUTES_TIME_CRITICAL", 30, low=1, high=24 * 60)
            ),
            row_count_tolerance=_number(env, "CARELENS_ROW_COUNT_TOLERANCE", 0.5, low=0, high=100),
            freshness_days=int(_number(env, "CARELENS_FRESHNESS_DAYS", 45, low=1, high=3650)),
            occupancy_tolerance=_number(env, "CARELENS_OCCUPANCY_TOLERANCE", 0.1, low=0, high=1),
        )

    def pseudonym_key(self) -> bytes:
        """The NHS-number hashing key: from CARELENS_PSEUDONYM_KEY, else the key file.

        A key file is created (mode 0600, 32 random bytes) the first time a load runs without
        one, outside the warehouse, so that one installation always hashes the same number to
        the same pseudonym.
        """
        if self.pseudonym_key_env:
            if len(self.pseudonym_key_env) < 16:
                raise SettingsError("CARELENS_PSEUDONYM_KEY must be at least 16 characters")
            return self.pseudonym_key_env.encode()
        path = self.pseudonym_key_file
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
        key = path.read_text().strip()
        if len(key) < 16:
            raise SettingsError(f"{path}: pseudonym key is shorter than 16 characters")
        return key.encode()

    def pipeline_config(self, *, show_progress: bool) -> PipelineConfig:
        """The configuration of a nightly load."""
        return PipelineConfig(
            warehouse_path=self.warehouse_path,
            pseudonym_key=self.pseudonym_key(),
            data_docs_dir=self.warehouse_path.parent / "data_docs",
            row_count_tolerance=self.row_count_tolerance,
            freshness_days=self.freshness_days,
            occupancy_tolerance=self.occupancy_tolerance,
            late_dose_minutes=self.late_dose_minutes,
            late_dose_minutes_time_critical=self.late_dose_minutes_time_critical,
            show_progress=show_progress,
        )
