"""reference.cqc_locations: one row per CQC location per directory snapshot (spec 5.1)."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from data_contracts.inputs import CQC_PLAIN_DIRECTORY, InputFile
from pipelines.inputs.writes import INCOMING, count_of

TABLE = "reference.cqc_locations"
ADULT_SOCIAL_CARE = "adult social care"
"""``Location Inspection Directorate`` of adult social care locations, matched lower-cased."""
CARE_HOME_SERVICE_TYPES = ("residential homes", "nursing homes")
"""Service types of the plain CQC directory that make a location a care home."""
_COLUMNS = (
    "location_id",
    "location_name",
    "is_dormant",
    "is_care_home",
    "care_home_beds",
    "inspection_directorate",
    "primary_inspection_category",
    "local_authority",
    "onspd_ccg_code",
    "provider_id",
    "provider_name",
)


def snapshot_frame(
    *, rows: pl.DataFrame, spec: InputFile, source_file: str, snapshot_date: date, run_id: str
) -> pl.DataFrame:
    """The table's rows for one directory file (either CQC layout); absent columns are null."""
    if spec is CQC_PLAIN_DIRECTORY:
        types = pl.col("service_types").str.to_lowercase()
        rows = rows.with_columns(
            pl.any_horizontal(
                [types.str.contains(t, literal=True) for t in CARE_HOME_SERVICE_TYPES]
            ).alias("is_care_home")
        )
    nulls = {
        "is_dormant": pl.Boolean,
        "is_care_home": pl.Boolean,
        "care_home_beds": pl.Int64,
        "inspection_directorate": pl.String,
        "primary_inspection_category": pl.String,
        "onspd_ccg_code": pl.String,
    }
    rows = rows.with_columns(
        pl.lit(None, dtype=dtype).alias(name) for name, dtype in nulls.items() if name not in rows
    )
    directorate = pl.col("inspection_directorate").str.to_lowercase()
    return rows.select(
        pl.lit(snapshot_date).alias("snapshot_date"),
        *_COLUMNS,
        (directorate == ADULT_SOCIAL_CARE).alias("is_adult_social_care"),
        pl.lit(source_file).alias("source_file"),
        pl.lit(run_id).alias("run_id"),
    )


def write_snapshot(
    *, con: duckdb.DuckDBPyConnection, frame: pl.DataFrame, snapshot_date: date
) -> int:
    """Replace the snapshot of ``snapshot_date`` with ``frame``; return rows loaded.

    An empty frame leaves any stored snapshot in place, so a directory whose every row was
    quarantined cannot empty the ICB universe.
    """
    if frame.is_empty():
        return 0
    con.execute(f"delete from {TABLE} where snapshot_date = ?", [snapshot_date])
    con.register(INCOMING, frame)
    try:
        return count_of(con.execute(f"insert into {TABLE} by name select * from {INCOMING}"))
    finally:
        con.unregister(INCOMING)
