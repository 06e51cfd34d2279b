"""One warehouse connection per web request: shared by its queries, never kept past it."""

from __future__ import annotations

import os
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
