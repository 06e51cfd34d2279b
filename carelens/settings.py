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


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the commands need, resolved from the environment once."""

    warehouse_path: Path
    pseudonym_key_file: Path
    pseudonym_key_env: str | None

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
            show_progress=show_progress,
        )
