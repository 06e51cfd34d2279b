"""The nightly load with its checks worker: a dead worker fails the run and changes no data."""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import duckdb
import pytest
from conftest import LoadedInbox, make_config

from pipelines import runner
from pipelines.checks import ChecksWorker

pytestmark = pytest.mark.integration


class _KilledOnStart(ChecksWorker):
    """A checks worker whose process is killed as soon as it starts."""

    def __enter__(self) -> ChecksWorker:
        super().__enter__()
        if self.pid is not None:
            os.kill(self.pid, signal.SIGKILL)
        return self


def _data(warehouse: Path) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables"
            " where table_schema in ('staging', 'core') and table_type = 'BASE TABLE'"
            " order by all"
        ).fetchall()
        return [
            (table, *con.execute(f"select count(*), bit_xor(hash(t)) from {table} t").fetchone())
            for (table,) in tables
        ]


@pytest.mark.timeout(300)
def test_a_dead_checks_worker_fails_the_run_and_leaves_the_data(
    loaded: LoadedInbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a published warehouse, and a checks worker that dies as the next load starts
    warehouse = tmp_path / "carelens.duckdb"
    shutil.copy(loaded.warehouse, warehouse)
    before = _data(warehouse)
    monkeypatch.setattr(runner, "start_checks_worker", lambda: _KilledOnStart())

    # When the inbox is loaded again
    summary = runner.run_nightly(
        inbox=loaded.inbox, config=make_config(warehouse, checks_in_worker=True)
    )

    # Then the run failed with the worker's one-line reason and the data is unchanged
    assert summary.exit_code == 2
    assert summary.failure == (
        "ChecksWorkerError: the table checks worker process stopped unexpectedly"
        " (killed by SIGKILL)"
    )
    assert _data(warehouse) == before
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute(
            "select status from audit.load_runs where run_id = ?", [summary.run_id]
        ).fetchall() == [("failed",)]
