"""Build ``marts.adoption_trajectory``: each ICB's logistic adoption curve, refitted every load.

Reads ``marts.adoption_monthly`` (so it runs after the adoption marts), fits every ICB with
``models.adoption_trajectory``, makes each fit's covariance robust to the same locations being
counted every month (``with_location_clustering_arrays``, from
``marts.adoption_location_monthly`` read as columns)
and replaces the table whole. The fitted coefficients and their
covariance are stored so the ICB page projects the curve to any date without refitting; the
month the target is reached (central and 80% interval) is stored for the default horizon.
"""

from __future__ import annotations

import logging
import time
from collections import Counter

import duckdb
import polars as pl

from models.adoption_trajectory import (
    MonthCounts,
    TrajectoryFit,
    fit_trajectory,
    month_reaching,
    with_location_clustering_arrays,
)
from pipelines import warehouse

log = logging.getLogger(__name__)

TRAJECTORY_TABLE = "marts.adoption_trajectory"
"""The table ``build_adoption_trajectory`` replaces."""
_MONTHLY_SQL = """
select icb_code, month, active_locations, adopted_locations
from marts.adoption_monthly
order by icb_code, month
"""
_LOCATIONS_SQL = """
select
    icb_code,
    12 * year(month) + month(month) - 1 as month_number,
    is_adopted::double as adopted,
    dense_rank() over (order by location_id) as location_code
from marts.adoption_location_monthly
where icb_code is not null
"""
_SCHEMA = {
    "icb_code": pl.String,
    "status": pl.String,
    "origin_month": pl.Date,
    "months_fitted": pl.Int32,
    "intercept": pl.Float64,
    "slope": pl.Float64,
    "var_intercept": pl.Float64,
    "var_slope": pl.Float64,
    "cov_intercept_slope": pl.Float64,
    "scale": pl.Float64,
    "target_rate": pl.Float64,
    "month_reaching_target": pl.Date,
    "month_reaching_low": pl.Date,
    "month_reaching_high": pl.Date,
    "latest_month": pl.Date,
    "latest_rate": pl.Float64,
    "run_id": pl.String,
    "interval_method": pl.String,
}


def build_adoption_trajectory(con: duckdb.DuckDBPyConnection, *, run_id: str) -> None:
    """Replace ``marts.adoption_trajectory`` with a fit of every ICB's monthly adoption rate.

    Args:
        con: The load's build connection, with ``marts.adoption_monthly`` already rebuilt.
        run_id: The load run, recorded on every row.
    """
    started = time.perf_counter()
    series: dict[str, list[MonthCounts]] = {}
    for icb_code, month, active, adopted in con.execute(_MONTHLY_SQL).fetchall():
        series.setdefault(icb_code, []).append(
            MonthCounts(month=month, active=int(active), adopted=int(adopted))
        )
    locations = con.sql(_LOCATIONS_SQL).pl().partition_by("icb_code", as_dict=True)
    rows = []
    for icb_code, counts in series.items():
        fit = fit_trajectory(counts)
        months = locations.get((icb_code,))
        if months is not None:
            fit = with_location_clustering_arrays(
                fit,
                month_numbers=months["month_number"].to_numpy(),
                adopted=months["adopted"].to_numpy(),
                location_codes=months["location_code"].to_numpy(),
            )
        rows.append(_row(icb_code, fit=fit, run_id=run_id))
    frame = pl.DataFrame(rows, schema=_SCHEMA)
    con.execute(f"delete from {TRAJECTORY_TABLE}")
    warehouse.insert_frame(con, table=TRAJECTORY_TABLE, frame=frame)
    log.info(
        "%s built in %.2f s: %d ICBs; statuses %s",
        TRAJECTORY_TABLE,
        time.perf_counter() - started,
        frame.height,
        dict(Counter(frame["status"].to_list())),
    )


def _row(icb_code: str, *, fit: TrajectoryFit, run_id: str) -> dict[str, object]:
    reaching = month_reaching(fit)
    return {
        "icb_code": icb_code,
        "status": fit.status.value,
        "origin_month": fit.origin_month,
        "months_fitted": fit.months_fitted,
        "intercept": fit.intercept,
        "slope": fit.slope,
        "var_intercept": fit.var_intercept,
        "var_slope": fit.var_slope,
        "cov_intercept_slope": fit.cov_intercept_slope,
        "scale": fit.scale,
        "target_rate": fit.target_rate,
        "month_reaching_target": reaching.central,
        "month_reaching_low": reaching.low,
        "month_reaching_high": reaching.high,
        "latest_month": fit.latest_month,
        "latest_rate": fit.latest_rate,
        "run_id": run_id,
        "interval_method": fit.interval_method,
    }
