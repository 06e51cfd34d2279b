"""Publishing the dashboard's quality targets into reference.quality_targets at each load."""

from __future__ import annotations

import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from carelens.settings import Settings
from dashboards.roles import Identity, Role, Scope
from dashboards.targets import TargetStore
from pipelines.config import PipelineConfig
from pipelines.runner import run_nightly
from pipelines.targets import publish_quality_targets

PROVIDER = "1-101000001"
ALDER = "1-201000001"
ASH = "1-201000002"
OWNER = Identity(
    username="owner-a", roles=frozenset({Role.OWNER}), scope=Scope(provider_id=PROVIDER)
)
OTHER = Identity(
    username="owner-b", roles=frozenset({Role.OWNER}), scope=Scope(provider_id="1-102000002")
)
MONDAY = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
TUESDAY = datetime(2026, 3, 3, 14, 0, tzinfo=UTC)


def _set(
    store: TargetStore,
    location: str,
    measure: str,
    rate: float | None,
    *,
    now: datetime,
    who: Identity = OWNER,
    note: str | None = None,
) -> None:
    store.set_target(
        identity=who,
        location_id=location,
        measure=measure,
        target_rate=rate,
        note=note,
        locations=(location,),
        now=now,
    )


@pytest.fixture
def accounts(tmp_path: Path) -> Path:
    """An accounts file with a history of targets (hand-worked below)."""
    path = tmp_path / "accounts.sqlite3"
    store = TargetStore(path)
    _set(store, ALDER, "falls", 5.0, now=MONDAY)
    _set(store, ALDER, "falls", 4.0, now=TUESDAY, note="=cmd|' /C calc'!A0")  # superseded 5
    _set(store, ASH, "medication_errors", 1.5, now=MONDAY)
    _set(store, ASH, "medication_errors", None, now=TUESDAY)  # cleared
    _set(store, ALDER, "pressure_ulcers", 0.0, now=MONDAY)
    _set(store, "1-202000001", "falls", 9.0, now=MONDAY, who=OTHER)
    return path


def _published(con: duckdb.DuckDBPyConnection) -> list[tuple[object, ...]]:
    return con.execute(
        "select provider_id, location_id, measure, target_rate, note, set_at, run_id"
        " from reference.quality_targets order by all"
    ).fetchall()


def test_targets_in_force_are_published(accounts: Path) -> None:
    # Given the history above and a warehouse being built
    con = duckdb.connect()
    con.execute("set timezone = 'UTC'")

    # When the targets are published
    result = publish_quality_targets(con, accounts_path=accounts, run_id="run-1")

    # Then the latest row per location and measure with a rate is there, cleared ones are not,
    # and a zero target counts; the note is stored as written (downloads neutralise it)
    assert (result.rows, result.read) == (3, True)
    assert _published(con) == [
        (PROVIDER, ALDER, "falls", 4.0, "=cmd|' /C calc'!A0", TUESDAY, "run-1"),
        (PROVIDER, ALDER, "pressure_ulcers", 0.0, None, MONDAY, "run-1"),
        ("1-102000002", "1-202000001", "falls", 9.0, None, MONDAY, "run-1"),
    ]


def test_a_later_load_replaces_the_published_targets(accounts: Path) -> None:
    # Given targets published by one load, then Alder's falls target cleared in the app
    con = duckdb.connect()
    publish_quality_targets(con, accounts_path=accounts, run_id="run-1")
    _set(TargetStore(accounts), ALDER, "falls", None, now=TUESDAY)

    # When the next load publishes
    result = publish_quality_targets(con, accounts_path=accounts, run_id="run-2")

    # Then the cleared target is gone and the rest carry the new run
    assert result.rows == 2
    assert {(row[1], row[2], row[6]) for row in _published(con)} == {
        (ALDER, "pressure_ulcers", "run-2"),
        ("1-202000001", "falls", "run-2"),
    }


def test_file_is_read_without_being_written(accounts: Path) -> None:
    # Given the accounts file made read-only (as a load running as another user may see it)
    before = accounts.read_bytes()
    accounts.chmod(stat.S_IRUSR)
    con = duckdb.connect()

    # When the targets are published
    try:
        result = publish_quality_targets(con, accounts_path=accounts, run_id="run-1")
    finally:
        accounts.chmod(stat.S_IRUSR | stat.S_IWUSR)

    # Then they were read and the file is unchanged
    assert (result.rows, result.read) == (3, True)
    assert accounts.read_bytes() == before


def test_no_file_publishes_none_and_an_unreadable_one_keeps_the_last(
    accounts: Path, tmp_path: Path
) -> None:
    # Given a warehouse holding targets of an earlier load, and a file that is not SQLite
    con = duckdb.connect()
    publish_quality_targets(con, accounts_path=accounts, run_id="run-1")
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"this is not a database" * 100)

    # When the unreadable file, then no file at all, are published
    kept = publish_quality_targets(con, accounts_path=garbage, run_id="run-2")
    kept_rows = _published(con)
    missing = publish_quality_targets(con, accounts_path=tmp_path / "absent", run_id="run-3")
    none = publish_quality_targets(duckdb.connect(), accounts_path=None, run_id="run-4")

    # Then the unreadable one keeps the earlier 3, a missing file or none publishes 0
    assert (kept.rows, kept.read) == (3, False)
    assert {row[6] for row in kept_rows} == {"run-1"}
    assert (missing.rows, missing.read) == (0, True)
    assert (none.rows, none.read) == (0, True)


def test_an_accounts_file_without_targets_publishes_none(tmp_path: Path) -> None:
    # Given an accounts file from before targets existed (no quality_targets table)
    path = tmp_path / "old.sqlite3"
    sqlite3.connect(path).execute("create table users (username text)").connection.close()

    # When published, Then the table exists and is empty
    result = publish_quality_targets(duckdb.connect(), accounts_path=path, run_id="run-1")
    assert (result.rows, result.read) == (0, True)


def test_the_load_is_told_where_the_accounts_file_is(tmp_path: Path) -> None:
    # Given settings with an accounts file elsewhere
    settings = Settings.from_env(
        {"CARELENS_ACCOUNTS": str(tmp_path / "app" / "accounts.sqlite3")},
        warehouse=tmp_path / "carelens.duckdb",
    )

    # When the load's configuration is built, Then it names that file
    config = settings.pipeline_config(show_progress=False)
    assert config.accounts_path == tmp_path / "app" / "accounts.sqlite3"


def test_a_nightly_load_publishes_the_targets(accounts: Path, tmp_path: Path) -> None:
    # Given an empty inbox and a load configured with the accounts file
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    config = PipelineConfig(
        warehouse_path=tmp_path / "carelens.duckdb",
        pseudonym_key=b"unit-test-pseudonym-key",
        data_docs_dir=tmp_path / "data_docs",
        accounts_path=accounts,
        show_progress=False,
        checks_in_worker=False,
    )

    # When the nightly load runs
    summary = run_nightly(inbox=inbox, config=config)

    # Then the published warehouse holds the three targets in force, stamped with the run
    with duckdb.connect(str(config.warehouse_path), read_only=True) as con:
        rows = con.execute(
            "select location_id, measure, target_rate, run_id from reference.quality_targets"
            " order by all"
        ).fetchall()
    assert rows == [
        (ALDER, "falls", 4.0, summary.run_id),
        (ALDER, "pressure_ulcers", 0.0, summary.run_id),
        ("1-202000001", "falls", 9.0, summary.run_id),
    ]
