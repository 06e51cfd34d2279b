"""The warehouse seen by web requests: one per request, kept open across them until a publish."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import duckdb

from dashboards.queries import WarehouseReader
from dashboards.roles import Identity, Role

ADMIN = Identity(username="admin", roles=frozenset({Role.ADMIN}))


def _write_warehouse(path: Path, *, value: int) -> None:
    with duckdb.connect(str(path)) as connection:
        connection.execute(
            "create schema audit; create table audit.marker as select $v as v", {"v": value}
        )


def _reader(tmp_path: Path, warehouse: Path) -> WarehouseReader:
    sql_dir = tmp_path / "sql"
    sql_dir.mkdir(exist_ok=True)
    (sql_dir / "marker.sql").write_text("-- audience: operations\nselect v from audit.marker\n")
    return WarehouseReader(warehouse, sql_dir=sql_dir)


def _marker(reader: WarehouseReader) -> int:
    return int(reader.query("marker", identity=ADMIN).item())


def test_a_held_connection_is_shared_until_released_then_a_new_publish_is_seen(
    tmp_path: Path,
) -> None:
    # Given a published warehouse holding 1, and a reader inside a request
    warehouse = tmp_path / "carelens.duckdb"
    _write_warehouse(warehouse, value=1)
    reader = _reader(tmp_path, warehouse)
    reader.hold_connection()
    assert _marker(reader) == 1
    opened = reader._held.connection

    # When a load publishes a new warehouse (rename over the old) during the request
    build = tmp_path / ".carelens.duckdb.build"
    _write_warehouse(build, value=2)
    os.replace(build, warehouse)

    # Then the request's later queries share its connection (and its snapshot) ...
    assert _marker(reader) == 1
    assert reader._held.connection is opened

    # ... and once the request ends, the next query reads the new warehouse
    reader.release_connection()
    assert _marker(reader) == 2


def test_outside_a_request_each_query_opens_and_closes_its_own_connection(
    tmp_path: Path,
) -> None:
    # Given a reader used outside any request (a test, a notebook)
    warehouse = tmp_path / "carelens.duckdb"
    _write_warehouse(warehouse, value=1)
    reader = _reader(tmp_path, warehouse)

    # When it queries, a writer can open the file straight after (no connection was kept)
    assert _marker(reader) == 1
    with duckdb.connect(str(warehouse)) as writer:
        writer.execute("update audit.marker set v = 3")

    # Then the next query sees the change
    assert _marker(reader) == 3


def _publish(tmp_path: Path, warehouse: Path, *, value: int) -> None:
    """Publish a new warehouse as the nightly load does: build beside it, rename over it."""
    build = tmp_path / ".carelens.duckdb.build"
    _write_warehouse(build, value=value)
    os.replace(build, warehouse)


def _request(reader: WarehouseReader) -> int:
    """One web request's query, from hold to release."""
    reader.hold_connection()
    try:
        return _marker(reader)
    finally:
        reader.release_connection()


def test_requests_share_the_open_warehouse_until_a_publish_replaces_it(tmp_path: Path) -> None:
    # Given a published warehouse holding 1, read by one request
    warehouse = tmp_path / "carelens.duckdb"
    _write_warehouse(warehouse, value=1)
    reader = _reader(tmp_path, warehouse)
    assert _request(reader) == 1
    opened = reader._shared

    # When a second request comes, then a load publishes 2 and a third request comes
    assert _request(reader) == 1
    kept = reader._shared
    _publish(tmp_path, warehouse, value=2)
    after_publish = _request(reader)

    # Then the second request reused the open warehouse, and the third read the new file
    assert opened is not None
    assert kept is opened
    assert after_publish == 2
    assert reader._shared is not opened


def test_a_publish_during_a_request_is_seen_once_no_request_reads_the_old_file(
    tmp_path: Path,
) -> None:
    # Given a request in progress on another thread, reading the warehouse holding 1
    warehouse = tmp_path / "carelens.duckdb"
    _write_warehouse(warehouse, value=1)
    reader = _reader(tmp_path, warehouse)
    started, finish = threading.Event(), threading.Event()
    seen: list[int] = []

    def long_request() -> None:
        reader.hold_connection()
        seen.append(_marker(reader))
        started.set()
        finish.wait(timeout=10)
        seen.append(_marker(reader))
        reader.release_connection()

    worker = threading.Thread(target=long_request)
    worker.start()
    assert started.wait(timeout=10)

    # When a load publishes 2 and a request starts while the first is still reading
    _publish(tmp_path, warehouse, value=2)
    overlapping = _request(reader)
    finish.set()
    worker.join(timeout=10)

    # Then the long request read 1 throughout, the overlapping one still 1 (the old file is
    # open), and the next request, with nobody on the old file, reads 2
    assert seen == [1, 1]
    assert overlapping == 1
    assert _request(reader) == 2
