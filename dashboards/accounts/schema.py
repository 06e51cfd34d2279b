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

SCHEMA_VERSION = 1
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


def create_file(path: Path) -> None:
    """Create the database file (mode 0600) and its schema if missing; switch it to WAL."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # Create the empty file ourselves so that it is never readable by others, not even for
        # a moment; SQLite gives its -wal and -shm files the same permissions.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
        os.close(fd)
    with connect(path) as connection:
        connection.execute("pragma journal_mode = wal")
        version = connection.execute("pragma user_version").fetchone()[0]
        if version < SCHEMA_VERSION:
            connection.executescript(_SCHEMA)
            connection.execute(f"pragma user_version = {SCHEMA_VERSION}")


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
