"""Account store audit trail: append-only, filtered newest first, tampering detected."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from accounts_testkit import T0, make_store

from dashboards.accounts import AccessEvent, AccessEventKind, AccountStore


@pytest.fixture
def store(tmp_path: Path) -> AccountStore:
    """A store with four events: alice signs in, views a page, runs a query; bob fails."""
    store = make_store(tmp_path)
    for minute, kind, username in [
        (0, AccessEventKind.SIGN_IN, "alice"),
        (1, AccessEventKind.PAGE_VIEW, "alice"),
        (2, AccessEventKind.SIGN_IN_FAILED, "bob"),
        (3, AccessEventKind.QUERY, "alice"),
    ]:
        store.record(AccessEvent(kind=kind, at=T0 + timedelta(minutes=minute), username=username))
    return store


def test_an_event_reads_back_with_every_field(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    event = AccessEvent(
        kind=AccessEventKind.QUERY,
        at=T0,
        request_id="0f3c",
        username="alice",
        role="owner",
        path="/quality",
        scope="provider 1-101641521",
        detail="falls_monthly",
        row_count=24,
        client="127.0.0.1",
    )

    store.record(event)

    assert store.access_events() == [event]


def test_events_come_newest_first_and_filter(store: AccountStore) -> None:
    def kinds(events: list[AccessEvent]) -> list[str]:
        return [event.kind for event in events]

    assert kinds(store.access_events()) == ["QUERY", "SIGN_IN_FAILED", "PAGE_VIEW", "SIGN_IN"]
    assert kinds(store.access_events(username="alice")) == ["QUERY", "PAGE_VIEW", "SIGN_IN"]
    assert kinds(store.access_events(kind=AccessEventKind.SIGN_IN_FAILED)) == ["SIGN_IN_FAILED"]
    assert kinds(
        store.access_events(since=T0 + timedelta(minutes=1), until=T0 + timedelta(minutes=3))
    ) == ["SIGN_IN_FAILED", "PAGE_VIEW"]
    assert kinds(store.access_events(limit=2)) == ["QUERY", "SIGN_IN_FAILED"]


@pytest.mark.parametrize(
    "statement",
    [
        "update access_log set username = 'mallory' where id = 2",
        "delete from access_log where id = 2",
        "delete from access_log",
    ],
)
def test_the_trail_cannot_be_changed_or_deleted(store: AccountStore, statement: str) -> None:
    # When a row is changed or deleted through SQL
    with (
        sqlite3.connect(store.path) as connection,
        pytest.raises(sqlite3.DatabaseError, match="append-only"),
    ):
        connection.execute(statement)

    # Then all four events are still there, unchanged
    assert [event.username for event in store.access_events()] == ["alice", "bob", "alice", "alice"]
    assert store.verify_access_log() is None


def test_an_intact_trail_verifies(store: AccountStore) -> None:
    assert store.verify_access_log() is None


def test_an_empty_trail_verifies(tmp_path: Path) -> None:
    assert make_store(tmp_path).verify_access_log() is None


def _drop_triggers_and_run(store: AccountStore, statement: str) -> None:
    with sqlite3.connect(store.path) as connection:
        connection.execute("drop trigger access_log_no_update")
        connection.execute("drop trigger access_log_no_delete")
        connection.execute(statement)


def test_a_changed_row_is_found(store: AccountStore) -> None:
    # Given someone with the file who drops the triggers and edits the second event
    _drop_triggers_and_run(store, "update access_log set username = 'carol' where id = 2")

    # Then the chain breaks at that row
    assert store.verify_access_log() == 2


def test_a_removed_row_is_found_at_the_row_after_it(store: AccountStore) -> None:
    _drop_triggers_and_run(store, "delete from access_log where id = 2")

    assert store.verify_access_log() == 3


def test_a_rehashed_row_is_found_at_the_next_link(store: AccountStore) -> None:
    # Given a forger who edits row 2 and recomputes its own hash, but not the rows after it
    from dashboards.accounts.access_log import row_digest

    with sqlite3.connect(store.path) as connection:
        connection.row_factory = sqlite3.Row
        row = dict(connection.execute("select * from access_log where id = 2").fetchone())
    row["username"] = "carol"
    _drop_triggers_and_run(
        store,
        f"update access_log set username = 'carol', row_sha256 = '{row_digest(row)}' where id = 2",
    )

    # Then row 3 no longer links to it
    assert store.verify_access_log() == 3


def test_events_appended_after_tampering_do_not_hide_it(store: AccountStore) -> None:
    _drop_triggers_and_run(store, "update access_log set detail = 'edited' where id = 1")

    store.record(AccessEvent(kind=AccessEventKind.SIGN_OUT, at=T0 + timedelta(hours=1)))

    assert store.verify_access_log() == 1
