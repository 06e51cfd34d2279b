"""Publishing the providers' assumptions into reference.provider_assumptions at each load."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from argon2 import PasswordHasher

from dashboards.accounts import AccountStore
from pipelines.assumptions import publish_provider_assumptions
from pipelines.warehouse import create_schema

P1 = "1-101000001"
P2 = "1-102000002"
MONDAY = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
TUESDAY = datetime(2026, 3, 3, 14, 0, tzinfo=UTC)
PUBLISHED = (
    "select provider_id, name, value, unit, note, set_at, run_id"
    " from reference.provider_assumptions order by all"
)


@pytest.fixture
def accounts(tmp_path: Path) -> Path:
    """An accounts file with a history of values (hand-worked below)."""
    path = tmp_path / "accounts.sqlite3"
    store = AccountStore(path, hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    for provider, name, value, note, now in [
        (P1, "baseline_documentation_minutes_per_shift", "40", None, MONDAY),
        (P1, "baseline_documentation_minutes_per_shift", "35.5", "=cmd|' /C calc'!A0", TUESDAY),
        (P1, "on_cost_share", "0.3", None, MONDAY),
        (P1, "on_cost_share", None, None, TUESDAY),  # cleared: the default applies
        (P2, "care_worker_hourly_pay_gbp", "12.60", "our average", MONDAY),
    ]:
        store.set_assumption(provider, name=name, value=value, note=note, set_by="o", now=now)
    with sqlite3.connect(path) as connection:  # a name a newer version wrote
        connection.execute(
            "insert into provider_assumptions (provider_id, name, value, set_by, set_at)"
            " values (?, 'travel_minutes_per_visit', '5', 'o', ?)",
            (P1, MONDAY.isoformat()),
        )
    return path


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    """A warehouse being built, with its schema."""
    connection = duckdb.connect()
    connection.execute("set TimeZone = 'UTC'")
    create_schema(connection)
    yield connection
    connection.close()


def test_values_in_force_are_published(accounts: Path, con: duckdb.DuckDBPyConnection) -> None:
    # When the values are published
    published = publish_provider_assumptions(con, accounts_path=accounts, run_id="run-1")

    # Then the latest value per provider and name is there, exact, with its unit and note;
    # the cleared on-cost share and the unknown name are not
    assert (published.rows, published.read) == (2, True)
    assert con.execute(PUBLISHED).fetchall() == [
        (
            P1,
            "baseline_documentation_minutes_per_shift",
            Decimal("35.500000"),
            "minutes_per_shift",
            "=cmd|' /C calc'!A0",
            TUESDAY,
            "run-1",
        ),
        (
            P2,
            "care_worker_hourly_pay_gbp",
            Decimal("12.600000"),
            "gbp_per_hour",
            "our average",
            MONDAY,
            "run-1",
        ),
    ]


def test_no_accounts_file_publishes_nothing(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    # Given values published by an earlier load
    con.execute(
        "insert into reference.provider_assumptions values"
        " ('P', 'on_cost_share', 0.3, 'share_of_pay', null, now(), 'old')"
    )

    # When a load runs with no accounts file
    published = publish_provider_assumptions(
        con, accounts_path=tmp_path / "missing.sqlite3", run_id="run-2"
    )

    # Then nothing is published (every figure uses the defaults)
    assert (published.rows, published.read) == (0, True)
    assert con.execute(PUBLISHED).fetchall() == []


def test_an_unreadable_file_keeps_the_last_values(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    # Given values published by an earlier load, and an accounts file that is not SQLite
    con.execute(
        "insert into reference.provider_assumptions values"
        " ('P', 'on_cost_share', 0.3, 'share_of_pay', null, now(), 'old')"
    )
    broken = tmp_path / "accounts.sqlite3"
    broken.write_bytes(b"not a database" * 100)

    # When a load publishes
    published = publish_provider_assumptions(con, accounts_path=broken, run_id="run-3")

    # Then the last load's values stay
    assert (published.rows, published.read) == (1, False)
    assert con.execute("select run_id from reference.provider_assumptions").fetchall() == [("old",)]


def test_a_file_older_than_assumptions_publishes_none(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    # Given an accounts file of schema version 2 (no provider_assumptions table)
    path = tmp_path / "accounts.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("create table users (username text primary key)")
        connection.execute("pragma user_version = 2")

    # When a load publishes, Then it publishes none, and the file is left as it was
    published = publish_provider_assumptions(con, accounts_path=path, run_id="run-4")
    assert (published.rows, published.read) == (0, True)
    with sqlite3.connect(path) as connection:
        assert connection.execute("pragma user_version").fetchone()[0] == 2
