"""The target store: round trip, latest wins, clearing, who may set and read, the history."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from audit_sample import identity_for
from quality_sample import ALDER, ASH, BIRCH, PROVIDER_B

from dashboards.accounts.schema import SCHEMA_VERSION, connect, create_file
from dashboards.measures import QualityMeasure
from dashboards.roles import Role
from dashboards.targets import (
    TargetAccessError,
    TargetError,
    TargetStore,
    clean_note,
    may_edit_targets,
    parse_target_rate,
)

OWNER_A = identity_for(Role.OWNER, username="owner-a")
OWNER_B = identity_for(Role.OWNER, code=PROVIDER_B, username="owner-b")
LEAD_ALDER = identity_for(Role.QUALITY_LEAD, location_ids=frozenset({ALDER}), username="lead")
INSPECTOR_A = identity_for(Role.INSPECTOR, username="inspector-a")
ICB_LEAD = identity_for(Role.ICB_LEAD)
ADMIN = identity_for(Role.ADMIN)
A_LOCATIONS = (ALDER, ASH)
MONDAY = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
TUESDAY = datetime(2026, 3, 3, 14, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> TargetStore:
    """An empty target store in a new accounts file."""
    return TargetStore(tmp_path / "accounts.sqlite3")


def test_target_round_trip_and_latest_wins(store: TargetStore) -> None:
    # Given A's owner sets Alder's falls target to 4.5 on Monday and 3 on Tuesday
    first = store.set_target(
        identity=OWNER_A,
        location_id=ALDER,
        measure=QualityMeasure.FALLS,
        target_rate=4.5,
        note="  Regional   median ",
        locations=A_LOCATIONS,
        now=MONDAY,
    )
    second = store.set_target(
        identity=OWNER_A,
        location_id=ALDER,
        measure="falls",
        target_rate=3,
        note=None,
        locations=A_LOCATIONS,
        now=TUESDAY,
    )

    # When the current targets and the history are read
    current = store.current_targets(identity=OWNER_A)
    history = store.history(identity=OWNER_A, location_id=ALDER, measure="falls")

    # Then Tuesday's 3 is in force, both are in the history, and each change says old -> new
    assert list(current) == [(ALDER, QualityMeasure.FALLS)]
    target = current[(ALDER, QualityMeasure.FALLS)]
    assert (target.target_rate, target.note, target.set_by, target.set_at) == (
        3.0,
        None,
        "owner-a",
        TUESDAY,
    )
    assert [(row.target_rate, row.note) for row in history] == [
        (3.0, None),
        (4.5, "Regional median"),
    ]
    assert first.describe() == f"{ALDER} falls: none -> 4.5"
    assert second.describe() == f"{ALDER} falls: 4.5 -> 3"


def test_a_blank_target_clears_it(store: TargetStore) -> None:
    # Given a target of 1.2 medication errors per 1,000 doses at Ash, then cleared
    for rate in (1.2, None):
        change = store.set_target(
            identity=OWNER_A,
            location_id=ASH,
            measure="medication_errors",
            target_rate=rate,
            note=None,
            locations=A_LOCATIONS,
            now=MONDAY,
        )

    # Then no target is in force, and the clearing says so
    assert store.current_targets(identity=OWNER_A) == {}
    assert change.describe() == f"{ASH} medication_errors: 1.2 -> none"


def test_inspector_and_other_roles_cannot_set_targets(store: TargetStore) -> None:
    # Given an inspector, an ICB lead and an admin of no provider
    for identity in (INSPECTOR_A, ICB_LEAD, ADMIN):
        # When each tries to set a target, Then it is refused
        with pytest.raises(TargetAccessError):
            store.set_target(
                identity=identity,
                location_id=ALDER,
                measure="falls",
                target_rate=1.0,
                note=None,
                locations=A_LOCATIONS,
                now=MONDAY,
            )
    # and nothing was written
    assert store.history(identity=OWNER_A, location_id=ALDER, measure="falls") == []
    assert not may_edit_targets(INSPECTOR_A)
    assert may_edit_targets(LEAD_ALDER)


def test_locations_out_of_scope_can_be_neither_set_nor_read(store: TargetStore) -> None:
    # Given A's owner sets targets at Alder and Ash, and B's owner at Birch
    for location in A_LOCATIONS:
        store.set_target(
            identity=OWNER_A,
            location_id=location,
            measure="falls",
            target_rate=2.0,
            note=None,
            locations=A_LOCATIONS,
            now=MONDAY,
        )
    store.set_target(
        identity=OWNER_B,
        location_id=BIRCH,
        measure="falls",
        target_rate=9.0,
        note="B only",
        locations=(BIRCH,),
        now=MONDAY,
    )

    # When A's owner, the lead for Alder only and the inspector write or read elsewhere
    # Then writes to Birch (another provider) and to Ash (outside the lead's locations) fail
    with pytest.raises(TargetAccessError):
        store.set_target(
            identity=OWNER_A,
            location_id=BIRCH,
            measure="falls",
            target_rate=1.0,
            note=None,
            locations=A_LOCATIONS,
            now=TUESDAY,
        )
    with pytest.raises(TargetAccessError):
        store.set_target(
            identity=LEAD_ALDER,
            location_id=ASH,
            measure="falls",
            target_rate=1.0,
            note=None,
            locations=A_LOCATIONS,
            now=TUESDAY,
        )
    with pytest.raises(TargetAccessError):
        store.history(identity=LEAD_ALDER, location_id=ASH, measure="falls")
    # and each reads only its own scope
    assert set(store.current_targets(identity=OWNER_A)) == {
        (ALDER, QualityMeasure.FALLS),
        (ASH, QualityMeasure.FALLS),
    }
    assert set(store.current_targets(identity=LEAD_ALDER)) == {(ALDER, QualityMeasure.FALLS)}
    assert set(store.current_targets(identity=INSPECTOR_A)) == {
        (ALDER, QualityMeasure.FALLS),
        (ASH, QualityMeasure.FALLS),
    }
    assert store.history(identity=OWNER_A, location_id=BIRCH, measure="falls") == []
    with pytest.raises(TargetAccessError):
        store.current_targets(identity=ICB_LEAD)
    with pytest.raises(TargetAccessError):
        store.current_targets(identity=ADMIN)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [(None, None), ("", None), ("  ", None), ("3.5", 3.5), ("1,000", 1000.0), (0, 0.0), (7, 7.0)],
)
def test_typed_targets_are_read_as_numbers(typed: object, expected: float | None) -> None:
    # When a typed target is read, Then it is the number (blank clears)
    assert parse_target_rate(typed) == expected


@pytest.mark.parametrize("typed", ["abc", "-1", "1000.5", "nan", "inf", True, [1], {"a": 1}])
def test_bad_targets_are_refused_with_a_message(typed: object) -> None:
    # When a bad target is read, Then TargetError says what is accepted
    with pytest.raises(TargetError, match="number"):
        parse_target_rate(typed)


def test_notes_are_trimmed_and_limited() -> None:
    # Then whitespace is collapsed, blank is none, and over 300 characters is refused
    assert clean_note("  a \n b  ") == "a b"
    assert clean_note("   ") is None
    assert clean_note("x" * 300) == "x" * 300
    with pytest.raises(TargetError, match="300"):
        clean_note("x" * 301)
    with pytest.raises(TargetError, match="text"):
        clean_note(12)


def test_target_history_is_append_only(store: TargetStore) -> None:
    # Given one stored target
    store.set_target(
        identity=OWNER_A,
        location_id=ALDER,
        measure="falls",
        target_rate=4.0,
        note=None,
        locations=A_LOCATIONS,
        now=MONDAY,
    )

    # When a row is updated or deleted with SQL, Then SQLite refuses both
    with connect(store.path) as connection:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            connection.execute("update quality_targets set target_rate = 99")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            connection.execute("delete from quality_targets")


def test_a_version_1_accounts_file_gains_the_targets_table(tmp_path: Path) -> None:
    # Given an accounts file of schema version 1 (before targets) with one user in it
    path = tmp_path / "accounts.sqlite3"
    with connect(path) as connection:
        connection.executescript(
            "create table users (username text primary key, roles text not null,"
            " created_at text not null, updated_at text not null);"
            "insert into users values ('kept', 'owner', 'x', 'x');"
            "pragma user_version = 1;"
        )

    # When the app opens it
    create_file(path)
    store = TargetStore(path)

    # Then it is at the current version with the targets table, and the user is still there
    with connect(path) as connection:
        assert connection.execute("pragma user_version").fetchone()[0] == SCHEMA_VERSION
        assert connection.execute("select username from users").fetchall()[0][0] == "kept"
    assert store.current_targets(identity=OWNER_A) == {}
