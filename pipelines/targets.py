"""Publish the quality targets set in the dashboard into ``reference.quality_targets``.

Owners and quality leads set targets in the web app, which keeps them in its own SQLite file
(the accounts file, table ``quality_targets``: an append-only history whose latest row per
location and measure wins, a row without a rate clearing the target). The app cannot write
the warehouse (it opens it read-only, and every load replaces the file), so every nightly load
copies the targets in force here, for analysts and notebooks.

The accounts file is opened read-only with the standard library; nothing here writes it. If it
cannot be read, the load goes on and the targets published by the last load that could read
it stay.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

log = logging.getLogger(__name__)

TARGETS_DDL = """
create schema if not exists reference;
-- One row per location and measure with a target in force (set in the dashboard).
create table if not exists reference.quality_targets (
    provider_id     varchar not null,
    location_id     varchar not null,
    measure         varchar not null,   -- dashboards.measures.QualityMeasure
    target_rate     double not null,    -- in the measure's unit (per 1,000 bed days or doses)
    note            varchar,            -- why, as the setter wrote it (free text)
    set_at          timestamptz not null,
    run_id          varchar not null,   -- the load that published it
    primary key (provider_id, location_id, measure)
);
"""

_CURRENT_TARGETS = """
select provider_id, location_id, measure, target_rate, note, set_at
from quality_targets as t
where id = (
    select max(id) from quality_targets as later
    where later.provider_id = t.provider_id
      and later.location_id = t.location_id
      and later.measure = t.measure
)
and target_rate is not null
order by provider_id, location_id, measure
"""


@dataclass(frozen=True, slots=True)
class TargetsPublished:
    """What :func:`publish_quality_targets` did.

    Attributes:
        rows: Targets now in ``reference.quality_targets``.
        read: Whether the accounts file was read (``False``: the last published stay).
    """

    rows: int
    read: bool


def read_current_targets(accounts_path: Path) -> list[tuple[object, ...]]:
    """Return the targets in force in the accounts file, opened read-only.

    Returns:
        ``(provider_id, location_id, measure, target_rate, note, set_at)`` tuples; none if the
        file has no targets table yet (an app older than targets).

    Raises:
        sqlite3.Error: If the file cannot be opened or read.
    """
    uri = f"{accounts_path.resolve().as_uri()}?mode=ro"
    connection = sqlite3.connect(uri, uri=True, timeout=10.0)
    try:
        exists = connection.execute(
            "select 1 from sqlite_master where type = 'table' and name = 'quality_targets'"
        ).fetchone()
        if exists is None:
            return []
        return [tuple(row) for row in connection.execute(_CURRENT_TARGETS)]
    finally:
        connection.close()


def publish_quality_targets(
    con: duckdb.DuckDBPyConnection, *, accounts_path: Path | None, run_id: str
) -> TargetsPublished:
    """Replace ``reference.quality_targets`` with the targets in force in the accounts file.

    Args:
        con: The load's connection to the warehouse being built.
        accounts_path: The dashboard's accounts file; ``None`` or a missing file publishes no
            targets.
        run_id: The load run, recorded on every row.

    Returns:
        How many targets were published, and whether the file was read.
    """
    con.execute(TARGETS_DDL)
    if accounts_path is None or not accounts_path.is_file():
        rows: list[tuple[object, ...]] = []
    else:
        try:
            rows = read_current_targets(accounts_path)
        except sqlite3.Error as error:
            log.warning(
                "quality targets not published: %s could not be read (%s); the targets of "
                "the last load stay",
                accounts_path,
                error,
            )
            count = con.execute("select count(*) from reference.quality_targets").fetchone()
            return TargetsPublished(rows=int(count[0]) if count else 0, read=False)
    con.execute("delete from reference.quality_targets")
    if rows:
        con.executemany(
            "insert into reference.quality_targets (provider_id, location_id, measure,"
            " target_rate, note, set_at, run_id) values (?, ?, ?, ?, ?, ?, ?)",
            [(*row[:5], datetime.fromisoformat(str(row[5])), run_id) for row in rows],
        )
    return TargetsPublished(rows=len(rows), read=True)
