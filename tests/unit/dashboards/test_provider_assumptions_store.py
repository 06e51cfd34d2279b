"""Provider assumptions in the accounts file: round trip, latest wins, clearing, checks, v2 → v3."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from cost_model.assumptions import AssumptionName
from dashboards.accounts import AccountStore, AssumptionEntryError
from dashboards.accounts.schema import _MIGRATIONS, SCHEMA_VERSION, connect, create_file

PROVIDER = "1-101000001"
OTHER = "1-102000002"
MONDAY = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
TUESDAY = datetime(2026, 3, 3, 14, 0, tzinfo=UTC)
BASELINE = "baseline_documentation_minutes_per_shift"


@pytest.fixture
def store(tmp_path: Path) -> AccountStore:
    """An empty account store (a cheap hasher: no passwords are checked here)."""
    return AccountStore(
        tmp_path / "accounts.sqlite3",
        hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
    )


def test_assumption_round_trip_latest_wins_and_exact(store: AccountStore) -> None:
    # Given a baseline of 42.5 minutes on Monday and 38 on Tuesday, and pay of £12.345
    first = store.set_assumption(
        PROVIDER, name=BASELINE, value="42.5", note="  timed   in May ", set_by="owner", now=MONDAY
    )
    second = store.set_assumption(
        PROVIDER, name=BASELINE, value=38, note=None, set_by="owner", now=TUESDAY
    )
    store.set_assumption(
        PROVIDER,
        name="care_worker_hourly_pay_gbp",
        value="12.345",
        note=None,
        set_by="owner",
        now=MONDAY,
    )

    # When the values in force and the baseline's history are read
    current = store.current_assumptions(PROVIDER)
    history = store.assumption_history(PROVIDER, name=BASELINE)

    # Then Tuesday's 38 is in force, pay is exact, both baselines are in the history, newest
    # first, and each change says old -> new
    assert {name: entry.value for name, entry in current.items()} == {
        AssumptionName.BASELINE_DOCUMENTATION_MINUTES_PER_SHIFT: Decimal(38),
        AssumptionName.CARE_WORKER_HOURLY_PAY_GBP: Decimal("12.345"),
    }
    in_force = current[AssumptionName.BASELINE_DOCUMENTATION_MINUTES_PER_SHIFT]
    assert (in_force.set_by, in_force.set_at) == ("owner", TUESDAY)
    assert [(row.value, row.note) for row in history] == [
        (Decimal(38), None),
        (Decimal("42.5"), "timed in May"),
    ]
    assert first.describe() == f"{PROVIDER} {BASELINE}: none -> 42.5"
    assert second.describe() == f"{PROVIDER} {BASELINE}: 42.5 -> 38"
    assert store.current_assumptions(OTHER) == {}


def test_a_blank_value_clears_it(store: AccountStore) -> None:
    # Given an on-cost share of 0.30 entered, then cleared
    store.set_assumption(
        PROVIDER, name="on_cost_share", value="0.30", note=None, set_by="owner", now=MONDAY
    )
    change = store.set_assumption(
        PROVIDER, name="on_cost_share", value="", note=None, set_by="owner", now=TUESDAY
    )

    # Then none is in force (the default applies again) and the clearing says so
    assert store.current_assumptions(PROVIDER) == {}
    assert change.describe() == f"{PROVIDER} on_cost_share: 0.3 -> none"


@pytest.mark.parametrize(
    ("name", "value", "note", "message"),
    [
        ("no_such_thing", "1", None, "no assumption called"),
        (BASELINE, "800", None, "from 0 to 720"),
        (BASELINE, "lots", None, "Enter a number"),
        (BASELINE, "30", "x" * 301, "300 characters"),
    ],
)
def test_bad_entries_are_refused_and_nothing_is_written(
    store: AccountStore, name: str, value: str, note: str | None, message: str
) -> None:
    # When a bad name, value or note is set, Then it is refused and nothing is written
    with pytest.raises(AssumptionEntryError, match=message):
        store.set_assumption(PROVIDER, name=name, value=value, note=note, set_by="o", now=MONDAY)
    with connect(store.path) as connection:
        assert connection.execute("select count(*) from provider_assumptions").fetchone()[0] == 0


def test_the_history_cannot_be_changed(store: AccountStore) -> None:
    # Given one value
    store.set_assumption(PROVIDER, name=BASELINE, value=30, note=None, set_by="o", now=MONDAY)

    # When someone tries to change or delete it directly, Then SQLite refuses
    with connect(store.path) as connection:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            connection.execute("update provider_assumptions set value = '99'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            connection.execute("delete from provider_assumptions")


def test_a_version_2_accounts_file_is_upgraded_in_place(tmp_path: Path) -> None:
    # Given an accounts file as version 2 made it, with a user and a quality target
    path = tmp_path / "accounts.sqlite3"
    with connect(path) as connection:
        connection.executescript(_MIGRATIONS[1] + _MIGRATIONS[2])
        connection.executescript(
            "insert into users (username, roles, created_at, updated_at)"
            " values ('kept', 'owner', 'x', 'x');"
            "insert into quality_targets (provider_id, location_id, measure, target_rate,"
            " set_by, set_at) values ('1-1', '1-2', 'falls', 4.5, 'kept', 'x');"
            "pragma user_version = 2;"
        )

    # When the app opens it
    create_file(path)
    store = AccountStore(path, hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    store.set_assumption(PROVIDER, name=BASELINE, value=30, note=None, set_by="kept", now=MONDAY)

    # Then it is at version 3, keeps its user and target, and holds assumptions
    with connect(path) as connection:
        assert connection.execute("pragma user_version").fetchone()[0] == SCHEMA_VERSION == 3
        assert connection.execute("select username from users").fetchall()[0][0] == "kept"
        assert connection.execute("select target_rate from quality_targets").fetchone()[0] == 4.5
    assert store.current_assumptions(PROVIDER)[
        AssumptionName.BASELINE_DOCUMENTATION_MINUTES_PER_SHIFT
    ].value == Decimal(30)
