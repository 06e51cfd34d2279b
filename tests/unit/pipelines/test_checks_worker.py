"""Tests for pipelines.checks.worker: GX in a worker process, same results, no leftovers.

The tiny warehouse and its configuration come from ``test_checks`` (same folder), so both
files check the same data. Each worker imports great-expectations (seconds), so tests share
one where they can.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from test_checks import RUN_AT, _config, _warehouse

from pipelines.checks import (
    ChecksOutcome,
    ChecksWorker,
    ChecksWorkerError,
    run_table_checks,
    start_checks_worker,
)
from pipelines.config import PipelineConfig

pytestmark = pytest.mark.slow

HERE = Path(__file__).parent
LATE_RUN_AT = datetime(2025, 3, 19, 2, 0, tzinfo=UTC)
"""47 and 50 days after the two providers' latest extracts: both stale."""


def _break(con: duckdb.DuckDBPyConnection) -> None:
    """A repeated key, a cross-provider reference, wrong occupancy and fewer occupancy rows."""
    con.execute("insert into core.care_notes values ('P1', 'n1', 2, 'final', 'A', 'S1', 'L1')")
    con.execute("insert into core.care_notes values ('P2', 'n9', 1, 'final', 'A', null, 'L3')")
    con.execute("update core.occupancy set occupied_beds = 3")
    con.execute("delete from core.occupancy where date > '2025-01-12'")


def _two_runs(
    run: Callable[..., ChecksOutcome], *, con: duckdb.DuckDBPyConnection, config: PipelineConfig
) -> list[ChecksOutcome]:
    """A clean first run, then a second run on the broken warehouse, late."""
    docs_dir = config.data_docs_dir
    first = run(con=con, run_id="r1", run_started_at=RUN_AT, config=config, docs_dir=docs_dir)
    _break(con)
    second = run(con=con, run_id="r2", run_started_at=LATE_RUN_AT, config=config, docs_dir=docs_dir)
    return [first, second]


def _audit(con: duckdb.DuckDBPyConnection) -> tuple[list[tuple], list[tuple]]:
    results = con.execute("select * from audit.validation_results order by all").fetchall()
    counts = con.execute("select * from audit.table_counts order by all").fetchall()
    return results, counts


def _relative(outcome: ChecksOutcome, config: PipelineConfig) -> ChecksOutcome:
    docs = outcome.docs_index.relative_to(config.data_docs_dir) if outcome.docs_index else None
    return ChecksOutcome(
        success=outcome.success,
        blocking_failures=outcome.blocking_failures,
        warnings=outcome.warnings,
        docs_index=docs,
    )


def _worker_children() -> list[int]:
    """Child processes of this one that run a multiprocessing "spawn" target."""
    children = []
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        for pid in (task / "children").read_text().split():
            cmdline = Path(f"/proc/{pid}/cmdline")
            if cmdline.exists() and b"spawn_main" in cmdline.read_bytes():
                children.append(int(pid))
    return children


def _is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture(scope="module")
def worker() -> Iterator[ChecksWorker]:
    with start_checks_worker() as running:
        yield running


@pytest.mark.timeout(180)
def test_results_through_the_worker_equal_results_in_process(tmp_path, worker):
    # Given two identical warehouses, each checked twice: clean, then broken and late
    local_config, remote_config = _config(tmp_path / "local"), _config(tmp_path / "remote")
    (tmp_path / "local").mkdir()
    (tmp_path / "remote").mkdir()
    local, remote = _warehouse(local_config), _warehouse(remote_config)

    # When one is checked in this process and the other through the worker
    in_process = _two_runs(run_table_checks, con=local, config=local_config)
    via_worker = _two_runs(worker.run_table_checks, con=remote, config=remote_config)

    # Then the outcomes, the audit rows and the run summaries are the same
    assert [_relative(o, remote_config) for o in via_worker] == [
        _relative(o, local_config) for o in in_process
    ]
    assert len(via_worker[1].blocking_failures) == 2
    assert len(via_worker[1].warnings) == 5
    assert _audit(remote) == _audit(local)
    for local_run, remote_run in zip(in_process, via_worker, strict=True):
        assert remote_run.docs_index.read_text() == local_run.docs_index.read_text()
        assert sorted(
            p.relative_to(remote_run.docs_index.parent)
            for p in remote_run.docs_index.parent.rglob("*")
        ) == sorted(
            p.relative_to(local_run.docs_index.parent)
            for p in local_run.docs_index.parent.rglob("*")
        )


@pytest.mark.timeout(180)
def test_the_build_process_never_imports_great_expectations(tmp_path):
    # Given a fresh Python process holding the build connection
    code = textwrap.dedent(
        f"""
        import json, sys
        from pathlib import Path
        sys.path.insert(0, {str(HERE)!r})
        from test_checks import RUN_AT, _config, _warehouse
        from pipelines.checks import start_checks_worker

        config = _config(Path({str(tmp_path)!r}))
        con = _warehouse(config)
        with start_checks_worker() as worker:
            outcome = worker.run_table_checks(
                con=con, run_id="r1", run_started_at=RUN_AT, config=config,
                docs_dir=config.data_docs_dir,
            )
        loaded = sorted(m for m in sys.modules if m.split(".")[0] == "great_expectations")
        print(json.dumps({{"success": outcome.success, "gx_modules": loaded}}))
        """
    )

    # When it runs the checks through the worker
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=170
    )

    # Then the checks ran and great_expectations was never imported there
    assert json.loads(done.stdout.splitlines()[-1]) == {"success": True, "gx_modules": []}


