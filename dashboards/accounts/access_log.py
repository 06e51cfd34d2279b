"""The access audit trail: append-only rows linked by a SHA-256 hash chain.

SQLite triggers refuse every UPDATE and DELETE, so the app cannot edit the trail. Someone with
the file and a SQLite shell can drop the triggers; the chain makes that visible: each row's
``row_sha256`` is the SHA-256 of its canonical JSON, which includes the previous row's hash, so
changing or removing any row but the last breaks every link after it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime

from dashboards.accounts.models import AccessEvent, AccessEventKind, utc
from dashboards.accounts.schema import transaction

GENESIS_SHA256 = "0" * 64
_COLUMNS = (
    "id, at, kind, request_id, username, role, path, scope, detail, row_count, client, "
    "previous_sha256, row_sha256"
)


def instant_text(moment: datetime) -> str:
    """An instant as stored: UTC ISO 8601 with microseconds (sorts as text)."""
    return utc(moment).isoformat(timespec="microseconds")


def row_digest(row: dict[str, object]) -> str:
    """SHA-256 of a row's canonical JSON (sorted keys, no spaces), ``row_sha256`` left out."""
    fields = {key: value for key, value in row.items() if key != "row_sha256"}
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def append(connection: sqlite3.Connection, event: AccessEvent) -> None:
    """Append one event, chained to the row before it."""
    append_many(connection, [event])


def append_many(connection: sqlite3.Connection, events: Sequence[AccessEvent]) -> None:
    """Append events in order, each chained to the row before it, in one transaction.

    One transaction for a web request's events (a page's queries, its view) instead of one
    each: SQLite commits cost more than the rows. The write lock is taken before the last link
    is read, so another process cannot append in between.
    """
    if not events:
        return
    with transaction(connection):
        last = connection.execute(
            "select id, row_sha256 from access_log order by id desc limit 1"
        ).fetchone()
        next_id = (last["id"] + 1) if last else 1
        previous = last["row_sha256"] if last else GENESIS_SHA256
        rows = []
        for event in events:
            row: dict[str, object] = {
                "id": next_id,
                "at": instant_text(event.at),
                "kind": str(event.kind),
                "request_id": event.request_id,
                "username": event.username,
                "role": event.role,
                "path": event.path,
                "scope": event.scope,
                "detail": event.detail,
                "row_count": event.row_count,
                "client": event.client,
                "previous_sha256": previous,
            }
            row["row_sha256"] = previous = row_digest(row)
            rows.append(tuple(row.values()))
            next_id += 1
        connection.executemany(
            f"insert into access_log ({_COLUMNS}) values ({', '.join('?' * len(rows[0]))})",  # noqa: S608 - fixed column list
            rows,
        )


def select(
    connection: sqlite3.Connection,
    *,
    username: str | None,
    kind: AccessEventKind | None,
    since: datetime | None,
    until: datetime | None,
    limit: int,
) -> list[AccessEvent]:
    """Events matching every filter given, newest first (``since`` inclusive, ``until`` not)."""
    rows = connection.execute(
        "select * from access_log"
        " where (:username is null or username = :username)"
        " and (:kind is null or kind = :kind)"
        " and (:since is null or at >= :since)"
        " and (:until is null or at < :until)"
        " order by id desc limit :limit",
        {
            "username": username,
            "kind": str(kind) if kind else None,
            "since": instant_text(since) if since else None,
            "until": instant_text(until) if until else None,
            "limit": max(0, limit),
        },
    ).fetchall()
    return [_event(row) for row in rows]


def first_broken_link(connection: sqlite3.Connection) -> int | None:
    """The id of the first row whose hash or link does not check out, or ``None``."""
    previous = GENESIS_SHA256
    expected_id = 1
    for row in connection.execute(f"select {_COLUMNS} from access_log order by id"):  # noqa: S608 - fixed column list
        fields = dict(row)
        if (
            fields["id"] != expected_id
            or fields["previous_sha256"] != previous
            or row_digest(fields) != fields["row_sha256"]
        ):
            return int(fields["id"])
        previous = fields["row_sha256"]
        expected_id += 1
    return None


def _event(row: sqlite3.Row) -> AccessEvent:
    return AccessEvent(
        kind=AccessEventKind(row["kind"]),
        at=datetime.fromisoformat(row["at"]),
        request_id=row["request_id"],
        username=row["username"],
        role=row["role"],
        path=row["path"],
        scope=row["scope"],
        detail=row["detail"],
        row_count=row["row_count"],
        client=row["client"],
    )
