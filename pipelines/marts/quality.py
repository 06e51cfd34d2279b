"""Build ``marts.quality_monthly`` and ``marts.quality_weekly``: falls, doses, errors, ulcers.

Both are rebuilt whole from the current state on every load: the daily counts of every
location (``quality_daily.sql``, a temporary table of the build) are computed once and rolled
up to Europe/London calendar months and ISO weeks.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from importlib import resources

import duckdb

from data_contracts.enums import ServiceType
from pipelines.config import PipelineConfig

log = logging.getLogger(__name__)

QUALITY_MARTS = {"marts.quality_monthly": "month", "marts.quality_weekly": "week"}
"""The tables ``build_quality_marts`` replaces, in build order, and the period each rolls up
to (one SQL file, ``quality_periods.sql``, serves both)."""
_CARE_HOME_TYPES = [ServiceType.CARE_HOME.value, ServiceType.CARE_HOME_NURSING.value]
_DAILY = "quality_daily"


@dataclass(frozen=True, slots=True)
class MartsBuilt:
    """What one build of the quality marts wrote."""

    rows: dict[str, int]
    """Rows of each mart, by table name."""
    seconds: float
    """Wall-clock time of the whole build."""


def _sql(name: str) -> str:
    return (resources.files("pipelines") / "sql" / "marts" / f"{name}.sql").read_text()


def build_quality_marts(con: duckdb.DuckDBPyConnection, *, config: PipelineConfig) -> MartsBuilt:
    """Replace the quality marts with counts from the current state of ``core.*``.

    Args:
        con: The load's build connection (``TimeZone`` UTC; months and weeks are taken in
            Europe/London explicitly, so the session's zone does not matter).
        config: Supplies the late-dose windows in minutes.

    Returns:
        Rows written per mart and the time taken.
    """
    started = time.perf_counter()
    con.execute(
        f"create or replace temp table {_DAILY} as {_sql(_DAILY)}",
        {
            "care_home_types": _CARE_HOME_TYPES,
            "late_dose_minutes": config.late_dose_minutes,
            "late_dose_minutes_time_critical": config.late_dose_minutes_time_critical,
        },
    )
    rows: dict[str, int] = {}
    try:
        for table, period in QUALITY_MARTS.items():
            con.execute(f"delete from {table}")
            select = _sql("quality_periods").format(period=period)
            con.execute(f"insert into {table} by name {select}")
            ((count,),) = con.execute(f"select count(*) from {table}").fetchall()
            rows[table] = int(count)
    finally:
        con.execute(f"drop table if exists {_DAILY}")
    built = MartsBuilt(rows=rows, seconds=time.perf_counter() - started)
    log.info(
        "quality marts built in %.2f s: %s",
        built.seconds,
        ", ".join(f"{table} {count:,} rows" for table, count in rows.items()),
    )
    return built