@pytest.mark.timeout(60)
def test_a_killed_worker_gives_a_clear_error(con, config):
    # Given a worker that was killed
    with start_checks_worker() as dying:
        os.kill(dying.pid, signal.SIGKILL)

        # When the checks run through it
        with pytest.raises(ChecksWorkerError) as raised:
            dying.run_table_checks(
                con=con,
                run_id="r1",
                run_started_at=RUN_AT,
                config=config,
                docs_dir=config.data_docs_dir,
            )

    # Then the error says so in one line, and no half-built Data Docs are left
    assert str(raised.value) == (
        "the table checks worker process stopped unexpectedly (killed by SIGKILL)"
    )
    assert not list(config.data_docs_dir.glob(".*"))


@pytest.mark.timeout(60)
def test_a_worker_killed_while_the_checks_wait_gives_a_clear_error(con, config):
    # Given a worker that will be killed a moment after the checks start waiting for it
    before = set(_worker_children())
    with start_checks_worker() as dying:
        killer = threading.Timer(0.5, os.kill, args=(dying.pid, signal.SIGKILL))
        killer.start()

        # When the checks run through it
        with pytest.raises(ChecksWorkerError, match="stopped unexpectedly"):
            dying.run_table_checks(
                con=con,
                run_id="r1",
                run_started_at=RUN_AT,
                config=config,
                docs_dir=config.data_docs_dir,
            )
        killer.join()

    # Then no worker process is left
    assert set(_worker_children()) <= before


@pytest.mark.timeout(120)
def test_an_error_in_the_worker_is_reported_in_one_line(tmp_path, con, config, worker):
    # Given a Data Docs folder that cannot be created: its parent is a file
    (tmp_path / "not_a_folder").write_text("")

    # When the checks run through the worker
    with pytest.raises(ChecksWorkerError) as raised:
        worker.run_table_checks(
            con=con,
            run_id="r1",
            run_started_at=RUN_AT,
            config=config,
            docs_dir=tmp_path / "not_a_folder" / "docs",
        )

    # Then the run fails with the worker's reason on one line, and the worker keeps serving
    message = str(raised.value)
    assert message.startswith("the table checks worker failed: ")
    assert "\n" not in message
    assert "Traceback" in (raised.value.worker_traceback or "")
    assert worker.run_table_checks(
        con=con, run_id="r2", run_started_at=RUN_AT, config=config, docs_dir=config.data_docs_dir
    ).success


@pytest.mark.timeout(120)
def test_no_process_is_left_after_the_context(con, config):
    # Given a worker that ran the checks
    before = set(_worker_children())
    with start_checks_worker() as finished:
        pid = finished.pid
        finished.run_table_checks(
            con=con,
            run_id="r1",
            run_started_at=RUN_AT,
            config=config,
            docs_dir=config.data_docs_dir,
        )

    # When the context has exited

    # Then the worker process is gone
    assert pid is not None
    assert not _is_running(pid)
    assert finished.pid is None
    assert set(_worker_children()) <= before


@pytest.mark.timeout(60)
@pytest.mark.parametrize("interruption", [KeyboardInterrupt, RuntimeError])
def test_an_interrupted_load_stops_the_worker_at_once(interruption):
    # Given a worker still importing great-expectations
    before = set(_worker_children())
    started = time.perf_counter()
    pids: list[int | None] = []

    def interrupted_load() -> None:
        with start_checks_worker() as interrupted:
            pids.append(interrupted.pid)
            raise interruption

    # When the code inside the context is interrupted
    with pytest.raises(interruption):
        interrupted_load()

    # Then the worker is gone without waiting for its import
    assert pids[0] is not None
    assert not _is_running(pids[0])
    assert time.perf_counter() - started < 3
    assert set(_worker_children()) <= before


@pytest.mark.timeout(60)
def test_a_worker_that_does_not_answer_in_time_is_stopped(con, config):
    # Given a worker allowed half a second, still importing great-expectations
    before = set(_worker_children())
    with start_checks_worker(timeout_seconds=0.5) as slow:
        pid = slow.pid

        # When the checks run through it
        with pytest.raises(ChecksWorkerError) as raised:
            slow.run_table_checks(
                con=con,
                run_id="r1",
                run_started_at=RUN_AT,
                config=config,
                docs_dir=config.data_docs_dir,
            )

        # Then the error says so, and the worker is stopped at once
        assert str(raised.value) == "the table checks worker gave no answer within 0.5 s"
        assert slow.pid is None
    assert pid is not None
    assert not _is_running(pid)
    assert set(_worker_children()) <= before


@pytest.mark.timeout(60)
def test_a_running_worker_cannot_be_started_again():
    # Given a running worker
    with start_checks_worker() as running:
        pid = running.pid

        # When it is entered again
        with pytest.raises(ChecksWorkerError, match="already running"):
            running.__enter__()

        # Then the first process is still the one in use
        assert running.pid == pid


def test_a_worker_outside_its_context_refuses_work(con, config):
    # Given a worker that was never started
    idle = start_checks_worker()

    # When the checks run through it
    with pytest.raises(ChecksWorkerError, match="not running"):
        idle.run_table_checks(
            con=con,
            run_id="r1",
            run_started_at=RUN_AT,
            config=config,
            docs_dir=config.data_docs_dir,
        )

    # Then nothing was started
    assert idle.pid is None


@pytest.fixture
def config(tmp_path: Path) -> PipelineConfig:
    return _config(tmp_path)


@pytest.fixture
def con(config: PipelineConfig) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = _warehouse(config)
    yield connection
    connection.close()
