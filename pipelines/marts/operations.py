"""Build the operations marts of issue #5: alerts, documentation time, visits and reviews.

Every table is rebuilt whole from the current state on every load, one SQL file each in
``pipelines/sql/marts/`` (DDL in ``pipelines/sql/schema/marts_operations.sql``). The daily
documentation counts (``documentation_days.sql``, a temporary table of the build) are computed
once and serve both the daily and the monthly documentation marts. Definitions:
docs/metrics.md, "Operations marts".
"""

from __future__ import annotations

import logging
import time
from importlib import resources

import duckdb

from data_contracts.enums import ServiceType
from pipelines.config import PipelineConfig
from pipelines.marts.quality import MartsBuilt

log = logging.getLogger(__name__)

OPERATIONS_MARTS = {
    "marts.alert_facts": "alerts_facts",
    "marts.alerts_daily": "alerts_daily",
    "marts.alerts_weekly": "alerts_weekly",
    "marts.alert_burden_monthly": "alerts_burden_monthly",
    "marts.documentation_daily": "documentation_daily",
    "marts.documentation_monthly": "documentation_monthly",
    "marts.visits_monthly": "visits_monthly",
    "marts.care_plan_reviews_monthly": "reviews_monthly",
}
"""The tables ``build_operations_marts`` replaces, in build order, and the SQL file of each
(the other alert marts read ``marts.alert_facts``, so it comes first)."""
_HOME_CARE_TYPES = [ServiceType.HOME_CARE.value]
_TEMPORARY = {"documentation_days": "documentation_days"}
"""Temporary tables of the build (name: SQL file), created first and dropped at the end."""


def _sql(name: str) -> str:
    return (resources.files("pipelines") / "sql" / "marts" / f"{name}.sql").read_text()


def _parameters(sql: str, config: PipelineConfig) -> dict[str, object]:
    available: dict[str, object] = {
        "home_care_types": _HOME_CARE_TYPES,
        "visit_late_minutes": config.visit_late_minutes,
    }
    return {name: value for name, value in available.items() if f"${name}" in sql}


def build_operations_marts(con: duckdb.DuckDBPyConnection, *, config: PipelineConfig) -> MartsBuilt:
    """Replace the operations marts with counts from the current state of ``core.*``.

    Args:
        con: The load's build connection (days, hours and months are taken in Europe/London
            explicitly, so the session's time zone does not matter).
        config: Supplies the settings the marts use.

    Returns:
        Rows written per mart and the time taken.
    """
    started = time.perf_counter()
    rows: dict[str, int] = {}
    try:
        for temporary, name in _TEMPORARY.items():
            sql = _sql(name)
            con.execute(
                f"create or replace temp table {temporary} as {sql}", _parameters(sql, config)
            )
        for table, name in OPERATIONS_MARTS.items():
            sql = _sql(name)
            con.execute(f"delete from {table}")
            con.execute(f"insert into {table} by name {sql}", _parameters(sql, config))
            ((count,),) = con.execute(f"select count(*) from {table}").fetchall()
            rows[table] = int(count)
    finally:
        for temporary in _TEMPORARY:
            con.execute(f"drop table if exists {temporary}")
    built = MartsBuilt(rows=rows, seconds=time.perf_counter() - started)
    log.info(
        "operations marts built in %.2f s: %s",
        built.seconds,
        ", ".join(f"{table} {count:,} rows" for table, count in rows.items()),
    )
    return built
