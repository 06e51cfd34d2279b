"""The SQLite file of accounts, sessions and the access audit trail: schema and connections.

One short connection per call (the CLI and every web worker may use the file at once); WAL so
that readers never wait for the writer; the file is created with mode 0600 because it holds
password hashes and TOTP secrets.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

SCHEMA_VERSION = 3
BUSY_TIMEOUT_SECONDS = 10.0

_SCHEMA = """
create table if not exists users (
    username text primary key,
    roles text not null,                 -- sorted role names joined with ','
    provider_id text,
    location_ids text,                   -- sorted location ids joined with ',', null = all
    icb_code text,
    expires_on text,                     -- ISO date, last UK day of use
    is_disabled integer not null default 0,
    password_hash text,                  -- Argon2id PHC string; null = single sign-on only
    totp_secret text,                    -- base32; null = no second factor
    totp_last_step integer,              -- last TOTP time step used (each is used once)
    failed_attempts integer not null default 0,
    locked_until text,                   -- ISO UTC instant
    created_at text not null,
    updated_at text not null,
    last_sign_in_at text
);

create table if not exists sessions (
    token_sha256 text primary key,       -- the cookie's token is never stored, only its hash
    username text not null references users (username),
    auth_method text not null,
    csrf_token text not null,
    created_at text not null,
    last_seen_at text not null,
    closed_at text,
    closed_reason text
);
create index if not exists sessions_by_user on sessions (username);

create table if not exists access_log (
    id integer primary key,
    at text not null,
    kind text not null,
    request_id text not null,
    username text,
    role text,
    path text,
    scope text,
    detail text,
    row_count integer,
    client text,
    previous_sha256 text not null,       -- row_sha256 of the row before (64 zeros for the first)
    row_sha256 text not null             -- SHA-256 of this row's canonical JSON, chained
);
create index if not exists access_log_by_user on access_log (username, id);
create index if not exists access_log_by_at on access_log (at);

create trigger if not exists access_log_no_update before update on access_log
begin
    select raise(abort, 'the access log is append-only: rows cannot be changed');
end;
create trigger if not exists access_log_no_delete before delete on access_log
begin
    select raise(abort, 'the access log is append-only: rows cannot be deleted');
end;
"""


_QUALITY_TARGETS = """
create table if not exists quality_targets (
    id integer primary key,
    provider_id text not null,
    location_id text not null,
    measure text not null,               -- dashboards.measures.QualityMeasure
    target_rate real,                    -- in the measure's unit; null clears the target
    note text,
    set_by text not null,                -- username
    set_at text not null                 -- ISO UTC instant
);
create index if not exists quality_targets_by_location
    on quality_targets (provider_id, location_id, measure, id);

create trigger if not exists quality_targets_no_update before update on quality_targets
begin
    select raise(abort, 'target history is append-only: rows cannot be changed');
end;
create trigger if not exists quality_targets_no_delete before delete on quality_targets
begin
    select raise(abort, 'target history is append-only: rows cannot be deleted');
end;
"""

_PROVIDER_ASSUMPTIONS = """
create table if not exists provider_assumptions (
    id integer primary key,
    provider_id text not null,
    name text not null,                  -- cost_model.assumptions.AssumptionName
    value text,                          -- a decimal number as text (exact); null clears it
    note text,
    set_by text not null,                -- username
    set_at text not null                 -- ISO UTC instant
);
create index if not exists provider_assumptions_by_name
    on provider_assumptions (provider_id, name, id);

create trigger if not exists provider_assumptions_no_update
before update on provider_assumptions
begin
    select raise(abort, 'assumption history is append-only: rows cannot be changed');
end;
create trigger if not exists provider_assumptions_no_delete
before delete on provider_assumptions
begin
    select raise(abort, 'assumption history is append-only: rows cannot be deleted');
end;
"""

_MIGRATIONS: dict[int, str] = {1: _SCHEMA, 2: _QUALITY_TARGETS, 3: _PROVIDER_ASSUMPTIONS}
"""The script that brings a file from the version before each key to that version."""


def create_file(path: Path) -> None:
    """Create the database file (mode 0600) and its schema if missing; switch it to WAL.

    A file made by an older version is brought up to :data:`SCHEMA_VERSION` by running each
    later migration in turn (version 2 adds the ``quality_targets`` history, version 3 the
    ``provider_assumptions`` history).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # Create the empty file ourselves so that it is never readable by others, not even for
        # a moment; SQLite gives its -wal and -shm files the same permissions.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
        os.close(fd)
    with connect(path) as connection:
        connection.execute("pragma journal_mode = wal")
        version = connection.execute("pragma user_version").fetchone()[0]
        for step in range(version + 1, SCHEMA_VERSION + 1):
            connection.executescript(_MIGRATIONS[step])
            connection.execute(f"pragma user_version = {step}")


@contextlib.contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    """A short-lived connection in autocommit mode (use :func:`transaction` to write)."""
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    try:
        connection.row_factory = sqlite3.Row
        connection.execute("pragma foreign_keys = on")
        yield connection
    finally:
        connection.close()


@contextlib.contextmanager
def transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A write transaction that takes the write lock at once (``begin immediate``).

    A read-then-write (a failure count, the hash chain's last link) then cannot interleave
    with another process's.
    """
    connection.execute("begin immediate")
    try:
        yield connection
    except BaseException:
        connection.execute("rollback")
        raise
    connection.execute("commit")
