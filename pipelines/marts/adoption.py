"""Build the DSCR adoption marts of issue #7 from the section 5 inputs and the ODE-1 exports.

``marts.adoption_location_monthly`` (one row per active adult social care location per month,
with its ICB on the month end and its latest adoption return) is built first; the ICB figures
(``marts.adoption_monthly``) and their breakdowns are counted from it, so every published count
is a count of its rows. ``marts.adoption_at_risk`` lists, as at the run date, the locations
whose latest return turned from Yes to No, gives the status abandoned, or whose provider
stopped sending exports. One SQL file each in ``pipelines/sql/marts/`` (DDL and the rules in
``pipelines/sql/schema/marts_adoption.sql``); docs/adoption.md.

``marts.adoption_trajectory`` is not built here: ``pipelines.steps.adoption_trajectory`` fits it
from ``marts.adoption_monthly`` afterwards.
"""

from __future__ import annotations

import logging
import time
from datetime import date
from importlib import resources

import duckdb

from pipelines.config import PipelineConfig
from pipelines.marts.quality import MartsBuilt

log = logging.getLogger(__name__)

ADOPTION_MARTS = {
    "marts.adoption_location_monthly": "adoption_location_monthly",
    "marts.adoption_monthly": "adoption_monthly",
    "marts.adoption_breakdown_monthly": "adoption_breakdown_monthly",
    "marts.adoption_at_risk": "adoption_at_risk",
}
"""The tables ``build_adoption_marts`` replaces, in build order, and the SQL file of each (the
ICB counts and breakdowns read ``marts.adoption_location_monthly``, so it comes first)."""


_DDL = "marts_adoption.sql"
"""The schema script of the adoption marts (``create table if not exists`` each)."""


def _sql(name: str) -> str:
    return (resources.files("pipelines") / "sql" / "marts" / f"{name}.sql").read_text()


def _ddl() -> str:
    return (resources.files("pipelines") / "sql" / "schema" / _DDL).read_text()


def _parameters(sql: str, *, config: PipelineConfig, today: date) -> dict[str, object]:
    available: dict[str, object] = {"today": today, "freshness_days": config.freshness_days}
    return {name: value for name, value in available.items() if f"${name}" in sql}


def build_adoption_marts(
    con: duckdb.DuckDBPyConnection, *, config: PipelineConfig, today: date
) -> MartsBuilt:
    """Replace the adoption marts with counts from the current reference and audit tables.

    Runs on the load's private build copy, after the section 5 inputs are applied and the
    current state is refreshed. The four tables are dropped and created again from their
    schema script, then filled whole: at national scale (84 monthly directories of 56,000
    locations, 2.2 million location-months) emptying the keyed location table with ``delete``
    or ``truncate`` costs more than building it (docs/adoption.md, "Performance").
    ``marts.adoption_trajectory`` is left alone.

    Args:
        con: The load's build connection.
        config: Supplies ``freshness_days``, after which a provider's exports have stopped.
        today: The run date (Europe/London): the last month counted, and the date the at-risk
            list is as at.

    Returns:
        Rows written per mart and the time taken.
    """
    started = time.perf_counter()
    rows: dict[str, int] = {}
    for table in ADOPTION_MARTS:
        con.execute(f"drop table if exists {table}")
    con.execute(_ddl())
    for table, name in ADOPTION_MARTS.items():
        sql = _sql(name)
        con.execute(
            f"insert into {table} by name {sql}", _parameters(sql, config=config, today=today)
        )
        ((count,),) = con.execute(f"select count(*) from {table}").fetchall()
        rows[table] = int(count)
    built = MartsBuilt(rows=rows, seconds=time.perf_counter() - started)
    log.info(
        "adoption marts built in %.2f s: %s",
        built.seconds,
        ", ".join(f"{table} {count:,} rows" for table, count in rows.items()),
    )
    return built
