"""Shared fixtures: a small generated ICB inbox and the warehouse the real runner loads from it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from pipelines.config import PipelineConfig
from pipelines.runner import RunSummary, run_nightly
from pipelines.synthetic import generate_icb

KEY = b"integration-test-key-0123456789"


def make_config(warehouse: Path, *, checks_in_worker: bool = False) -> PipelineConfig:
    """A load configuration writing to ``warehouse`` without a progress bar.

    Table checks run in the test process (GX imported once per session) unless a test asks
    for the worker process the command line uses.
    """
    return PipelineConfig(
        warehouse_path=warehouse,
        pseudonym_key=KEY,
        data_docs_dir=warehouse.parent / "data_docs",
        show_progress=False,
        checks_in_worker=checks_in_worker,
    )


@dataclass(frozen=True)
class LoadedInbox:
    """A generated inbox, its truth and the warehouse a first load produced."""

    inbox: Path
    truth: dict
    warehouse: Path
    summary: RunSummary

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        """Rows of ``sql`` against the published warehouse, read-only."""
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()


@pytest.fixture(scope="session")
def generated_inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four providers over four months, with every fault kind (seeded)."""
    inbox = tmp_path_factory.mktemp("icb") / "inbox"
    generate_icb(out_dir=inbox, seed=7, providers=4, months=4, fault_rate=0.005)
    return inbox


@pytest.fixture(scope="session")
def loaded(generated_inbox: Path, tmp_path_factory: pytest.TempPathFactory) -> LoadedInbox:
    """The generated inbox after one nightly load into a fresh warehouse."""
    warehouse = tmp_path_factory.mktemp("warehouse") / "carelens.duckdb"
    summary = run_nightly(
        inbox=generated_inbox, config=make_config(warehouse, checks_in_worker=True)
    )
    truth = json.loads((generated_inbox / "truth.json").read_text())
    return LoadedInbox(generated_inbox, truth, warehouse, summary)
