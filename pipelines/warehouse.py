"""The only writer of the DuckDB warehouse: schema, staging writes, current state, publication.

A load never writes the published file in place. It copies the warehouse to a private build
file, writes there, and publishes by an atomic rename, so readers see either the old warehouse
or the new one, and a load killed at any moment leaves the previous warehouse intact.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import duckdb
import polars as pl

from data_contracts.ode1 import ENTITY_ORDER, ColumnKind, Entity
from pipelines.errors import WarehouseError

_SQL_TYPES = {
    ColumnKind.INTEGER: "bigint",
    ColumnKind.DATE: "date",
    ColumnKind.TIMESTAMP: "timestamptz",
    ColumnKind.BOOLEAN: "boolean",
}
METADATA_COLUMNS = (
    ("content_hash", "uhugeint"),  # md5 of the record's content (stable across versions)
    ("export_id", "varchar"),
    ("export_sequence", "bigint"),
    ("run_id", "varchar"),
    ("source_file", "varchar"),
    ("source_line", "bigint"),
)


def warehouse_column(name: str) -> str:
    """The warehouse name of a declared column (NHS numbers are stored only as a keyed hash)."""
    return "nhs_number_hash" if name == "nhs_number" else name


def business_columns(entity: Entity) -> list[tuple[str, str]]:
    """Warehouse columns of an entity's records, with their SQL types, in spec order."""
    return [("provider_id", "varchar")] + [
        (warehouse_column(c.name), _SQL_TYPES.get(c.kind, "varchar")) for c in entity.columns
    ]


def staging_ddl(entity: Entity) -> str:
    """``create table`` of ``staging.<entity>``: every accepted row version, with load metadata."""
    columns = business_columns(entity) + list(METADATA_COLUMNS)
    body = ",\n    ".join(f"{name} {sql_type}" for name, sql_type in columns)
    return f"create table if not exists staging.{entity.name} (\n    {body}\n);"


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every schema and table that does not exist yet (idempotent)."""
    schema_dir = resources.files("pipelines") / "sql" / "schema"
    for script in sorted(schema_dir.iterdir(), key=lambda p: p.name):
        if script.name.endswith(".sql"):
            con.execute(script.read_text())
    con.execute("create schema if not exists staging; create schema if not exists core;")
    for entity in ENTITY_ORDER:
        con.execute(staging_ddl(entity))


def _current_parts(entity: Entity) -> tuple[str, str, str]:
    keep = ", ".join(name for name, _ in business_columns(entity))
    if entity.versioned:
        return (
            keep,
            "provider_id, record_uid",
            "version desc, export_sequence desc, source_line desc",
        )
    key = ", ".join(["provider_id", *entity.key])
    return keep, key, "export_sequence desc, source_line desc"


def refresh_current(con: duckdb.DuckDBPyConnection, *, run_id: str) -> None:
    """Bring ``core.<entity>``, the current state, up to date with this run's new rows.

    Only keys that received a row in this run are recomputed from the history in ``staging``:
    versioned records take the highest version per (provider_id, record_uid), retractions
    included (metrics filter ``status = 'final'``); other entities take the latest delivery
    per key.
    """
    for entity in ENTITY_ORDER:
        keep, key, order = _current_parts(entity)
        table = f"core.{entity.name}"
        con.execute(
            f"create table if not exists {table} as select {keep}, export_id, export_sequence "
            f"from staging.{entity.name} limit 0"
        )
        history = f"staging.{entity.name}"
        con.execute(
            f"create or replace temp table touched as select {key}, count(*) as versions "
            f"from {history} where ({key}) in "
            f"(select {key} from {history} where run_id = $run_id) group by all",
            {"run_id": run_id},
        )
        con.execute(f"delete from {table} where ({key}) in (select {key} from touched)")
        # Keys with one row in history need no ranking: a plain copy is five times quicker.
        con.execute(
            f"insert into {table} select {keep}, export_id, export_sequence from {history} "
            f"where ({key}) in (select {key} from touched where versions = 1)"
        )
        con.execute(
            f"insert into {table} select {keep}, export_id, export_sequence from {history} "
            f"where ({key}) in (select {key} from touched where versions > 1) "
            f"qualify row_number() over (partition by {key} order by {order}) = 1"
        )
        con.execute("drop table touched")


@dataclass(frozen=True, slots=True)
class BuildPaths:
    """The files one load touches."""

    warehouse: Path
    build: Path
    lock: Path

    @classmethod
    def for_warehouse(cls, warehouse: Path) -> BuildPaths:
        """Build and lock files live beside the warehouse (same filesystem, so rename is atomic)."""
        return cls(
            warehouse=warehouse,
            build=warehouse.with_name(f".{warehouse.name}.build"),
            lock=warehouse.with_name(f".{warehouse.name}.lock"),
        )


@contextlib.contextmanager
def exclusive_lock(paths: BuildPaths) -> Iterator[None]:
    """Hold the load lock: one load at a time per warehouse (the kernel frees it if killed)."""
    paths.lock.parent.mkdir(parents=True, exist_ok=True)
    with paths.lock.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise WarehouseError(
                f"another load is running on {paths.warehouse} (lock {paths.lock})"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove(path: Path) -> None:
    for candidate in (path, path.with_name(path.name + ".wal")):
        candidate.unlink(missing_ok=True)


def start_build(paths: BuildPaths) -> duckdb.DuckDBPyConnection:
    """Copy the published warehouse (if any) to the build file and open it for writing.

    A build file left by a killed load is discarded first.
    """
    _remove(paths.build)
    if paths.warehouse.exists():
        try:
            shutil.copyfile(paths.warehouse, paths.build)
        except OSError as error:
            raise WarehouseError(f"cannot copy {paths.warehouse}: {error.strerror}") from None
    try:
        con = duckdb.connect(str(paths.build))
    except duckdb.Error as error:
        raise WarehouseError(f"cannot open {paths.build}: {error}") from None
    con.execute("set TimeZone = 'UTC'")
    con.execute("set enable_progress_bar = false")
    create_schema(con)
    return con


def publish(con: duckdb.DuckDBPyConnection, paths: BuildPaths) -> None:
    """Checkpoint and close the build, then atomically rename it over the warehouse."""
    con.execute("checkpoint")
    con.close()
    with paths.build.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(paths.build, paths.warehouse)
    directory = os.open(paths.warehouse.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def abandon(con: duckdb.DuckDBPyConnection | None, paths: BuildPaths) -> None:
    """Close and delete a build that must not be published."""
    if con is not None:
        with contextlib.suppress(duckdb.Error):
            con.close()
    _remove(paths.build)


def insert_frame(con: duckdb.DuckDBPyConnection, *, table: str, frame: pl.DataFrame) -> None:
    """Append a polars frame to ``table`` by column name (the table's own column order)."""
    if frame.is_empty():
        return
    names = ", ".join(frame.columns)
    con.register("_incoming_frame", frame)
    try:
        con.execute(f"insert into {table} ({names}) select {names} from _incoming_frame")
    finally:
        con.unregister("_incoming_frame")
