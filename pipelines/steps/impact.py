"""Build ``marts.quality_impact`` and ``marts.quality_counterfactual``: before/after go-live.

Every load refits every location and measure from ``marts.quality_monthly`` (so it runs after
the quality marts) and the go-live dates of ``core.locations``; both tables are replaced whole.
The statistics are in ``models.impact``; this step only chooses each series and its exposure.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import duckdb
import polars as pl

from models.impact import MIN_MONTHS, ImpactEstimate, estimate_impact
from pipelines import warehouse

log = logging.getLogger(__name__)

IMPACT_TABLES = ("marts.quality_impact", "marts.quality_counterfactual")
"""The tables ``build_quality_impact`` replaces."""


class ImpactMeasure(StrEnum):
    """Measures with a before/after estimate; each improves when it decreases."""

    FALLS = "falls"
    FALLS_WITH_HARM = "falls_with_harm"
    MEDICATION_ERRORS = "medication_errors"
    PRESSURE_ULCERS = "pressure_ulcers"


EXPOSURES: dict[ImpactMeasure, tuple[str, ...]] = {
    ImpactMeasure.FALLS: ("occupied_bed_days",),
    ImpactMeasure.FALLS_WITH_HARM: ("occupied_bed_days",),
    # Scheduled doses come from the eMAR, which starts at go-live: before it there are none,
    # so medication errors fall back to bed days unless doses cover the months before.
    ImpactMeasure.MEDICATION_ERRORS: ("scheduled_doses", "occupied_bed_days"),
    ImpactMeasure.PRESSURE_ULCERS: ("occupied_bed_days",),
}
"""Exposure columns of ``marts.quality_monthly`` per measure, in order of preference."""
_IMPACT_SCHEMA = {
    "provider_id": pl.String,
    "location_id": pl.String,
    "measure": pl.String,
    "go_live_date": pl.Date,
    "months_before": pl.Int32,
    "months_after": pl.Int32,
    "status": pl.String,
    "model": pl.String,
    "has_seasonal_term": pl.Boolean,
    "level_change_ratio": pl.Float64,
    "level_change_lower": pl.Float64,
    "level_change_upper": pl.Float64,
    "slope_change_ratio": pl.Float64,
    "slope_change_lower": pl.Float64,
    "slope_change_upper": pl.Float64,
    "observed_since_go_live": pl.Float64,
    "expected_since_go_live": pl.Float64,
    "avoided_since_go_live": pl.Float64,
    "avoided_lower": pl.Float64,
    "avoided_upper": pl.Float64,
    "exposure_unit": pl.String,
    "run_id": pl.String,
}
_MONTHLY_SQL = """
select provider_id, location_id, month, occupied_bed_days, scheduled_doses,
    falls, falls_with_harm, medication_errors, pressure_ulcers
from marts.quality_monthly
order by provider_id, location_id, month
"""
_LOCATIONS_SQL = """
select provider_id, location_id, dscr_go_live_date as go_live_date
from core.locations
order by provider_id, location_id
"""


@dataclass(frozen=True, slots=True)
class ImpactBuilt:
    """What one build of the impact marts wrote."""

    rows: dict[str, int]
    """Rows of each table, by table name."""
    statuses: dict[str, int]
    """Rows of ``marts.quality_impact`` per status."""
    seconds: float
    """Wall-clock time of the whole build."""


def build_quality_impact(con: duckdb.DuckDBPyConnection, *, run_id: str) -> ImpactBuilt:
    """Replace the impact marts with a fit of every location and measure.

    Args:
        con: The load's build connection, with ``marts.quality_monthly`` already rebuilt.
        run_id: The load run, recorded on every row.

    Returns:
        Rows written per table, rows per status and the time taken.
    """
    started = time.perf_counter()
    monthly = con.sql(_MONTHLY_SQL).pl()
    by_location = monthly.partition_by(["provider_id", "location_id"], as_dict=True)
    impact: list[dict[str, object]] = []
    counterfactual: list[pl.DataFrame] = []
    for provider_id, location_id, go_live in con.execute(_LOCATIONS_SQL).fetchall():
        series = by_location.get((provider_id, location_id), monthly.clear())
        for measure in ImpactMeasure:
            unit = _exposure_unit(series, measure=measure, go_live=go_live)
            estimate = estimate_impact(
                series.select("month", events=pl.col(measure.value), exposure=pl.col(unit)),
                go_live=go_live,
            )
            keys = {
                "provider_id": provider_id,
                "location_id": location_id,
                "measure": measure.value,
            }
            impact.append(
                _impact_row(keys, estimate=estimate, go_live=go_live, unit=unit, run_id=run_id)
            )
            if estimate.counterfactual is not None:
                counterfactual.append(
                    estimate.counterfactual.with_columns(
                        **{name: pl.lit(value) for name, value in keys.items()}
                    )
                )
    impact_frame = pl.DataFrame(impact, schema=_IMPACT_SCHEMA)
    frames = {
        IMPACT_TABLES[0]: impact_frame,
        IMPACT_TABLES[1]: pl.concat(counterfactual) if counterfactual else pl.DataFrame(),
    }
    rows = {}
    for table, frame in frames.items():
        con.execute(f"delete from {table}")
        warehouse.insert_frame(con, table=table, frame=frame)
        rows[table] = frame.height
    built = ImpactBuilt(
        rows=rows,
        statuses=dict(Counter(impact_frame["status"].to_list())),
        seconds=time.perf_counter() - started,
    )
    log.info(
        "impact marts built in %.2f s: %s; statuses %s",
        built.seconds,
        ", ".join(f"{table} {count:,} rows" for table, count in rows.items()),
        built.statuses,
    )
    return built


def _exposure_unit(series: pl.DataFrame, *, measure: ImpactMeasure, go_live: date | None) -> str:
    """The first exposure with enough months before go-live, else the last one."""
    candidates = EXPOSURES[measure]
    if go_live is None:
        return candidates[0]
    transition = date(go_live.year, go_live.month, 1)
    for unit in candidates[:-1]:
        before = series.filter((pl.col("month") < transition) & (pl.col(unit) > 0))
        if before.height >= MIN_MONTHS:
            return unit
    return candidates[-1]


def _impact_row(
    keys: dict[str, str],
    *,
    estimate: ImpactEstimate,
    go_live: date | None,
    unit: str,
    run_id: str,
) -> dict[str, object]:
    level, slope, avoided = estimate.level_change, estimate.slope_change, estimate.avoided
    return {
        **keys,
        "go_live_date": go_live,
        "months_before": estimate.months_before,
        "months_after": estimate.months_after,
        "status": estimate.status.value,
        "model": estimate.model.value if estimate.model else None,
        "has_seasonal_term": estimate.has_seasonal_term,
        "level_change_ratio": level.estimate if level else None,
        "level_change_lower": level.lower if level else None,
        "level_change_upper": level.upper if level else None,
        "slope_change_ratio": slope.estimate if slope else None,
        "slope_change_lower": slope.lower if slope else None,
        "slope_change_upper": slope.upper if slope else None,
        "observed_since_go_live": estimate.observed_since_go_live,
        "expected_since_go_live": estimate.expected_since_go_live,
        "avoided_since_go_live": avoided.estimate if avoided else None,
        "avoided_lower": avoided.lower if avoided else None,
        "avoided_upper": avoided.upper if avoided else None,
        "exposure_unit": unit,
        "run_id": run_id,
    }
